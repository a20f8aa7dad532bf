package org.leantrain.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Spec §6 tests 1, 2 and 4: the Radau IIA tables, Golub–Welsch for m = 5, polynomial reproduction. */
class RadauIIATest {
    private static final double[][] C = {
        {1},
        {1.0 / 3, 1},
        {0.15505102572168219, 0.64494897427831781, 1},
        {0.088587959512703947, 0.40946686444073471, 0.78765946176084706, 1}};
    private static final double[][] B = {
        {1},
        {0.75, 0.25},
        {0.37640306270046728, 0.51248582618842161, 1.0 / 9},
        {0.22046221117676838, 0.38819346884317188, 0.32884431998005974, 0.0625}};
    private static final double[][][] A = {
        {{1}},
        {{5.0 / 12, -1.0 / 12}, {0.75, 0.25}},
        {{0.19681547722366043, -0.065535425850198388, 0.023770974348220152},
         {0.39442431473908728, 0.29207341166522846, -0.04154875212599793},
         {0.37640306270046728, 0.51248582618842161, 0.11111111111111111}},
        {{0.11299947932315619, -0.040309220723522206, 0.025802377420336391, -0.0099046765072664239},
         {0.23438399574740026, 0.2068925739353589, -0.047857128048540719, 0.016047422806516273},
         {0.21668178462325034, 0.40612326386737331, 0.18903651817005634, -0.02418210489983294},
         {0.22046221117676838, 0.38819346884317188, 0.32884431998005974, 0.0625}}};
    private static final double[][][] D = {
        {{-1, 1}},
        {{-2, 1.5, 0.5}, {2, -4.5, 2.5}},
        {{-4.1393876913398137, 3.224744871391589, 1.1678400846904055, -0.25319726474218083},
         {1.7393876913398137, -3.5678400846904055, 0.77525512860841095, 1.0531972647421808},
         {-3.0, 5.5319726474218083, -7.5319726474218083, 5.0}},
        {{-7.1555920234752316, 5.6441078759500895, 1.9235072770547127, -0.58590148210381629, 0.17387835257424572},
         {2.5082250819484617, -5.0492146383914089, 1.2211000288946918, 1.7546809887608368, -0.4347914612125814},
         {-1.9648779564324138, 3.4924661586254374, -3.9845178957824964, 0.63479209515521874, 1.822137598434254},
         {4.0, -6.9234882564454545, 6.5952376696281439, -12.171749413182689, 8.5}}};

    @Test
    void tablesMatchTheSpecForOneToFourStages() {
        for (int m = 1; m <= 4; m++) {
            RadauIIA r = RadauIIA.of(m);
            assertArrayEquals(C[m - 1], r.c(), 1e-14, "c, m=" + m);
            assertArrayEquals(B[m - 1], r.b(), 1e-14, "b, m=" + m);
            for (int j = 0; j < m; j++) {
                assertArrayEquals(A[m - 1][j], r.a()[j], 1e-14, "A row " + j + ", m=" + m);
                assertArrayEquals(D[m - 1][j], r.d()[j], 1e-14 * Math.max(1, m * m), "D row " + j + ", m=" + m);
            }
        }
        double s6 = Math.sqrt(6);
        assertArrayEquals(new double[] {(4 - s6) / 10, (4 + s6) / 10, 1}, RadauIIA.of(3).c(), 1e-15);
        assertArrayEquals(new double[] {(16 - s6) / 36, (16 + s6) / 36, 1.0 / 9}, RadauIIA.of(3).b(), 1e-15);
    }

    @Test
    void differentiationMatrixInvertsTheButcherMatrix() {
        for (int m = 1; m <= 8; m++) {
            RadauIIA r = RadauIIA.of(m);
            for (int i = 0; i < m; i++) {
                double rowSumInverse = 0;
                for (int j = 0; j < m; j++) {
                    double dot = 0;
                    for (int k = 0; k < m; k++) {
                        dot += r.d()[i][k + 1] * r.a()[k][j];
                    }
                    assertEquals(i == j ? 1 : 0, dot, 1e-12 * m, "D·A, m=" + m);
                    rowSumInverse += r.d()[i][j + 1];
                }
                assertEquals(-rowSumInverse, r.d()[i][0], 1e-12 * m, "D[j][0], m=" + m);
            }
        }
    }

    @Test
    void quadratureHasOrderTwoMMinusOne() {
        for (int m = 1; m <= 6; m++) {
            RadauIIA r = RadauIIA.of(m);
            for (int k = 0; k <= 2 * m - 1; k++) {
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += r.b()[j] * Math.pow(r.c()[j], k);
                }
                double err = Math.abs(s - 1.0 / (k + 1));
                if (k <= 2 * m - 2) {
                    assertTrue(err < 1e-13, "m=" + m + " k=" + k + " err " + err);
                } else {
                    assertTrue(err > 1e-10, "m=" + m + " must fail at k=2m−1: " + err);
                }
            }
        }
        RadauIIA two = RadauIIA.of(2);
        assertEquals(1.0 / 36, Math.abs(two.b()[0] / 27 + two.b()[1] - 0.25), 1e-15);
    }

    @Test
    void golubWelschMatchesNumpyForFiveStages() {
        assertArrayEquals(new double[] {0.057104196114518, 0.276843013638124, 0.583590432368917,
            0.860240135656219, 1}, RadauIIA.of(5).c(), 1e-12);
        RadauIIA twenty = RadauIIA.of(20);
        for (int j = 1; j < 20; j++) {
            assertTrue(twenty.c()[j] > twenty.c()[j - 1]);
        }
    }

    @Test
    void interpolationReproducesPolynomialsOfDegreeM() {
        for (int m = 1; m <= 6; m++) {
            RadauIIA r = RadauIIA.of(m);
            double[] tau = r.tau();
            double[] coef = new double[m + 1];
            for (int k = 0; k <= m; k++) {
                coef[k] = Math.sin(k + 1.3 * m);
            }
            double[] values = new double[m + 1];
            for (int k = 0; k <= m; k++) {
                values[k] = poly(coef, tau[k]);
            }
            for (double t : new double[] {0, 0.013, 0.37, 0.5, 0.91, 1, tau[Math.min(1, m)]}) {
                double[] w = r.interpolationWeights(t);
                double v = 0;
                for (int k = 0; k <= m; k++) {
                    v += w[k] * values[k];
                }
                assertEquals(poly(coef, t), v, 1e-12, "m=" + m + " t=" + t);
            }
        }
    }

    @Test
    void stageCountOutOfRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RadauIIA.of(0));
        assertThrows(IllegalArgumentException.class, () -> RadauIIA.of(21));
    }

    private static double poly(double[] coef, double t) {
        double v = 0;
        for (int k = coef.length - 1; k >= 0; k--) {
            v = v * t + coef[k];
        }
        return v;
    }
}
