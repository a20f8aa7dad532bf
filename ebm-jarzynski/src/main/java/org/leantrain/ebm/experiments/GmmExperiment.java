package org.leantrain.ebm.experiments;

import java.util.List;
import org.leantrain.core.optim.Sgd;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Progress;
import org.leantrain.core.util.Rng;
import org.leantrain.ebm.EbmTrainConfig;
import org.leantrain.ebm.EbmTrainer;
import org.leantrain.ebm.GaussianMixtureEnergy;
import org.leantrain.ebm.JarzynskiSampler;
import org.leantrain.ebm.ResamplingConfig;
import org.leantrain.ebm.ResamplingScheme;
import org.leantrain.ebm.Sampler;
import org.leantrain.ebm.SamplingMethod;
import org.leantrain.ebm.StepStats;
import org.leantrain.ebm.UlaConfig;
import org.leantrain.ebm.WalkerConfig;
import org.leantrain.ebm.WalkerInit;
import org.leantrain.ebm.WeightScheme;
import org.leantrain.ebm.metrics.GmmMetrics;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Gaussian-mixture experiments of spec §7: E1 (d = 50, two modes at 1:3, the authors' set-up) and E2 (2-D,
 * four modes 10 apart). Plain gradient descent, PAPER ordering, float64; the teacher data are drawn once per seed
 * with exact mode counts.
 */
public final class GmmExperiment {
    /** Which experiment. */
    public enum Kind { GMM50, GMM2D }

    /** A method with its walker initialisation: the technique or one of the baselines of spec §5. */
    public record Variant(String name, SamplingMethod method, WalkerInit init) {}

    /**
     * Run sizes. {@code walkers}: walkers in the gradient; {@code trackingFraction}: an extra tracking subset of that
     * fraction of all walkers (Jarzynski only), from which log Ẑ and the KL estimate are read.
     */
    public record Settings(int walkers, int dataBatch, int updates, double etaMeans, double etaLogits, double stepSize,
                           double essThreshold, double trackingFraction, int logEvery) {
        public Settings {
            if (walkers < 2 || dataBatch < 1 || updates < 1 || logEvery < 1) {
                throw new IllegalArgumentException("walkers >= 2, dataBatch, updates and logEvery >= 1 required, got "
                        + walkers + ", " + dataBatch + ", " + updates + ", " + logEvery);
            }
        }

        public Settings withUpdates(int u) {
            return new Settings(walkers, dataBatch, u, etaMeans, etaLogits, stepSize, essThreshold, trackingFraction,
                    Math.max(1, u / 40));
        }

        /** No tracking subset: every method then has exactly N walkers (for cost comparisons). */
        public Settings withoutTracking() {
            return new Settings(walkers, dataBatch, updates, etaMeans, etaLogits, stepSize, essThreshold, 0, logEvery);
        }

        public Settings withWalkers(int n) {
            return new Settings(n, dataBatch, updates, etaMeans, etaLogits, stepSize, essThreshold, trackingFraction,
                    logEvery);
        }
    }

    private final Kind kind;
    private final GaussianMixtureEnergy teacher;
    private final INDArray data;
    private final double dataEntropy;

    private GmmExperiment(Kind kind, GaussianMixtureEnergy teacher, INDArray data) {
        this.kind = kind;
        this.teacher = teacher;
        this.data = data;
        this.dataEntropy = GmmMetrics.dataEntropy(teacher, data);
    }

    /** The teacher and its 10⁴ data points (exact mode counts) for a seed. */
    public static GmmExperiment create(Kind kind, long seed) {
        GaussianMixtureEnergy teacher = teacher(kind);
        return new GmmExperiment(kind, teacher, stratifiedSample(teacher, 10_000, new Rng(seed * 7919 + 17)));
    }

    static GaussianMixtureEnergy teacher(Kind kind) {
        if (kind == Kind.GMM50) {
            double[][] a = new double[2][50];
            a[0][0] = -10;
            a[1][0] = 6;
            return GaussianMixtureEnergy.withFirstLogitFrozen(a, new double[] {0, -Math.log(3)});
        }
        double[][] a = {{-5, -5}, {5, -5}, {-5, 5}, {5, 5}};
        double[] masses = {0.4, 0.3, 0.2, 0.1};
        double[] z = new double[4];
        for (int m = 0; m < 4; m++) {
            z[m] = -Math.log(masses[m] / masses[0]);
        }
        return GaussianMixtureEnergy.withFirstLogitFrozen(a, z);
    }

