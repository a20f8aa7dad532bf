package org.leantrain.layerselect;

/** AdaBet's score of one layer: b1 per batch, and s_l = mean_t b1_t / m_l (or mean b1 when raw). */
public record LayerScore(String layer, long activationSize, int[] b1PerBatch, double score) {}
