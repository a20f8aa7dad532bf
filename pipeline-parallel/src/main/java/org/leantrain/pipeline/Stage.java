package org.leantrain.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.leantrain.core.nn.Module;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * F_k: a run of consecutive layers with its optimizer, its random sources and the per-step stash of one stage
 * (spec §3). Used only from its {@link StageWorker}'s thread.
 */
final class Stage {
    final int index;
    final boolean last;
    private final List<Module> layers;
    private final List<Rng> randomSources = new ArrayList<>();
    private final List<Tensor> parameters = new ArrayList<>();
    private final Optimizer optimizer;

    // per-step state, indexed by micro-batch
    private StepPlan plan;
    private INDArray[] stash;       // boundary inputs kept for recompute
    private long[][] rngSnapshots;  // R1: stage RNG states before F(s, m)
    private Tensor[] leaves;        // fresh leaf of the input (requires grad on s > 0)
    private Tensor[] roots;         // output (or loss on the last stage) whose graph backward runs through
    private long stashBytes;
    private long peakBytes;

    Stage(int index, boolean last, List<Module> layers, java.util.function.Function<List<Tensor>, Optimizer> optimizer) {
        this.index = index;
        this.last = last;
        this.layers = List.copyOf(layers);
        for (Module m : layers) {
            randomSources.addAll(m.randomSources());
            parameters.addAll(m.trainableParameters());
        }
        this.optimizer = parameters.isEmpty() ? null : optimizer.apply(List.copyOf(parameters));
    }

    List<Module> layers() {
        return layers;
    }

    List<Tensor> parameters() {
        return parameters;
    }

    Tensor run(Tensor x) {
        for (Module m : layers) {
            x = m.forward(x);
        }
        return x;
    }

    /** Clears the stash and the memory counters for a new step. */
    void begin(StepPlan plan) {
        this.plan = plan;
        int micro = plan.microBatches();
        stash = new INDArray[micro];
        rngSnapshots = new long[micro][];
        leaves = new Tensor[micro];
        roots = new Tensor[micro];
        stashBytes = 0;
        peakBytes = 0;
        Memory.reset();
    }

    /** F(s, m): returns the detached output to send to the next stage (null on the last stage). */
    INDArray forward(int m, INDArray input) {
        boolean checkpointed = plan.checkpointed(m);
        rngSnapshots[m] = rngStates();
        Tensor leaf = leafOf(input);
        if (checkpointed) {
            stash[m] = input;
            stashBytes += bytes(input);
        }
        Tensor out;
        try (GradMode.Scope rows = KeyedDropout.rows(plan.step(), plan.firstRow(m));
             GradMode.Scope grad = checkpointed ? GradMode.noGrad() : GradMode.enableGrad()) {
            out = run(leaf);
            if (last) {
                Tensor loss = plan.loss().loss(out, plan.target(m));
                plan.recordLoss(index, m, loss.item());
                out = loss;
            }
        }
        if (!checkpointed) {
            leaves[m] = leaf;
            roots[m] = out;
        }
        INDArray value = out.value();
        return last ? null : StepMemory.outside(value::dup);
    }

    /** R(s, m): re-runs F on the stored input with the RNG replayed (R1), keeping the graph this time. */
    void recompute(int m) {
        long[] current = rngStates();
        restore(rngSnapshots[m]);
        Tensor leaf = leafOf(stash[m]);
        try (GradMode.Scope rows = KeyedDropout.rows(plan.step(), plan.firstRow(m));
             GradMode.Scope recomputing = Recomputation.enter();
             GradMode.Scope grad = GradMode.enableGrad()) {
            Tensor out = run(leaf);
            roots[m] = last ? plan.loss().loss(out, plan.target(m)) : out;
        } finally {
            restore(current);
        }
        leaves[m] = leaf;
    }

    /**
     * B(s, m): backpropagates the output cotangent ({@code outputGrad}; the seed ω_m on the last stage) through the
     * local graph, accumulating parameter gradients; returns the gradient of the stage input to send back (null on
     * stage 0), and frees the graph and the stored input.
     */
    INDArray backward(int m, INDArray outputGrad) {
        Tensor root = roots[m];
        Tensor leaf = leaves[m];
        if (root == null) {
            throw new IllegalStateException("backward of micro-batch " + m + " on stage " + index
                    + " has no graph; the schedule must run F (and R when checkpointed) first");
        }
        INDArray seed = last ? Nd4j.scalar(root.dataType(), plan.weight(m)).reshape(root.shape()) : outputGrad;
        if (root.requiresGrad()) {
            root.backward(seed);
        }
        roots[m] = null;
        leaves[m] = null;
        if (stash[m] != null) {
            stashBytes -= bytes(stash[m]);
            stash[m] = null;
        }
        if (index == 0) {
            return null;
        }
        INDArray g = leaf.grad();
        return g != null ? g : StepMemory.outside(() -> Nd4j.zeros(leaf.dataType(), leaf.shape()));
    }

    /** Updates the peak of (tape bytes + stashed inputs) after an op; call {@link Memory#resetPeak()} before it. */
    void notePeak(long stashBefore) {
        peakBytes = Math.max(peakBytes, Memory.peakSavedBytes() + Math.max(stashBefore, stashBytes));
    }

    long stashBytes() {
        return stashBytes;
    }

    long peakBytes() {
        return peakBytes;
    }

    /** Σ g² over this stage's gradients (its part of the global norm). */
    double gradSumSquares() {
        return GradClip.sumOfSquares(parameters);
    }

    /** Scales the gradients, steps the optimizer, zeroes the gradients and commits deferred statistics. */
    void update(double gradScale) {
        if (gradScale != 1.0) {
            parameters.forEach(p -> {
                if (p.grad() != null) {
                    p.grad().muli(gradScale);
                }
            });
        }
        if (optimizer != null) {
            optimizer.step();
        }
        discardGradients();
        layers.forEach(DeferredBatchNorm::commitAll);
    }

    /** Drops everything of an abandoned step: gradients, graphs, stash, pending statistics. */
    void abandon() {
        discardGradients();
        layers.forEach(DeferredBatchNorm::discardAll);
        if (roots != null) {
            for (Tensor r : roots) {
                if (r != null) {
                    r.releaseGraph();
                }
            }
        }
        end();
    }

    /** Forgets the step's stash and graphs (all consumed when the step succeeded). */
    void end() {
        plan = null;
        stash = null;
        roots = null;
        leaves = null;
        rngSnapshots = null;
    }

    private void discardGradients() {
        parameters.forEach(Tensor::zeroGrad);
    }

    private Tensor leafOf(INDArray input) {
        Tensor leaf = Tensor.of(input);
        return index > 0 ? leaf.requireGrad(true) : leaf;
    }

    private long[] rngStates() {
        long[] s = new long[randomSources.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = randomSources.get(i).state();
        }
        return s;
    }

    private void restore(long[] states) {
        for (int i = 0; i < states.length; i++) {
            randomSources.get(i).restore(states[i]);
        }
    }

    private static long bytes(INDArray a) {
        return a.length() * a.dataType().width();
    }
}