    /** The quick configurations of spec §7 (E1: N = 2000, η ×4, 2000 updates; E2: N = 2000, 4000 updates). */
    public static Settings quick(Kind kind) {
        return kind == Kind.GMM50
                ? new Settings(2000, 2000, 2000, 0.01, 0.05, 0.1, 0.5, 0.25, 50)
                : new Settings(2000, 2000, 4000, 0.01, 0.05, 0.1, 0.5, 0.25, 100);
    }

    public static List<Variant> variants(Kind kind) {
        Variant jarzynski = new Variant("jarzynski", SamplingMethod.JARZYNSKI, WalkerInit.MODEL);
        Variant pcdData = new Variant("pcd", SamplingMethod.PCD, WalkerInit.DATA);
        Variant cd = new Variant("cd", SamplingMethod.CD, WalkerInit.DATA);
        return kind == Kind.GMM50 ? List.of(jarzynski, pcdData, cd)
                : List.of(jarzynski, pcdData, new Variant("pcd-model", SamplingMethod.PCD, WalkerInit.MODEL), cd);
    }

    /** The student at θ_0 (spec §7): means near the origin, z = 0, z_1 frozen. */
    public GaussianMixtureEnergy initialStudent(Rng rng) {
        int d = teacher.dimension();
        int modes = teacher.modes();
        double[][] a = new double[modes][d];
        for (int m = 0; m < modes; m++) {
            for (int k = 0; k < d; k++) {
                a[m][k] = 0.01 * rng.nextGaussian();
            }
        }
        if (kind == Kind.GMM50) {
            a[0][0] = -0.1;
            a[1][0] = 0.1;
        } else {
            double[][] corner = {{-1, -1}, {1, -1}, {-1, 1}, {1, 1}}; // one per quadrant, the teacher's order
            for (int m = 0; m < 4; m++) {
                a[m][0] += 0.1 * corner[m][0];
                a[m][1] += 0.1 * corner[m][1];
            }
        }
        return GaussianMixtureEnergy.withFirstLogitFrozen(a, new double[modes]);
    }

    /** What one run produced: the trained student, its sampler, curves and timing. */
    public record Result(Variant variant, long seed, GaussianMixtureEnergy student, Sampler sampler, CsvTable curve,
                         double seconds) {}

    /** Trains one variant for one seed; curves every {@code settings.logEvery()} updates. */
    public Result run(Variant variant, Settings s, long seed) {
        Session session = start(variant, s, seed);
        CsvTable curve = new CsvTable("update", "mode_mass_error", "tv", "exact_kl", "estimated_kl", "ess_fraction",
                "resamplings", "log_z_error");
        Progress progress = new Progress(kind.name().toLowerCase() + " " + variant.name() + " seed " + seed,
                s.updates(), Math.max(1, s.updates() / 4));
        long start = System.nanoTime();
        for (int k = 1; k <= s.updates(); k++) {
            StepStats stats = session.step();
            progress.step(k, stats.loss());
            if (k % s.logEvery() == 0 || k == s.updates()) {
                double estimatedKl = session.sampler instanceof JarzynskiSampler
                        ? session.trainer.crossEntropyEstimate(data) - dataEntropy : Double.NaN;
                curve.add(k, massError(session.student), tv(session.student), exactKl(session.student), estimatedKl,
                        stats.ess() / session.sampler.lossWalkers().size(0), session.sampler.resamplings(),
                        stats.logZEstimate() - session.student.logPartition());
            }
        }
        return new Result(variant, seed, session.student, session.sampler, curve, (System.nanoTime() - start) / 1e9);
    }

    /** A run in progress: one {@link #step()} per update on a random data batch. */
    public final class Session {
        private final GaussianMixtureEnergy student;
        private final Sampler sampler;
        private final EbmTrainer trainer;
        private final int dataBatch;
        private final Rng rng;

        private Session(GaussianMixtureEnergy student, Sampler sampler, EbmTrainer trainer, int dataBatch, Rng rng) {
            this.student = student;
            this.sampler = sampler;
            this.trainer = trainer;
            this.dataBatch = dataBatch;
            this.rng = rng;
        }

        public StepStats step() {
            return trainer.step(batch(dataBatch, rng));
        }

