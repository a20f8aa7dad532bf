package org.leantrain.layerselect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** Invariants of spec §6: fast engine = brute force, threshold, permutation/translation/scale, precision, §9. */
class RipsPropertiesTest {
    private final RipsPersistence engine = new RipsPersistence();
    private final BruteForceRipsPersistence oracle = new BruteForceRipsPersistence();

    private static void assertSameBars(PersistenceDiagram expected, PersistenceDiagram actual, double tol, String what) {
        for (int dim = 0; dim <= 1; dim++) {
            List<PersistencePair> e = expected.pairs(dim);
            List<PersistencePair> a = actual.pairs(dim);
            assertEquals(e.size(), a.size(), what + ": H" + dim + " expected " + e + " got " + a);
            for (int i = 0; i < e.size(); i++) {
                assertEquals(e.get(i).birth(), a.get(i).birth(), tol, what + ": H" + dim + " bar " + i);
                if (e.get(i).isEssential()) {
                    assertTrue(a.get(i).isEssential(), what);
                } else {
                    assertEquals(e.get(i).death(), a.get(i).death(), tol, what + ": H" + dim + " bar " + i);
                }
            }
        }
    }

    /** 200 seeded clouds, n ∈ [5, 24], d ∈ [1, 8]; every third one on the integer grid {0,1,2}^d (ties, duplicates). */
    @Test
    void engineEqualsBruteForceOnSeededCloudsWithTiesAndDuplicates() {
        SplittableRandom random = new SplittableRandom(2024);
        for (int cloud = 0; cloud < 200; cloud++) {
            int n = 5 + random.nextInt(20);
            int d = 1 + random.nextInt(8);
            boolean grid = cloud % 3 == 0;
            double[][] pts = new double[n][d];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < d; c++) {
                    pts[i][c] = grid ? random.nextInt(3) : random.nextDouble();
                }
            }
            if (!grid) {
                pts[n - 1] = pts[0].clone(); // a duplicate point in every random cloud too
            }
            DistanceMatrix dm = DistanceMatrix.fromPoints(pts);
            String what = "cloud " + cloud + " (n " + n + ", d " + d + (grid ? ", grid" : "") + ")";
            for (RipsConfig cfg : new RipsConfig[] {RipsConfig.defaults(), RipsConfig.unbounded()}) {
                PersistenceDiagram fast = engine.compute(dm, cfg);
                assertSameBars(oracle.compute(dm, cfg), fast, 1e-12, what + " " + cfg);
                assertSameBars(fast, engine.compute(dm, cfg.withEmergentPairs(false)), 0, what + " no shortcut");
            }
        }
    }

    @Test
    void withoutThresholdEveryNonMstEdgeIsPaired() {
        for (long seed = 0; seed < 5; seed++) {
            int n = 30;
            DistanceMatrix dm = DistanceMatrix.fromPoints(Clouds.seeded(seed, n, 5));
            PersistenceDiagram all = engine.compute(dm, RipsConfig.unbounded());
            assertEquals(n * (n - 1) / 2 - (n - 1), all.h1PairsIncludingZeroLength());
            PersistenceDiagram cut = engine.compute(dm, RipsConfig.defaults());
            assertSameBars(all, cut, 0, "seed " + seed + ": r_enc cut vs none");
            assertEquals(1, cut.pairs(0).stream().filter(PersistencePair::isEssential).count());
            assertTrue(cut.pairs(1).stream().noneMatch(PersistencePair::isEssential));
            assertTrue(cut.countPositive(1) <= (n - 1) * (n - 2) / 2);
        }
    }

    @Test
    void belowTheEnclosingRadiusOpenCyclesAreEssentialAndComponentsSplit() {
        double[][] square = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {10, 0}};
        PersistenceDiagram dgm = engine.compute(DistanceMatrix.fromPoints(square),
                new RipsConfig(1, 1.2, false, true));
        assertEquals(2, dgm.pairs(0).stream().filter(PersistencePair::isEssential).count());
        assertEquals(List.of(new PersistencePair(1, 1, Double.POSITIVE_INFINITY)), dgm.pairs(1));
        assertSameBars(oracle.compute(DistanceMatrix.fromPoints(square), new RipsConfig(1, 1.2, false, true)), dgm, 0,
                "threshold 1.2");
    }

    @Test
    void diagramIsInvariantUnderPermutationTranslationAndScaledByScaling() {
        double[][] pts = Clouds.seeded(9, 40, 6);
        PersistenceDiagram base = engine.compute(DistanceMatrix.fromPoints(pts), RipsConfig.defaults());
        assertTrue(base.countPositive(1) > 0);
        int[] order = new org.leantrain.core.util.Rng(3).permutation(pts.length);
        double[][] permuted = new double[pts.length][];
        double[][] moved = new double[pts.length][];
        double[][] scaled = new double[pts.length][];
        double c = 3.5;
        for (int i = 0; i < pts.length; i++) {
            permuted[i] = pts[order[i]];
            moved[i] = pts[i].clone();
            scaled[i] = pts[i].clone();
            for (int k = 0; k < pts[i].length; k++) {
                moved[i][k] += 7.25;
                scaled[i][k] *= c;
            }
        }
        assertSameBars(base, engine.compute(DistanceMatrix.fromPoints(permuted), RipsConfig.defaults()), 0, "permuted");
        assertSameBars(base, engine.compute(DistanceMatrix.fromPoints(moved), RipsConfig.defaults()), 1e-12,
                "translated");
        PersistenceDiagram big = engine.compute(DistanceMatrix.fromPoints(scaled), RipsConfig.defaults());
        assertEquals(base.pairs(1).size(), big.pairs(1).size());
        for (int i = 0; i < base.pairs(1).size(); i++) {
            assertEquals(c * base.pairs(1).get(i).birth(), big.pairs(1).get(i).birth(), 1e-12 * c);
            assertEquals(c * base.pairs(1).get(i).death(), big.pairs(1).get(i).death(), 1e-12 * c);
        }
    }

    /** Why centring is mandatory: activations with a large common offset. */
    @Test
    void centredGramKeepsSmallDistancesThatTheUncentredFormulaLoses() {
        int n = 32;
        int d = 100;
        double[][] u = Clouds.seeded(5, n, d);
        double[][] p = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                p[i][c] = 1e4 + 1e-3 * u[i][c];
            }
        }
        DistanceMatrix centred = DistanceMatrix.fromActivations(Nd4j.createFromArray(p));
        double worstCentred = 0;
        double worstUncentred = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double truth = 1e-3 * DistanceMatrix.fromPoints(new double[][] {u[i], u[j]}).get(0, 1);
                worstCentred = Math.max(worstCentred, Math.abs(centred.get(i, j) - truth) / truth);
                double gii = dot(p[i], p[i]);
                double gjj = dot(p[j], p[j]);
                double uncentred = Math.sqrt(Math.max(0, gii + gjj - 2 * dot(p[i], p[j])));
                worstUncentred = Math.max(worstUncentred, Math.abs(uncentred - truth) / truth);
            }
        }
        assertTrue(worstCentred < 1e-6, "centred Gram relative error " + worstCentred);
        // the spec measured "> 100%" with numpy; here at least one distance collapses to 0 (error exactly 100%)
        assertTrue(worstUncentred >= 1.0, "uncentred Gram relative error " + worstUncentred);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void badInputsAreRejectedWithTheirReason() {
        assertMessage(() -> DistanceMatrix.of(new double[][] {{0, 1}, {1, 0, 2}}), "square");
        assertMessage(() -> DistanceMatrix.of(new double[][] {{0, 1}, {2, 0}}), "symmetric");
        assertMessage(() -> DistanceMatrix.of(new double[][] {{1, 1}, {1, 0}}), "diagonal");
        assertMessage(() -> DistanceMatrix.of(new double[][] {{0, -1}, {-1, 0}}), ">= 0");
        assertMessage(() -> DistanceMatrix.of(new double[][] {{0, Double.NaN}, {Double.NaN, 0}}), "NaN");
        assertMessage(() -> DistanceMatrix.of(new double[][] {{0, Double.POSITIVE_INFINITY}, {1, 0}}), "Infinity");
        assertMessage(() -> DistanceMatrix.fromPoints(new double[][] {{0, 1}, {1}}), "ragged");
        assertMessage(() -> DistanceMatrix.fromPoints(new double[][] {{0, Double.NaN}, {1, 1}}), "finite");
        assertMessage(() -> DistanceMatrix.fromPoints(new double[2001][1]), "at most 2000");
        assertMessage(() -> DistanceMatrix.fromActivations(Nd4j.createFromArray(new double[][] {{0, Double.NaN},
                {1, 1}})), "NaN");
        assertMessage(() -> new RipsConfig(2, 1, true, true), "maxDim");
        assertMessage(() -> new RipsConfig(1, 0, true, true), "threshold");
        assertMessage(() -> new RipsConfig(1, Double.NaN, true, true), "threshold");
        assertMessage(() -> oracle.compute(DistanceMatrix.fromPoints(new double[41][1]), RipsConfig.defaults()),
                "at most 40");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should mention " + fragment);
    }

    @Test
    void h0OnlyConfigurationSkipsH1() {
        PersistenceDiagram dgm = engine.compute(DistanceMatrix.fromPoints(Clouds.circle(8, 0, 0)),
                new RipsConfig(0, Double.POSITIVE_INFINITY, true, true));
        assertEquals(8, dgm.pairs(0).size());
        assertEquals(0, dgm.pairs(1).size());
    }
}
