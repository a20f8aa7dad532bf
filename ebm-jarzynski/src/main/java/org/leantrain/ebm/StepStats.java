package org.leantrain.ebm;

/** One update: surrogate loss (data energy minus weighted walker energy, under θ_k), ESS, resampling, log Ẑ. */
public record StepStats(long update, double loss, double ess, boolean resampled, double logZEstimate,
                        double seconds) {}