        public GaussianMixtureEnergy student() {
            return student;
        }

        public Sampler sampler() {
            return sampler;
        }
    }

    /** Builds the student at θ_0, its walkers and trainer for one variant and seed. */
    public Session start(Variant variant, Settings s, long seed) {
        Rng rng = new Rng(seed);
        GaussianMixtureEnergy student = initialStudent(rng.split());
        boolean cd = variant.method() == SamplingMethod.CD;
        boolean jarzynski = variant.method() == SamplingMethod.JARZYNSKI;
        // the tracking subset comes on top of the gradient walkers, so every method has N walkers in its gradient
        int tracking = jarzynski ? (int) Math.round(s.walkers() * s.trackingFraction() / (1 - s.trackingFraction())) : 0;
        int total = s.walkers() + tracking;
        EbmTrainConfig config = new EbmTrainConfig(variant.method(), WeightScheme.PAPER, new UlaConfig(s.stepSize(), 1),
                new WalkerConfig(total, 1, 1, total, (double) tracking / total),
                new ResamplingConfig(ResamplingScheme.SYSTEMATIC, s.essThreshold(), 0), 0, 1, cd ? 4 : 1,
                variant.init(), 0, seed);
        // Jarzynski: training walkers first, tracking walkers after; all exact samples of ρ_θ0
        INDArray x0 = tracking == 0 ? stratifiedSample(student, s.walkers(), rng.split())
                : Nd4j.vstack(stratifiedSample(student, s.walkers(), rng.split()),
                        stratifiedSample(student, tracking, rng.split()));
        Sampler sampler = EbmTrainer.sampler(config, student, x0, student.logPartition(), data);
        double lrScale = cd ? 10 : 1; // the authors' CD variant: learning rates ×10
        EbmTrainer trainer = new EbmTrainer(student, sampler, List.of(
                new Sgd(List.of(student.means()), s.etaMeans() * lrScale, 0),
                new Sgd(List.of(student.logits()), s.etaLogits() * lrScale, 0)), config);
        return new Session(student, sampler, trainer, s.dataBatch(), rng);
    }

    private INDArray batch(int size, Rng rng) {
        if (size >= data.size(0)) {
            return data;
        }
        int[] idx = new int[size];
        int[] perm = rng.permutation((int) data.size(0));
        System.arraycopy(perm, 0, idx, 0, size);
        return Nd4j.pullRows(data, 1, idx);
    }

    /** E1: |mass of the +6 mode − 3/4|; E2: max_m |mass_m − target_m|. */
    public double massError(GaussianMixtureEnergy student) {
        double[] p = student.modeMasses();
        double[] q = teacher.modeMasses();
        if (kind == Kind.GMM50) {
            return Math.abs(p[1] - q[1]);
        }
        double worst = 0;
        for (int m = 0; m < p.length; m++) {
            worst = Math.max(worst, Math.abs(p[m] - q[m]));
        }
        return worst;
    }

    /** TV between the student's and the teacher's mode masses. */
    public double tv(GaussianMixtureEnergy student) {
        return GmmMetrics.totalVariation(student.modeMasses(), teacher.modeMasses());
    }

    /** Exact KL(ρ_*‖ρ_θ): analytic Z, expectation over the data. */
    public double exactKl(GaussianMixtureEnergy student) {
        return GmmMetrics.exactKl(teacher, student, data);
    }

    public GaussianMixtureEnergy teacher() {
        return teacher;
    }

    public INDArray data() {
        return data;
    }

    /** n exact samples of a mixture at T = 1 with mode counts round(n·mass) (stratified: lower variance, unbiased). */
    public static INDArray stratifiedSample(GaussianMixtureEnergy mixture, int n, Rng rng) {
        double[] masses = mixture.modeMasses();
        double[][] a = mixture.meanValues();
        int d = mixture.dimension();
        double[] out = new double[n * d];
        int row = 0;
        double cumulative = 0;
        for (int m = 0; m < masses.length; m++) {
            cumulative += masses[m];
            int end = m == masses.length - 1 ? n : (int) Math.round(cumulative * n);
            for (; row < end; row++) {
                for (int k = 0; k < d; k++) {
                    out[row * d + k] = a[m][k] + rng.nextGaussian();
                }
            }
        }
        return Nd4j.create(out, new long[] {n, d}, 'c');
    }
}
