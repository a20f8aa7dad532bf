package org.leantrain.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.data.Mnist;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.util.Metrics;
import org.leantrain.core.util.Rng;
import org.leantrain.core.util.Threads;
import org.leantrain.ebm.ConfinedNeuralEnergy;
import org.leantrain.ebm.EbmTrainer;
import org.leantrain.ebm.EnergyGrad;
import org.leantrain.ebm.SamplingMethod;
import org.leantrain.ebm.UlaConfig;
import org.leantrain.ebm.UlaKernel;
import org.leantrain.ebm.WalkerInit;
import org.leantrain.ebm.experiments.GmmExperiment;
import org.leantrain.ebm.experiments.GmmExperiment.Kind;
import org.leantrain.ebm.experiments.GmmExperiment.Variant;
import org.leantrain.ebm.experiments.MnistExperiment;
import org.leantrain.examples.RunOptions;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code leantrain-bench ebm}: the ebm-jarzynski spec §8 — cost per update of Jarzynski vs PCD (with pass counts),
 * cached vs naive energy gradients, the E1-quick loop vs PyTorch CPU, saved-activation bytes, and quality at equal
 * wall time.
 */
@Command(name = "ebm", mixinStandardHelpOptions = true,
        description = "Jarzynski-weighted walkers vs PCD/CD: update cost, cached gradients, PyTorch peer, memory,"
                + " quality at equal compute.")
public final class EbmBench implements Callable<Integer> {
    @Mixin
    RunOptions run;

    @Option(names = "--rounds", defaultValue = "7", description = "interleaved timing rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Python with PyTorch for the peer timing (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--data", defaultValue = "../shared/data/mnist",
            description = "MNIST directory for the image-sized timings (default: ${DEFAULT-VALUE})")
    Path mnistDir;

    @Option(names = "--skip-quality", description = "skip the equal-wall-time quality runs (about 3 minutes)")
    boolean skipQuality;

    @Override
    public Integer call() throws Exception {
        if (rounds < 3) {
            throw new IllegalArgumentException("--rounds must be >= 3, got " + rounds);
        }
        Mnist mnist = Mnist.load(mnistDir);
        int threads = run.threads(2);
        Threads.setNd4jThreads(threads);
        Path dir = run.start("bench-ebm");
        Metrics metrics = new Metrics();
        System.out.printf("ebm benchmark: %d ND4J threads, %d rounds, results in %s%n", threads, rounds, dir);

        gmmUpdateCost(Kind.GMM50, "update_cost_ratio_vs_pcd", metrics);
        gmmUpdateCost(Kind.GMM2D, "update_cost_ratio_vs_pcd_gmm2d", metrics);
        Dataset images = MnistExperiment.data(mnist);
        imageUpdateCost("E3-quick", MnistExperiment.quick(), images, 1.35, "update_cost_ratio_vs_pcd_e3_quick",
                metrics);
        MnistExperiment.Settings fullWalkers = new MnistExperiment.Settings(1024, 6, 256, 30, 5e-5, 1e-4, 1e-4, 128,
                600, 0.01, 1, 0.5, new int[] {256, 256}, 100);
        imageUpdateCost("E3-full walker sizes (MLP energy)", fullWalkers, images, 1.10,
                "update_cost_ratio_vs_pcd_e3_full", metrics);
        cachedVersusNaive(images, metrics);
        savedBytes(images, metrics);
        torchPeer(threads, metrics);
        if (!skipQuality) {
            equalWallTime(Kind.GMM50, metrics);
            equalWallTime(Kind.GMM2D, metrics);
        }
        System.out.println("metrics: " + metrics.write(dir));
        return 0;
    }

    private static Variant variant(SamplingMethod m) {
        return new Variant(m.name().toLowerCase(), m, m == SamplingMethod.JARZYNSKI ? WalkerInit.MODEL : WalkerInit.DATA);
    }

