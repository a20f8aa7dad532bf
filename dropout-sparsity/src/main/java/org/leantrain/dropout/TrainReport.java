package org.leantrain.dropout;

/**
 * What a training run measured.
 *
 * @param stepMillis     wall time of every step (forward, backward, clipping, Adam)
 * @param trainLoss      training loss of every step, nats per token
 * @param evalSteps      the steps after which validation BPC was measured
 * @param validBpc       validation bits per character at those steps
 * @param peakSavedBytes peak bytes kept for backward within a step
 */
public record TrainReport(double[] stepMillis, double[] trainLoss, int[] evalSteps, double[] validBpc,
        long peakSavedBytes) {

    /** Median step time over the last {@code count} steps (all when fewer). */
    public double medianStepMillis(int count) {
        int from = Math.max(0, stepMillis.length - count);
        double[] tail = java.util.Arrays.copyOfRange(stepMillis, from, stepMillis.length);
        java.util.Arrays.sort(tail);
        int n = tail.length;
        return n % 2 == 1 ? tail[n / 2] : (tail[n / 2 - 1] + tail[n / 2]) / 2;
    }

    /** The last validation BPC; NaN when the run did not evaluate. */
    public double finalValidBpc() {
        return validBpc.length == 0 ? Double.NaN : validBpc[validBpc.length - 1];
    }
}
