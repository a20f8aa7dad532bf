package org.leantrain.core.train;

import java.util.function.Supplier;
import org.leantrain.core.optim.GradClip;
import org.leantrain.core.optim.LrSchedule;
import org.leantrain.core.optim.Optimizer;
import org.leantrain.core.tensor.StepMemory;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.CsvTable;
import org.leantrain.core.util.Progress;

/**
 * The training-step loop every example shares: the loss is built and differentiated inside {@link StepMemory},
 * the learning rate follows the schedule, gradients are optionally clipped, and progress (step, loss, steps/s) is
 * logged through SLF4J. A NaN/Inf loss stops training with an error naming the step, before any update.
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final Progress progress;
    private final String task;
    private final CsvTable log = new CsvTable("step", "loss", "learning_rate");
    private LrSchedule schedule;
    private double clipNorm;
    private long step;

    public Trainer(String task, Optimizer optimizer, long totalSteps, long logEvery) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        this.task = task;
        this.optimizer = optimizer;
        this.progress = new Progress(task, totalSteps, logEvery);
    }

    /** Sets the learning rate from this schedule before every step. */
    public Trainer schedule(LrSchedule lrSchedule) {
        this.schedule = lrSchedule;
        return this;
    }

    /** Clips the global gradient norm to this value before every update (0 = off). */
    public Trainer clipGradNorm(double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clip norm must be >= 0, got " + maxNorm);
        }
        this.clipNorm = maxNorm;
        return this;
    }

    /** Runs one step with the loss the supplier builds; returns the loss value. */
    public double step(Supplier<Tensor> loss) {
        if (schedule != null) {
            optimizer.setLearningRate(schedule.at(step));
        }
        step++;
        double value;
        try (StepMemory ignored = StepMemory.open()) {
            optimizer.zeroGrad();
            Tensor l = loss.get();
            value = l.item();
            Progress.checkFinite(task, step, value);
            l.backward();
            if (clipNorm > 0) {
                GradClip.clipGlobalNorm(optimizer.parameters(), clipNorm);
            }
            optimizer.step();
        }
        log.add(step, value, optimizer.learningRate());
        progress.step(step, value);
        return value;
    }

    public long steps() {
        return step;
    }

    /** step, loss and learning rate of every step so far. */
    public CsvTable log() {
        return log;
    }

    public double elapsedSeconds() {
        return progress.elapsedSeconds();
    }
}
