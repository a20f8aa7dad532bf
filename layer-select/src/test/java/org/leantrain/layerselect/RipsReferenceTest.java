package org.leantrain.layerselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The GUDHI 3.7.1 reference diagrams of spec §6 (values to 1e-12, counts exact). */
class RipsReferenceTest {
    private static final double TOL = 1e-12;
    private final RipsPersistence engine = new RipsPersistence();

    private PersistenceDiagram of(double[][] pts) {
        return engine.compute(DistanceMatrix.fromPoints(pts), RipsConfig.defaults());
    }

    private static void assertFiniteH0(PersistenceDiagram dgm, double... deaths) {
        List<PersistencePair> h0 = dgm.pairs(0);
        assertEquals(deaths.length + 1, h0.size(), "H0 " + h0);
        assertEquals(1, h0.stream().filter(PersistencePair::isEssential).count(), "one essential H0 bar");
        double[] got = h0.stream().filter(p -> !p.isEssential()).mapToDouble(PersistencePair::death).sorted().toArray();
        java.util.Arrays.sort(deaths);
        for (int i = 0; i < deaths.length; i++) {
            assertEquals(deaths[i], got[i], TOL, "H0 death " + i);
        }
    }

    private static void assertH1(PersistenceDiagram dgm, double[]... bars) {
        List<PersistencePair> h1 = dgm.pairs(1);
        assertEquals(bars.length, h1.size(), "H1 " + h1);
        for (int i = 0; i < bars.length; i++) {
            assertEquals(bars[i][0], h1.get(i).birth(), TOL, "birth of bar " + i);
            assertEquals(bars[i][1], h1.get(i).death(), TOL, "death of bar " + i);
        }
    }

    @Test
    void unitSquare() {
        PersistenceDiagram dgm = of(new double[][] {{0, 0}, {1, 0}, {1, 1}, {0, 1}});
        assertFiniteH0(dgm, 1, 1, 1);
        assertH1(dgm, new double[] {1, Math.sqrt(2)});
    }

    @Test
    void collinearPointsHaveNoHoles() {
        PersistenceDiagram dgm = of(new double[][] {{0, 0}, {1, 0}, {3, 0}, {6, 0}, {10, 0}});
        assertFiniteH0(dgm, 1, 2, 3, 4);
        assertH1(dgm);
    }

    @Test
    void triangleOfCirclePoints() {
        PersistenceDiagram dgm = of(Clouds.circle(3, 0, 0));
        assertFiniteH0(dgm, Math.sqrt(3), Math.sqrt(3));
        assertH1(dgm);
    }

    @Test
    void evenlySpacedCircleHasOneBarWithTheClosedForm() {
        for (int n = 4; n <= 40; n++) {
            double[][] pts = Clouds.circle(n, 0, 0);
            double birth = 2 * Math.sin(Math.PI / n);
            double death = 2 * Math.sin(Math.PI * Math.ceil(n / 3.0) / n);
            PersistenceDiagram direct = of(pts);
            assertEquals(n - 1, direct.pairs(0).stream().filter(p -> !p.isEssential()).count());
            direct.pairs(0).stream().filter(p -> !p.isEssential())
                    .forEach(p -> assertEquals(birth, p.death(), 1e-12, "MST edge of the " + "circle"));
            assertH1(direct, new double[] {birth, death});
            PersistenceDiagram gram = engine.compute(Clouds.viaGram(pts, DataType.DOUBLE), RipsConfig.defaults());
            assertH1(gram, new double[] {birth, death});
            PersistenceDiagram gram32 = engine.compute(Clouds.viaGram(pts, DataType.FLOAT), RipsConfig.defaults());
            assertEquals(1, gram32.countPositive(1), "float32 Gram distances, n = " + n);
        }
    }

    @Test
    void eightPointCircleExplicitly() {
        PersistenceDiagram dgm = of(Clouds.circle(8, 0, 0));
        double[] deaths = new double[7];
        java.util.Arrays.fill(deaths, 0.76536686473018);
        assertFiniteH0WithTolerance(dgm, deaths, 1e-13);
        assertH1(dgm, new double[] {0.7653668647301798, 1.8477590650225735});
    }

