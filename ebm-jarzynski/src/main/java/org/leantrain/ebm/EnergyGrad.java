package org.leantrain.ebm;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Energies U(x) of a batch [B] (double, whatever the model's type) and their position gradients ∇_x U [B, D]. */
public record EnergyGrad(double[] energy, INDArray grad) {}
