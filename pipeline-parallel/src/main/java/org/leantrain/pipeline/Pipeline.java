package org.leantrain.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.leantrain.core.nn.Module;
import org.leantrain.core.nn.Sequential;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Memory;
import org.leantrain.core.tensor.Nd;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GPipe engine (spec §3): a {@link Sequential} cut into K stages, each owned by one worker thread, trained on
 * M micro-batches per step with synchronous gradient accumulation, so a step equals a step on the whole
 * mini-batch up to summation order.
 *
 * <pre>{@code
 * try (Pipeline pipe = Pipeline.of(model, PipelineConfig.gpipe(new int[] {8, 9}, 8), p -> Adam.adamW(p, 1e-3, 0.01))) {
 *     StepResult r = pipe.trainStep(x, y, LossFn.crossEntropy());
 * }
 * }</pre>
 */
public final class Pipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final PipelineConfig config;
    private final List<Stage> stages = new ArrayList<>();
    private final List<StageWorker> workers = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean closed;
    private long step;

    private Pipeline(List<List<Module>> stageLayers, PipelineConfig config, Function<List<Tensor>, Optimizer> optimizer) {
        this.config = config;
        int k = stageLayers.size();
        for (int s = 0; s < k; s++) {
            stages.add(new Stage(s, s == k - 1, stageLayers.get(s), optimizer));
            workers.add(new StageWorker(s, config.threadsPerStage()));
        }
        String warning = ThreadBudget.oversubscription(k, config.threadsPerStage());
        if (!warning.isEmpty()) {
            LOG.warn(warning);
        }
    }

    /**
     * Cuts {@code model} by {@code config.balance()} into stages; {@code optimizer} is called once per stage with
     * that stage's trainable parameters (one optimizer per stage, same hyperparameters).
     */
    public static Pipeline of(Module model, PipelineConfig config, Function<List<Tensor>, Optimizer> optimizer) {
        if (!(model instanceof Sequential sequential)) {
            throw new IllegalArgumentException("a Pipeline needs a Sequential (a plain sequence of layers), got "
                    + (model == null ? "null" : model.getClass().getSimpleName()));
        }
        return new Pipeline(cut(sequential, config.balance()), config, optimizer);
    }

    /** The layers of each stage; rejects balances that do not fit and modules or parameters shared by stages. */
    static List<List<Module>> cut(Sequential model, int[] balance) {
        List<Module> layers = model.layers();
        int total = 0;
        for (int b : balance) {
            total += b;
        }
        if (balance.length > layers.size()) {
            throw new IllegalArgumentException("K = " + balance.length + " stages but the model has only "
                    + layers.size() + " layers; use at most " + layers.size() + " stages");
        }
        if (total != layers.size()) {
            throw new IllegalArgumentException("balance " + java.util.Arrays.toString(balance) + " sums to " + total
                    + " layers but the model has " + layers.size());
        }
        Map<Module, Integer> moduleOwner = new IdentityHashMap<>();
        Map<Tensor, Integer> parameterOwner = new IdentityHashMap<>();
        List<List<Module>> cut = new ArrayList<>();
        int next = 0;
        for (int s = 0; s < balance.length; s++) {
            List<Module> stageLayers = layers.subList(next, next + balance[s]);
            for (int i = 0; i < stageLayers.size(); i++) {
                claimModules(stageLayers.get(i), next + i, moduleOwner);
                for (Tensor p : stageLayers.get(i).parameters()) {
                    Integer owner = parameterOwner.putIfAbsent(p, s);
                    if (owner != null && owner != s) {
                        throw new IllegalArgumentException("parameter " + p.describe() + " is shared by stages " + owner
                                + " and " + s + "; tied weights across stages are not supported, keep them in one stage");
                    }
                }
            }
            cut.add(List.copyOf(stageLayers));
            next += balance[s];
        }
        return cut;
    }

    private static void claimModules(Module m, int layer, Map<Module, Integer> owner) {
        Integer previous = owner.putIfAbsent(m, layer);
        if (previous != null) {
            throw new IllegalArgumentException("the same " + m.getClass().getSimpleName() + " instance appears at"
                    + " layers " + previous + " and " + layer + "; each layer of a pipelined model must be its own"
                    + " module instance");
        }
        m.children().values().forEach(c -> claimModules(c, layer, owner));
    }

    public PipelineConfig config() {
        return config;
    }

    /** One synchronous training step on the mini-batch (x, y); parameters change only if every op succeeded. */
    public StepResult trainStep(Tensor x, Tensor y, LossFn loss) {
        checkUsable();
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("trainStep is already running on this pipeline; steps must not overlap");
        }
        try {
            return runStep(x, y, loss);
        } finally {
            running.set(false);
        }
    }

    private StepResult runStep(Tensor x, Tensor y, LossFn loss) {
        if (x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("input has " + x.size(0) + " rows but target has " + y.size(0));
        }
        if (config.checkInputs() && !Nd.isFinite(x.value())) {
            throw new IllegalArgumentException("the input batch contains NaN or Inf");
        }
        int micro = config.microBatches();
        int[] sizes = MicroBatcher.sizes(Math.toIntExact(x.size(0)), micro);
        List<Tensor> xs = MicroBatcher.scatter(x, micro);
        StepPlan plan = new StepPlan(step, sizes, MicroBatcher.scatter(y, micro), loss, config.checkpoint());
        List<List<Op>> ops = config.schedule().perStage(stages.size(), micro, config.checkpoint());
        Channels channels = new Channels(stages.size(), micro);
        List<List<Trace.Event>> events = new ArrayList<>();
        List<Future<Object>> done = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            List<Trace.Event> stageEvents = Collections.synchronizedList(new ArrayList<>());
            events.add(stageEvents);
            Stage stage = stages.get(s);
            List<Op> stageOps = ops.get(s);
            done.add(workers.get(s).submit(() -> {
                runOps(stage, stageOps, plan, xs, channels, stageEvents);
                return null;
            }));
        }
        awaitAll(done);
        Failure failure = channels.failure.get();
        if (failure != null) {
            onAllStages(stage -> {
                stage.abandon();
                return null;
            });
            throw failure.rethrow();
        }
        double scale = clipScale();
        onAllStages(stage -> {
            stage.update(scale);
            return null;
        });
        step++;
        long[] peaks = stages.stream().mapToLong(Stage::peakBytes).toArray();
        return new StepResult(plan.totalLoss(), peaks, new Trace(stages.size(), events));
    }

    /** Executes one stage's op list, blocking on its inputs; any failure is reported once and cancels the others. */
    private static void runOps(Stage stage, List<Op> ops, StepPlan plan, List<Tensor> xs, Channels channels,
                               List<Trace.Event> events) {
        int s = stage.index;
        Op current = null;
        try (StepMemory memory = StepMemory.open()) {
            stage.begin(plan);
            for (Op op : ops) {
                current = op;
                if (channels.failure.get() != null) {
                    throw new CancellationException("another stage failed");
                }
                long stashBefore = stage.stashBytes();
                int m = op.microBatch();
                // inputs are awaited before the clock starts: waiting is bubble, not work
                INDArray received = switch (op.kind()) {
                    case FORWARD -> s == 0 ? xs.get(m).value() : channels.await(channels.activations[s][m]);
                    case BACKWARD -> stage.last ? null : channels.await(channels.gradients[s][m]);
                    case RECOMPUTE -> null;
                };
                Memory.resetPeak();
                long start = System.nanoTime();
                INDArray send = switch (op.kind()) {
                    case FORWARD -> stage.forward(m, received);
                    case RECOMPUTE -> {
                        stage.recompute(m);
                        yield null;
                    }
                    case BACKWARD -> stage.backward(m, received);
                };
                // the op ends before its result is handed over: waking the next stage is not this stage's work
                events.add(new Trace.Event(op, start, System.nanoTime()));
                if (op.kind() == Op.Kind.FORWARD && !stage.last) {
                    channels.activations[s + 1][m].complete(send);
                } else if (op.kind() == Op.Kind.BACKWARD && s > 0) {
                    channels.gradients[s - 1][m].complete(send);
                }
                stage.notePeak(stashBefore);
            }
            stage.end();
        } catch (Throwable t) {
            channels.fail(current == null ? new Op(Op.Kind.FORWARD, s, 0) : current, t);
        }
    }

    /** Global gradient-norm clipping across stages, with core's GradClip factor on the norm over all of them. */
    private double clipScale() {
        if (config.clipNorm() == 0) {
            return 1.0;
        }
        List<Double> sums = onAllStages(Stage::gradSumSquares);
        double norm = Math.sqrt(sums.stream().mapToDouble(Double::doubleValue).sum());
        if (!Double.isFinite(norm)) {
            onAllStages(stage -> {
                stage.abandon();
                return null;
            });
            throw new ArithmeticException("gradient norm at step " + step + " is " + norm
                    + "; the step was abandoned and no parameter changed");
        }
        return GradClip.scale(norm, config.clipNorm());
    }

    /** Runs {@code f} on every stage's own thread and waits for all. */
    private <T> List<T> onAllStages(Function<Stage, T> f) {
        List<Future<T>> futures = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            futures.add(workers.get(s).submit(() -> f.apply(stage)));
        }
        return awaitAll(futures);
    }

    private static <T> List<T> awaitAll(List<Future<T>> futures) {
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for pipeline stages", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
        return results;
    }

    /** Forward of {@code x} in eval mode (no recompute, no statistics tracking), micro-batch by micro-batch. */
    public Tensor predict(Tensor x) {
        checkUsable();
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("the pipeline is busy with another step");
        }
        try {
            int micro = Math.min(config.microBatches(), Math.toIntExact(x.size(0)));
            List<Tensor> xs = MicroBatcher.scatter(x, micro);
            Channels channels = new Channels(stages.size(), micro);
            INDArray[] outputs = new INDArray[micro];
            List<Future<Object>> done = new ArrayList<>();
            for (int s = 0; s < stages.size(); s++) {
                Stage stage = stages.get(s);
                done.add(workers.get(s).submit(() -> {
                    predictOps(stage, micro, xs, channels, outputs);
                    return null;
                }));
            }
            awaitAll(done);
            Failure failure = channels.failure.get();
            if (failure != null) {
                throw failure.rethrow();
            }
            List<Tensor> parts = new ArrayList<>();
            for (INDArray o : outputs) {
                parts.add(Tensor.of(o));
            }
            return MicroBatcher.gather(parts);
        } finally {
            running.set(false);
        }
    }

    private static void predictOps(Stage stage, int micro, List<Tensor> xs, Channels channels, INDArray[] outputs) {
        int s = stage.index;
        List<Module> layers = stage.layers();
        boolean[] wasTraining = new boolean[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            wasTraining[i] = layers.get(i).isTraining();
            layers.get(i).eval();
        }
        int m = 0;
        try (GradMode.Scope noGrad = GradMode.noGrad()) {
            for (; m < micro; m++) {
                INDArray input = s == 0 ? xs.get(m).value() : channels.await(channels.activations[s][m]);
                INDArray out = stage.run(Tensor.of(input)).value().dup();
                if (stage.last) {
                    outputs[m] = out;
                } else {
                    channels.activations[s + 1][m].complete(out);
                }
            }
        } catch (Throwable t) {
            channels.fail(Op.forward(s, Math.min(m, micro - 1)), t);
        } finally {
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).train(wasTraining[i]);
            }
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("this pipeline is closed");
        }
    }

    /** Stops the stage threads (waiting up to 5 s each). */
    @Override
    public void close() {
        closed = true;
        workers.forEach(StageWorker::close);
    }

    /** Boundary tensors between stages, and the first failure of a step. */
    private static final class Channels {
        final CompletableFuture<INDArray>[][] activations; // input of stage s, micro-batch m
        final CompletableFuture<INDArray>[][] gradients;   // gradient of stage s's output, micro-batch m
        final AtomicReference<Failure> failure = new AtomicReference<>();

        @SuppressWarnings("unchecked")
        Channels(int stages, int micro) {
            activations = new CompletableFuture[stages][micro];
            gradients = new CompletableFuture[stages][micro];
            for (int s = 0; s < stages; s++) {
                for (int m = 0; m < micro; m++) {
                    activations[s][m] = new CompletableFuture<>();
                    gradients[s][m] = new CompletableFuture<>();
                }
            }
        }

        INDArray await(CompletableFuture<INDArray> slot) {
            try {
                return slot.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            } catch (ExecutionException e) {
                throw new CancellationException("another stage failed");
            }
        }

        /** Keeps the first failure and releases every stage blocked on a boundary tensor. */
        void fail(Op op, Throwable cause) {
            if (failure.compareAndSet(null, new Failure(op, cause))) {
                CancellationException cancelled = new CancellationException("stage " + op.stage() + " failed");
                for (CompletableFuture<INDArray>[] row : activations) {
                    for (CompletableFuture<INDArray> f : row) {
                        f.completeExceptionally(cancelled);
                    }
                }
                for (CompletableFuture<INDArray>[] row : gradients) {
                    for (CompletableFuture<INDArray> f : row) {
                        f.completeExceptionally(cancelled);
                    }
                }
            }
        }
    }

    private record Failure(Op op, Throwable cause) {
        RuntimeException rethrow() {
            if (cause instanceof ArithmeticException a) {
                return a;
            }
            PipelineException located = new PipelineException(op.stage(), op.microBatch(), op.kind(), cause);
            if (cause instanceof IllegalArgumentException) {
                // bad input or configuration met inside a stage: still an IllegalArgumentException, with its location
                return new IllegalArgumentException(located.getMessage(), located);
            }
            return located;
        }
    }
}