    @Test
    void twoCirclesGiveTwoBarsAndOneLongH0Death() {
        double[][] a = Clouds.circle(8, 0, 0);
        double[][] b = Clouds.circle(8, 4, 0);
        double[][] pts = new double[16][];
        System.arraycopy(a, 0, pts, 0, 8);
        System.arraycopy(b, 0, pts, 8, 8);
        PersistenceDiagram dgm = of(pts);
        double[] deaths = new double[15];
        java.util.Arrays.fill(deaths, 0.765366864730);
        deaths[14] = 2.0;
        assertFiniteH0WithTolerance(dgm, deaths, 1e-11);
        assertEquals(2, dgm.pairs(1).size());
        for (PersistencePair p : dgm.pairs(1)) {
            assertEquals(0.76536686473018, p.birth(), 1e-13);
            assertEquals(1.84775906502257, p.death(), 1e-13);
        }
    }

    private static void assertFiniteH0WithTolerance(PersistenceDiagram dgm, double[] deaths, double tol) {
        double[] got = dgm.pairs(0).stream().filter(p -> !p.isEssential()).mapToDouble(PersistencePair::death)
                .sorted().toArray();
        assertEquals(deaths.length, got.length);
        for (int i = 0; i < deaths.length; i++) {
            assertEquals(deaths[i], got[i], tol);
        }
    }

    @Test
    void cycleGraphDistances() {
        for (int n = 4; n <= 40; n++) {
            double[][] d = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    d[i][j] = Math.min(Math.abs(i - j), n - Math.abs(i - j));
                }
            }
            PersistenceDiagram dgm = engine.compute(DistanceMatrix.of(d), RipsConfig.defaults());
            double[] ones = new double[n - 1];
            java.util.Arrays.fill(ones, 1);
            assertFiniteH0(dgm, ones);
            assertH1(dgm, new double[] {1, Math.ceil(n / 3.0)});
        }
    }

    @Test
    void duplicatePointsGiveOnlyZeroLengthExtraBars() {
        PersistenceDiagram dgm = of(new double[][] {{0, 0}, {0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 1}});
        assertFiniteH0(dgm, 1, 1, 1);
        assertH1(dgm, new double[] {1, Math.sqrt(2)});
    }

    @Test
    void seededCloudsWithListedBars() {
        PersistenceDiagram one = engine.compute(Clouds.viaGram(Clouds.seeded(1, 20, 3), DataType.DOUBLE),
                RipsConfig.defaults());
        assertH1(one, new double[] {0.3855569853698759, 0.3930882347347736},
                new double[] {0.42128612625897277, 0.45408136078943845});
        assertEquals(5.418746935219927, one.totalPersistence(0), 1e-9);
        PersistenceDiagram three = engine.compute(Clouds.viaGram(Clouds.seeded(3, 32, 2), DataType.DOUBLE),
                RipsConfig.defaults());
        assertH1(three, new double[] {0.1817349496265596, 0.1907529598892174},
                new double[] {0.18352135314445148, 0.2193297876705987},
                new double[] {0.19300273487527767, 0.22127601381275314},
                new double[] {0.2196299423983079, 0.26177882493034704},
                new double[] {0.3022250319586928, 0.3601300046445774});
        assertEquals(3.511535455751669, three.totalPersistence(0), 1e-9);
    }

    @Test
    void seededCloudsWithListedSums() {
        checkSums(2, 32, 16, 21, 1.61183925966629, 0.169715007970301, 1.71504286063579, 34.906861004107675);
        checkSums(7, 100, 4, 43, 1.93656670204379, 0.143475746668713, 0.958350606880265, 23.3753303502972);
        checkSums(11, 256, 64, 602, 44.3851190634294, 0.31473473803648, 3.46370195414975, 661.700835498794);
    }

    private void checkSums(long seed, int n, int d, int count, double sum, double max, double rEnc, double mst) {
        DistanceMatrix dm = Clouds.viaGram(Clouds.seeded(seed, n, d), DataType.DOUBLE);
        PersistenceDiagram dgm = engine.compute(dm, RipsConfig.defaults());
        String what = "seed " + seed + ", n " + n + ", d " + d;
        assertEquals(count, dgm.countPositive(1), what);
        assertEquals(sum, dgm.totalPersistence(1), 1e-9, what);
        assertEquals(max, dgm.maxFinitePersistence(1), 1e-12, what);
        assertEquals(rEnc, dm.enclosingRadius(), 1e-12, what);
        assertEquals(mst, dgm.totalPersistence(0), 1e-9, what);
        assertTrue(dgm.pairs(1).stream().noneMatch(PersistencePair::isEssential), what);
    }
}