    /** PAPER ordering at the quick sizes, no tracking subset: both do one energy+gradient pass per walker. */
    private void gmmUpdateCost(Kind kind, String key, Metrics metrics) {
        GmmExperiment experiment = GmmExperiment.create(kind, 0);
        GmmExperiment.Settings s = GmmExperiment.quick(kind).withoutTracking();
        GmmExperiment.Session jarzynski = experiment.start(variant(SamplingMethod.JARZYNSKI), s, 0);
        GmmExperiment.Session pcd = experiment.start(variant(SamplingMethod.PCD), s, 0);
        long[] j0 = jarzynski.sampler().walkerPasses();
        long[] p0 = pcd.sampler().walkerPasses();
        int r = Math.max(2 * rounds + 1, 15); // updates of a few ms: many short interleaved rounds against machine noise
        double[] t = Timing.interleaved(r, 40, jarzynski::step, pcd::step);
        long updates = 40L * (r + 1);
        double jPasses = (jarzynski.sampler().walkerPasses()[0] - j0[0]) / (double) updates / s.walkers();
        double pPasses = (pcd.sampler().walkerPasses()[0] - p0[0]) / (double) updates / s.walkers();
        System.out.printf("1. %s update (PAPER, N = %d, d = %d): Jarzynski %.2f ms, PCD %.2f ms, ratio %.3f (target"
                        + " <= 1.10); energy+gradient passes per walker per update %.2f vs %.2f%n", kind, s.walkers(),
                experiment.teacher().dimension(), t[0], t[1], t[0] / t[1], jPasses, pPasses);
        check(jPasses == 1 && pPasses == 1, "PAPER needs exactly one pass per walker per update");
        metrics.put(key, t[0] / t[1]).put(key.replace("update_cost_ratio_vs_pcd", "jarzynski_update_ms"), t[0]);
    }

    private void imageUpdateCost(String name, MnistExperiment.Settings s, Dataset images, double target, String key,
                                 Metrics metrics) {
        EbmTrainer jarzynski = MnistExperiment.trainer(s, SamplingMethod.JARZYNSKI,
                MnistExperiment.energy(s, new Rng(1)), 1);
        EbmTrainer pcd = MnistExperiment.trainer(s, SamplingMethod.PCD, MnistExperiment.energy(s, new Rng(1)), 1);
        Rng rng = new Rng(3);
        long[] j0 = jarzynski.sampler().walkerPasses();
        long[] p0 = pcd.sampler().walkerPasses();
        boolean large = s.stepsPerUpdate() > 10; // seconds per update: fewer, single-update rounds
        int inner = large ? 1 : 3;
        int r = large ? Math.max(3, (rounds + 1) / 2) : Math.max(2 * rounds + 1, 15);
        double[] t = Timing.interleaved(r, inner, () -> jarzynski.step(MnistExperiment.batch(images, s.dataBatch(), rng)),
                () -> pcd.step(MnistExperiment.batch(images, s.dataBatch(), rng)));
        long updates = (long) inner * (r + 1);
        double jGrad = (jarzynski.sampler().walkerPasses()[0] - j0[0]) / (double) updates;
        double jEnergy = (jarzynski.sampler().walkerPasses()[1] - j0[1]) / (double) updates;
        double pGrad = (pcd.sampler().walkerPasses()[0] - p0[0]) / (double) updates;
        double expectedJ = (double) s.miniBatches() * s.miniBatchSize() * (s.stepsPerUpdate() + 1);
        double expectedP = (double) s.miniBatches() * s.miniBatchSize() * s.stepsPerUpdate();
        System.out.printf("2. %s update (REWEIGHT_THEN_MOVE, N = %d, m = %d, b = %d, K = %d): Jarzynski %.1f ms, PCD"
                        + " %.1f ms, ratio %.3f (target <= %.2f)%n   walker passes per update: Jarzynski %.0f"
                        + " energy+gradient + %.0f energy-only (m·b·(K+1) = %.0f, N = %d); PCD %.0f (m·b·K = %.0f)%n",
                name, s.walkers(), s.miniBatches(), s.miniBatchSize(), s.stepsPerUpdate(), t[0], t[1], t[0] / t[1],
                target, jGrad, jEnergy, expectedJ, s.walkers(), pGrad, expectedP);
        check(jGrad == expectedJ && jEnergy == s.walkers() && pGrad == expectedP, "pass counts differ from spec §8");
        metrics.put(key, t[0] / t[1]);
    }

