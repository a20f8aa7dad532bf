package org.leantrain.core.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long loop through SLF4J: step, loss, steps/s and time left, every {@code every} steps.
 * Also the guard every training loop needs: a NaN/Inf loss stops with an error naming the step.
 */
public final class Progress {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final String task;
    private final long totalSteps;
    private final long every;
    private final String quantity;
    private final long startNanos = System.nanoTime();
    private long lastNanos = startNanos;
    private long lastStep;

    public Progress(String task, long totalSteps, long every) {
        this(task, totalSteps, every, "loss");
    }

    /** Reports {@code quantity} (e.g. "reward") instead of "loss" for the number passed to {@link #step}. */
    public Progress(String task, long totalSteps, long every, String quantity) {
        if (every < 1) {
            throw new IllegalArgumentException("progress interval must be >= 1, got " + every);
        }
        this.task = task;
        this.totalSteps = totalSteps;
        this.every = every;
        this.quantity = quantity;
    }

    /** Call after each step (1-based) with its loss (or the quantity named at construction). */
    public void step(long step, double loss) {
        checkFinite(task, step, loss);
        if (step % every != 0 && step != totalSteps) {
            return;
        }
        long now = System.nanoTime();
        double rate = (step - lastStep) / ((now - lastNanos) / 1e9);
        double left = (totalSteps - step) / Math.max(rate, 1e-9);
        LOG.info(String.format("%s step %d/%d  %s %.4f  %.1f steps/s  %.0f s left", task, step, totalSteps, quantity,
                loss, rate, left));
        lastNanos = now;
        lastStep = step;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Throws when a loss is NaN or infinite, naming the task and step. */
    public static void checkFinite(String task, long step, double loss) {
        if (!Double.isFinite(loss)) {
            throw new ArithmeticException(task + ": loss is " + loss + " at step " + step
                    + "; lower the learning rate or check the inputs for NaN");
        }
    }
}
