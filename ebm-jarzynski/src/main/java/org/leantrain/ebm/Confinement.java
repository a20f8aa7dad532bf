package org.leantrain.ebm;

import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A fixed confinement energy C(x) whose density exp(−C/T) can be sampled exactly and has a known log Z_0, so a
 * neural energy N_θ + C with a zero-initialized last layer starts from an exactly known model (spec §2).
 */
public sealed interface Confinement {
    /** C for a batch [B, D] → [B], on the tape. */
    Tensor energy(Tensor x);

    /** n exact samples of exp(−C/T)/Z_0. */
    INDArray sample(int n, int dim, double temperature, DataType type, Rng rng);

    /** log Z_0 = log ∫ exp(−C/T) dx. */
    double logZ0(int dim, double temperature);

    /** C = |x|²/(2σ0²): X_0 ~ N(0, σ0² T I), log Z_0 = (D/2) log(2π σ0² T). */
    record Gaussian(double sigma0) implements Confinement {
        public Gaussian {
            if (!(sigma0 > 0) || !Double.isFinite(sigma0)) {
                throw new IllegalArgumentException("sigma0 must be a positive finite number, got " + sigma0);
            }
        }

        @Override
        public Tensor energy(Tensor x) {
            return x.square().sum(false, 1).mul(1 / (2 * sigma0 * sigma0));
        }

        @Override
        public INDArray sample(int n, int dim, double temperature, DataType type, Rng rng) {
            return rng.normal(type, 0, sigma0 * Math.sqrt(temperature), n, dim);
        }

        @Override
        public double logZ0(int dim, double temperature) {
            return 0.5 * dim * Math.log(2 * Math.PI * sigma0 * sigma0 * temperature);
        }
    }

    /**
     * Soft box for images, C = (λ/2) Σ_p relu(|x_p| − 1)²: coordinates independent, each uniform on [−1, 1] with
     * probability 2/(2+t), else ±(1 + |N(0, T/λ)|), t = sqrt(2πT/λ); log Z_0 = D log(2 + t). Replaces the
     * official code's pixel clipping, which changes the kernel and so breaks the weights (spec §9).
     */
    record SoftBox(double lambda) implements Confinement {
        public SoftBox {
            if (!(lambda > 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException("lambda must be a positive finite number, got " + lambda);
            }
        }

        @Override
        public Tensor energy(Tensor x) {
            return x.abs().sub(1).relu().square().sum(false, 1).mul(lambda / 2);
        }

        @Override
        public INDArray sample(int n, int dim, double temperature, DataType type, Rng rng) {
            double t = tailWidth(temperature);
            double inside = 2 / (2 + t);
            double tailStd = Math.sqrt(temperature / lambda);
            double[] v = new double[n * dim];
            for (int i = 0; i < v.length; i++) {
                if (rng.nextDouble() < inside) {
                    v[i] = 2 * rng.nextDouble() - 1;
                } else {
                    double magnitude = 1 + Math.abs(tailStd * rng.nextGaussian());
                    v[i] = rng.nextDouble() < 0.5 ? -magnitude : magnitude;
                }
            }
            return Nd4j.create(v, new long[] {n, dim}, 'c').castTo(type);
        }

        @Override
        public double logZ0(int dim, double temperature) {
            return dim * Math.log(2 + tailWidth(temperature));
        }

        /** t = sqrt(2πT/λ): the mass of both Gaussian tails relative to the flat part's density. */
        public double tailWidth(double temperature) {
            return Math.sqrt(2 * Math.PI * temperature / lambda);
        }
    }
}
