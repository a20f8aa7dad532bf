package org.leantrain.ebm;

import java.util.List;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.tensor.Nd;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Maximum-likelihood training of an energy model: per update, the surrogate-loss gradient from a data batch and the
 * sampler's weighted walkers, the optimizer step(s), then the sampler's moves (spec §3).
 */
public final class EbmTrainer {
    private final EnergyModel model;
    private final Sampler sampler;
    private final List<Optimizer> optimizers;
    private final EbmTrainConfig config;
    private final Rng rng;
    private long updates;

    public EbmTrainer(EnergyModel model, Sampler sampler, List<Optimizer> optimizers, EbmTrainConfig config) {
        if (optimizers.isEmpty()) {
            throw new IllegalArgumentException("at least one optimizer is needed");
        }
        this.model = model;
        this.sampler = sampler;
        this.optimizers = List.copyOf(optimizers);
        this.config = config;
        this.rng = new Rng(config.seed());
    }

    /**
     * Builds the sampler the config asks for. {@code modelSamples}: N exact samples of ρ_{θ_0} (Jarzynski, PCD from
     * MODEL); {@code data}: the pool PCD(DATA) walkers are drawn from; {@code logZ0}: log Z_{θ_0}.
     */
    public static Sampler sampler(EbmTrainConfig config, EnergyModel model, INDArray modelSamples, double logZ0,
                                  INDArray data) {
        Rng rng = new Rng(config.seed()).split();
        return switch (config.method()) {
            case JARZYNSKI -> new JarzynskiSampler(model, modelSamples, logZ0, config.scheme(), config.ula(),
                    config.walkers(), config.resampling());
            case PCD -> new PcdSampler(model, config.pcdInit() == WalkerInit.MODEL ? modelSamples
                    : Walkers.randomRows(data, config.walkers().numWalkers(), rng), config.scheme(), config.ula(),
                    config.walkers());
            case CD -> new CdSampler(config.ula(), config.walkers().numWalkers(), config.cdSteps(),
                    config.cdRestartEvery());
        };
    }

    /**
     * One update θ_k → θ_{k+1} on a data batch [B, D]. Its temporaries live in a recycled {@link StepMemory} (so do
     * not call it inside another StepMemory scope); what the walkers keep is copied out at the end.
     */
    public StepStats step(INDArray dataBatch) {
        long start = System.nanoTime();
        model.checkInput(dataBatch, "data batch");
        Walkers.checkFinite(dataBatch, "data batch");
        updates++;
        double loss;
        try (StepMemory ignored = StepMemory.open()) {
            sampler.prepare(model, dataBatch, rng);
            optimizers.forEach(Optimizer::zeroGrad);
            loss = model.accumulateGradient(dataBatch, sampler.lossWalkers(), sampler.lossWeights(),
                    config.regAlpha());
            checkGradients();
            if (config.clipNorm() > 0) {
                GradClip.clipGlobalNorm(model.parameters(), config.clipNorm());
            }
            optimizers.forEach(Optimizer::step);
            sampler.afterParameterUpdate(model, rng);
            sampler.persist();
        }
        return new StepStats(updates, loss, sampler.ess(), sampler.resampledLastUpdate(), sampler.logZEstimate(),
                (System.nanoTime() - start) / 1e9);
    }

    private void checkGradients() {
        for (Tensor p : model.parameters()) {
            if (p.grad() != null && !Nd.isFinite(p.grad())) {
                throw new ArithmeticException("parameter gradient " + p.describe() + " has NaN/Inf at update " + updates
                        + "; lower the learning rate or enable gradient clipping");
            }
        }
    }

    /** Ĥ = log Ẑ + mean_j U(x_j)/T over {@code evalData} (spec §2); NaN for samplers without log Ẑ. */
    public double crossEntropyEstimate(INDArray evalData) {
        double[] u = model.energies(evalData);
        double mean = 0;
        for (double v : u) {
            mean += v;
        }
        return sampler.logZEstimate() + mean / u.length / config.ula().temperature();
    }

    public Sampler sampler() {
        return sampler;
    }

    public long updates() {
        return updates;
    }
}