    /**
     * A K = 10 chain of 128 image walkers: carried (U, ∇U), K + 1 passes, against the authors' pattern that
     * re-evaluates U and ∇U at both ends of every step (3K passes). Both must give the same log-weight increments.
     */
    private void cachedVersusNaive(Dataset images, Metrics metrics) {
        MnistExperiment.Settings s = MnistExperiment.quick();
        ConfinedNeuralEnergy energy = MnistExperiment.energy(s, new Rng(1));
        // a trained-looking energy: perturb the zero head so ∇U has a network part
        energy.parameters().forEach(p -> p.value().addi(new Rng(4).normal(p.dataType(), 0, 0.01, p.shape())));
        UlaKernel kernel = new UlaKernel(new UlaConfig(s.stepSize(), s.temperature()));
        INDArray x0 = MnistExperiment.batch(images, 128, new Rng(6));
        int k = 10;
        double[][] increments = new double[2][];
        Runnable cached = () -> {
            try (StepMemory ignored = StepMemory.open()) {
                increments[0] = chain(energy, kernel, x0, k, false);
            }
        };
        Runnable naive = () -> {
            try (StepMemory ignored = StepMemory.open()) {
                increments[1] = chain(energy, kernel, x0, k, true);
            }
        };
        double[] t = Timing.interleaved(Math.max(9, rounds), 2, cached, naive);
        double maxDiff = 0;
        double scale = 0;
        for (int i = 0; i < 128; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(increments[0][i] - increments[1][i]));
            scale = Math.max(scale, Math.abs(increments[0][i]));
        }
        double speedup = t[1] / t[0];
        System.out.printf("3. K = %d ULA chain, 128 MNIST walkers, MLP energy: cached (U, ∇U) %.1f ms (K+1 passes),"
                        + " naive re-evaluation %.1f ms (3K passes), speed-up %.2f (target >= 2); max |ΔA cached −"
                        + " ΔA naive| = %.2e (scale %.2e)%n", k, t[0], t[1], speedup, maxDiff, scale);
        check(maxDiff <= 1e-6 * Math.max(1, scale) + 1e-3, "cached and naive chains disagree");
        metrics.put("cached_grad_speedup", speedup);
    }

    /** One K-step chain; returns the log-weight increment of each walker. Same seed → same ξ for both variants. */
    private static double[] chain(ConfinedNeuralEnergy energy, UlaKernel kernel, INDArray x0, int steps, boolean naive) {
        Rng rng = new Rng(7);
        double t = kernel.config().temperature();
        double[] deltaA = new double[(int) x0.size(0)];
        INDArray x = x0;
        EnergyGrad current = energy.energyAndGrad(x);
        for (int k = 0; k < steps; k++) {
            if (naive) {
                current = energy.energyAndGrad(x); // the drift's gradient, recomputed
            }
            UlaKernel.Move move = kernel.step(x, current.grad(), rng);
            EnergyGrad next = energy.energyAndGrad(move.y());
            EnergyGrad back = naive ? energy.energyAndGrad(x) : current; // the backward kernel's end, recomputed
            double[] ratio = kernel.logKernelRatio(move.xi(), back.grad(), next.grad());
            for (int i = 0; i < deltaA.length; i++) {
                deltaA[i] += (back.energy()[i] - next.energy()[i]) / t + ratio[i];
            }
            x = move.y();
            current = next;
        }
        return deltaA;
    }

    private void savedBytes(Dataset images, Metrics metrics) {
        MnistExperiment.Settings s = MnistExperiment.quick();
        long[] peak = new long[2];
        SamplingMethod[] methods = {SamplingMethod.JARZYNSKI, SamplingMethod.PCD};
        for (int i = 0; i < 2; i++) {
            EbmTrainer trainer = MnistExperiment.trainer(s, methods[i], MnistExperiment.energy(s, new Rng(1)), 1);
            Rng rng = new Rng(3);
            trainer.step(MnistExperiment.batch(images, s.dataBatch(), rng));
            Memory.resetPeak();
            trainer.step(MnistExperiment.batch(images, s.dataBatch(), rng));
            peak[i] = Memory.peakSavedBytes();
        }
        double ratio = (double) peak[0] / peak[1];
        System.out.printf("4. peak saved-activation bytes per E3-quick update: Jarzynski %.2f MB, PCD %.2f MB, ratio"
                + " %.3f (target <= 1.1)%n", peak[0] / 1e6, peak[1] / 1e6, ratio);
        metrics.put("saved_bytes_ratio_vs_pcd", ratio).put("jarzynski_peak_saved_bytes", peak[0]);
    }

    private void torchPeer(int threads, Metrics metrics) throws Exception {
        GmmExperiment experiment = GmmExperiment.create(Kind.GMM50, 0);
        GmmExperiment.Settings s = GmmExperiment.quick(Kind.GMM50).withoutTracking();
        GmmExperiment.Session session = experiment.start(variant(SamplingMethod.JARZYNSKI), s, 0);
        double before = Timing.medianMillis(50, 100, session::step);
        TorchPeer.Result torch = TorchPeer.run(python, "ebm_gmm_loop.py", threads, 200);
        double after = Timing.medianMillis(10, 100, session::step);
        double javaMs = (before + after) / 2;
        metrics.put("gmm_loop_ms", javaMs);
        if (torch.ok()) {
            double ratio = javaMs / torch.msPerStep();
            System.out.printf("5. E1-quick Jarzynski loop (d = 50, N = 2000, closed-form gradients): leantrain %.2f ms"
                    + " per update, PyTorch %s %.2f ms, ratio %.2f (target <= 2)%n", javaMs, torch.version(),
                    torch.msPerStep(), ratio);
            metrics.put("gmm_loop_torch_ms", torch.msPerStep()).put("gmm_loop_ratio_vs_torch", ratio);
        } else {
            System.out.printf("5. E1-quick Jarzynski loop: leantrain %.2f ms per update; PyTorch not measured (%s)%n",
                    javaMs, torch.problem());
            metrics.missing("gmm_loop_torch_ms").missing("gmm_loop_ratio_vs_torch");
        }
    }

    /** Jarzynski for the quick number of updates; PCD and CD get the same wall time. Seed 0. */
    private void equalWallTime(Kind kind, Metrics metrics) {
        GmmExperiment experiment = GmmExperiment.create(kind, 0);
        GmmExperiment.Settings s = GmmExperiment.quick(kind);
        String name = kind.name().toLowerCase();
        GmmExperiment.Session jarzynski = experiment.start(variant(SamplingMethod.JARZYNSKI), s, 0);
        long start = System.nanoTime();
        for (int k = 0; k < s.updates(); k++) {
            jarzynski.step();
        }
        double budget = (System.nanoTime() - start) / 1e9;
        System.out.printf("6. %s at equal wall time (%.1f s, seed 0): jarzynski %d updates: mass error %.3f, TV %.3f,"
                        + " exact KL %.4f%n", name, budget, s.updates(), experiment.massError(jarzynski.student()),
                experiment.tv(jarzynski.student()), experiment.exactKl(jarzynski.student()));
        metrics.put(name + "_equal_time_jarzynski_tv", experiment.tv(jarzynski.student()));
        for (SamplingMethod m : new SamplingMethod[] {SamplingMethod.PCD, SamplingMethod.CD}) {
            GmmExperiment.Session session = experiment.start(variant(m), s, 0);
            long t0 = System.nanoTime();
            int updates = 0;
            while ((System.nanoTime() - t0) / 1e9 < budget) {
                session.step();
                updates++;
            }
            System.out.printf("   %-4s %d updates: mass error %.3f, TV %.3f, exact KL %.4f%n", m.name().toLowerCase(),
                    updates, experiment.massError(session.student()), experiment.tv(session.student()),
                    experiment.exactKl(session.student()));
            metrics.put(name + "_equal_time_" + m.name().toLowerCase() + "_tv", experiment.tv(session.student()));
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark self-check failed: " + what);
        }
    }
}
