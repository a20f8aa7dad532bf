package org.leantrain.core.optim;

/** Learning rate as a function of the step (0-based). */
@FunctionalInterface
public interface LrSchedule {
    double at(long step);

    private static void checkPositive(double lr) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + lr);
        }
    }

    static LrSchedule constant(double lr) {
        checkPositive(lr);
        return step -> lr;
    }

    /** Cosine decay from {@code base} at step 0 to {@code min} at {@code totalSteps} (and after). */
    static LrSchedule cosine(double base, double min, long totalSteps) {
        checkPositive(base);
        if (!(min >= 0 && min <= base) || totalSteps < 1) {
            throw new IllegalArgumentException("cosine schedule needs 0 <= min <= base and totalSteps >= 1, got min="
                    + min + ", base=" + base + ", totalSteps=" + totalSteps);
        }
        return step -> {
            double progress = Math.min(1.0, step / (double) totalSteps);
            return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * progress));
        };
    }

    /** Linear decay from {@code base} at step 0 to 0 at {@code totalSteps}. */
    static LrSchedule linearDecay(double base, long totalSteps) {
        checkPositive(base);
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
        }
        return step -> base * Math.max(0.0, 1.0 - step / (double) totalSteps);
    }

    /** Linear warm-up from base/warmup to the schedule's value over {@code warmupSteps}, then the schedule. */
    static LrSchedule linearWarmup(long warmupSteps, LrSchedule after) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        return step -> step < warmupSteps ? after.at(step) * (step + 1) / (double) warmupSteps : after.at(step);
    }
}
