package org.leantrain.layerselect;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Point clouds of spec §6. */
final class Clouds {
    private Clouds() {}

    /** Point i, coordinate c = u_{i·d+c}, u = successive SplittableRandom(seed).nextDouble() values. */
    static double[][] seeded(long seed, int n, int d) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] pts = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                pts[i][c] = random.nextDouble();
            }
        }
        return pts;
    }

    static double[][] circle(int n, double cx, double cy) {
        double[][] pts = new double[n][];
        for (int k = 0; k < n; k++) {
            pts[k] = new double[] {cx + Math.cos(2 * Math.PI * k / n), cy + Math.sin(2 * Math.PI * k / n)};
        }
        return pts;
    }

    /** Distances through the centred Gram path of the activations, in double or float32 input. */
    static DistanceMatrix viaGram(double[][] pts, DataType type) {
        return DistanceMatrix.fromActivations(Nd4j.createFromArray(pts).castTo(type));
    }
}
