package org.leantrain.ebm;

import java.util.List;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Test energy U_θ(x) = scale · θ |x|²/2 in float64; θ is set by the test (a fixed parameter schedule). */
final class QuadraticEnergy implements EnergyModel {
    private final int dim;
    private final double scale;
    private final Tensor theta = Tensor.parameter(Nd4j.scalar(DataType.DOUBLE, 1.0).reshape(1, 1));

    QuadraticEnergy(int dim, double scale) {
        this.dim = dim;
        this.scale = scale;
    }

    void setTheta(double value) {
        theta.value().assign(value);
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public DataType dataType() {
        return DataType.DOUBLE;
    }

    @Override
    public Tensor energy(Tensor x) {
        return x.square().sum(false, 1).mul(theta.reshape(1)).mul(scale / 2);
    }

    @Override
    public List<Tensor> parameters() {
        return List.of(theta);
    }
}
