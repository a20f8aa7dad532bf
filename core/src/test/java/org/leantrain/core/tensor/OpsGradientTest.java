package org.leantrain.core.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every op's backward against central differences in float64, including broadcasting cases. */
class OpsGradientTest {
    private static final DataType F64 = DataType.DOUBLE;
    private final Rng rng = new Rng(7);
    private final GradCheck check = GradCheck.standard();

    private INDArray randn(long... shape) {
        return rng.normal(F64, 0, 1, shape);
    }

    /** Values away from 0 so that kinks (abs, relu, clamp edges) are not straddled by the finite difference. */
    private INDArray awayFromZero(long... shape) {
        INDArray x = randn(shape);
        return x.addi(x.gt(0).castTo(F64).muli(2).subi(1).muli(0.1));
    }

    private INDArray positive(long... shape) {
        return rng.uniform(F64, 0.5, 2.0, shape);
    }

    private void unary(Function<Tensor, Tensor> op, INDArray x) {
        check.check(in -> op.apply(in[0]), x);
    }

    private void binary(java.util.function.BinaryOperator<Tensor> op, INDArray a, INDArray b) {
        check.check(in -> op.apply(in[0], in[1]), a, b);
    }

    @Test
    void arithmeticSameShape() {
        binary(Tensor::add, randn(3, 4), randn(3, 4));
        binary(Tensor::sub, randn(3, 4), randn(3, 4));
        binary(Tensor::mul, randn(3, 4), randn(3, 4));
        binary(Tensor::div, randn(3, 4), positive(3, 4));
    }

    @Test
    void arithmeticBroadcasting() {
        binary(Tensor::add, randn(3, 4), randn(1, 4));
        binary(Tensor::add, randn(3, 4), randn(4));
        binary(Tensor::sub, randn(3, 1), randn(1, 4));
        binary(Tensor::mul, randn(2, 3, 4), randn(3, 1));
        binary(Tensor::div, randn(2, 3, 4), positive(1, 3, 4));
        binary(Tensor::mul, randn(3, 4), randn(1, 1));
    }

    @Test
    void sameTensorOnBothSides() {
        unary(x -> x.mul(x), randn(3, 3));
        unary(x -> x.add(x).mul(x), randn(2, 3));
    }

    @Test
    void scalarForms() {
        unary(x -> x.add(1.5), randn(2, 3));
        unary(x -> x.sub(0.5), randn(2, 3));
        unary(x -> x.mul(-2.5), randn(2, 3));
        unary(x -> x.div(4), randn(2, 3));
        unary(x -> x.rsub(3), randn(2, 3));
        unary(Tensor::neg, randn(2, 3));
    }

    @Test
    void elementwiseFunctions() {
        unary(x -> x.pow(3), randn(3, 4));
        unary(x -> x.pow(-1.5), positive(3, 4));
        unary(x -> x.pow(0.5), positive(3, 4));
        unary(Tensor::exp, randn(3, 4));
        unary(Tensor::log, positive(3, 4));
        unary(Tensor::sqrt, positive(3, 4));
        unary(Tensor::abs, awayFromZero(3, 4));
        unary(x -> x.clamp(-0.5, 0.5), awayFromZeroAndEdges(3, 4));
        unary(Tensor::tanh, randn(3, 4));
        unary(Tensor::sigmoid, randn(3, 4));
        unary(Tensor::relu, awayFromZero(3, 4));
        unary(x -> x.leakyRelu(0.1), awayFromZero(3, 4));
        unary(Tensor::silu, randn(3, 4));
        unary(Tensor::gelu, randn(3, 4));
        unary(Tensor::softplus, randn(3, 4).muli(5));
        unary(Tensor::square, randn(3, 4));
    }

    private INDArray awayFromZeroAndEdges(long... shape) {
        // values in {±0.2, ±0.3, ±0.8, ±1.1}: none within 0.05 of the clamp edges
        INDArray x = awayFromZero(shape);
        double[] pick = {-1.1, -0.3, -0.2, 0.2, 0.3, 0.8, 1.1, -0.8};
        for (long i = 0; i < x.length(); i++) {
            x.putScalar(i, pick[(int) (i % pick.length)]);
        }
        return x;
    }

    @Test
    void reductions() {
        unary(Tensor::sum, randn(3, 4));
        unary(x -> x.sum(false, 1), randn(3, 4));
        unary(x -> x.sum(true, 0), randn(3, 4));
        unary(x -> x.sum(false, 0, 2), randn(2, 3, 4));
        unary(Tensor::mean, randn(3, 4));
        unary(x -> x.mean(true, -1), randn(2, 3, 4));
        unary(x -> x.max(false, 1), randn(3, 5));
        unary(x -> x.max(true, 0), randn(4, 3));
        unary(x -> x.logSumExp(1, false), randn(3, 5));
        unary(x -> x.logSumExp(0, true), randn(3, 5));
        unary(x -> x.softmax(1), randn(3, 5));
        unary(x -> x.softmax(0), randn(3, 5));
        unary(x -> x.softmax(-1), randn(2, 3, 4));
        unary(x -> x.logSoftmax(1), randn(3, 5));
        unary(x -> x.logSoftmax(0), randn(3, 5));
        unary(x -> x.normalize(1, 1e-12), randn(3, 5));
        unary(x -> x.normalize(0, 0.5), randn(3, 5));
        unary(x -> x.normalize(-1, 0), randn(2, 3, 4));
    }

    @Test
    void bagMeanEqualsTheComposedLookupAndMeanAndRejectsBadBags() {
        INDArray table = randn(6, 4);
        int[] ids = {5, 0, 5, 2, 3, 1, 1, 4};
        Tensor composed = Tensor.of(table).indexSelect(ids).reshape(2, 4, 4).mean(false, 1);
        assertEquals(0, composed.value().sub(Tensor.of(table).bagMean(ids, 4).value()).amaxNumber().doubleValue(),
                1e-15);
        // the float32 backward (its own Java path) agrees with the float64 one
        Tensor wide = Tensor.parameter(table.dup());
        Tensor narrow = Tensor.parameter(table.castTo(DataType.FLOAT));
        wide.bagMean(ids, 4).square().sum().backward();
        narrow.bagMean(ids, 4).square().sum().backward();
        assertEquals(0, wide.grad().sub(narrow.grad().castTo(DataType.DOUBLE)).amaxNumber().doubleValue(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(table).bagMean(ids, 3));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(table).bagMean(new int[] {6}, 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(table).bagMean(new int[0], 1));
    }

    @Test
    void matmulTransposedEqualsTheProductWithATransposeAndKeepsNoCopy() {
        INDArray a = randn(3, 4);
        INDArray b = randn(6, 4);
        Tensor x = Tensor.parameter(a);
        Tensor y = Tensor.parameter(b);
        Memory.reset();
        Tensor product = Tensor.of(a).matmulTransposed(y);
        assertEquals(0, product.value().sub(a.mmul(b.transpose())).amaxNumber().doubleValue(), 1e-14);
        assertEquals(a.length() * 8, Memory.savedBytes()); // a for y's gradient; y, a parameter, is not counted
        product.sum().backward();
        assertEquals(0, Memory.savedBytes());
        x.matmulTransposed(y).sum().backward();
        assertEquals(0, y.grad().sub(Nd4j.ones(DataType.DOUBLE, 1, 3).mmul(a).repeat(0, 6).mul(2))
                .amaxNumber().doubleValue(), 1e-12); // accumulated over both backward passes
        assertThrows(IllegalArgumentException.class, () -> x.matmulTransposed(Tensor.of(randn(6, 3))));
    }

    @Test
    void affineInFloat32EqualsMatmulPlusBiasOnBothPaths() {
        for (int rows : new int[] {8, 300}) { // 8 × 64 outputs: bias rows then one gemm; 300 × 64: gemm then add
            INDArray x = randn(rows, 32).castTo(DataType.FLOAT);
            INDArray w = randn(32, 64).castTo(DataType.FLOAT);
            INDArray b = randn(64).castTo(DataType.FLOAT);
            INDArray fused = Tensor.of(x).affine(Tensor.of(w), Tensor.of(b)).value();
            INDArray composed = Tensor.of(x).matmul(Tensor.of(w)).add(Tensor.of(b)).value();
            assertEquals(0, fused.sub(composed).amaxNumber().doubleValue(), 1e-5, rows + " rows");
        }
    }

    @Test
    void normalizeEqualsTheComposedFormulaAndKeepsAZeroRowFinite() {
        INDArray x = randn(4, 6);
        Tensor composed = Tensor.of(x).div(Tensor.of(x).square().sum(true, 1).add(1e-12).sqrt());
        assertEquals(0, composed.value().sub(Tensor.of(x).normalize(1, 1e-12).value()).amaxNumber().doubleValue(),
                1e-15);
        INDArray zero = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        assertEquals(0, Tensor.of(zero).normalize(1, 1e-12).value().amaxNumber().doubleValue());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(x).normalize(1, -1));
    }

    @Test
    void maskedFillWithMinusInfinityReplacesExactlyTheMaskedEntries() {
        INDArray mask = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{0, 1, 1}, {0, 0, 1}, {0, 0, 0}});
        INDArray x = randn(2, 3, 3);
        INDArray out = Tensor.of(x).maskedFill(mask, Double.NEGATIVE_INFINITY).value();
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double expected = mask.getDouble(i, j) != 0 ? Double.NEGATIVE_INFINITY : x.getDouble(b, i, j);
                    org.junit.jupiter.api.Assertions.assertEquals(expected, out.getDouble(b, i, j));
                }
            }
        }
    }

    @Test
    void matmul() {
        binary(Tensor::matmul, randn(3, 4), randn(4, 5));
        binary(Tensor::matmul, randn(2, 3, 4), randn(4, 5));
        binary(Tensor::matmul, randn(2, 3, 4), randn(2, 4, 5));
        Tensor bias = Tensor.parameter(randn(5));
        binary((x, w) -> x.affine(w, bias), randn(3, 4), randn(4, 5));
        binary((x, w) -> x.affine(w, bias), randn(2, 3, 4), randn(4, 5));
        INDArray fixed = randn(4, 5);
        binary((x, b) -> x.affine(Tensor.of(fixed), b), randn(3, 4), randn(5)); // the bias's gradient
        binary((x, b) -> x.affine(Tensor.of(fixed), b), randn(2, 3, 4), randn(5));
        INDArray wide = randn(4, 130);
        binary((x, b) -> x.affine(Tensor.of(wide), b), randn(130, 4), randn(130)); // 16,900 outputs: the add path
        binary((a, b) -> a.matmul(b.transpose()), randn(2, 3, 4), randn(2, 5, 4)); // attention's Q·Kᵀ
        binary((a, b) -> a.permute(0, 2, 1).matmul(b), randn(2, 4, 3), randn(2, 4, 5)); // a strided operand
        unary(x -> x.matmul(x.transpose()), randn(3, 4));
    }

    @Test
    void shapeOps() {
        unary(Tensor::transpose, randn(3, 4));
        binary(Tensor::matmulTransposed, randn(3, 4), randn(5, 4));
        unary(x -> x.matmulTransposed(x), randn(3, 4)); // both operands one tensor
        unary(x -> x.permute(2, 0, 1), randn(2, 3, 4));
        unary(x -> x.reshape(4, -1), randn(2, 3, 4));
        unary(x -> x.slice(1, 1, 3), randn(3, 4));
        unary(x -> x.slice(0, 0, 2).mul(x.slice(0, 1, 3)), randn(3, 4));
        unary(x -> {
            Tensor[] parts = x.split(1, 1, 3);
            return parts[0].mul(parts[1].sum(true, 1));
        }, randn(3, 4));
        binary((a, b) -> Tensor.concat(0, a, b), randn(2, 3), randn(1, 3));
        binary((a, b) -> Tensor.concat(1, a, b, a), randn(2, 3), randn(2, 2));
        unary(x -> x.indexSelect(2, 0, 2, 1), randn(3, 4));
        unary(x -> x.indexSelect(1, 1), randn(3, 2, 2));
        unary(x -> x.bagMean(new int[] {2, 0, 2, 1, 4, 4}, 3).square(), randn(5, 3)); // repeated ids accumulate
        unary(x -> x.bagMean(new int[] {1, 3}, 1).square(), randn(4, 2));
        INDArray mask = org.nd4j.linalg.factory.Nd4j.createFromArray(new double[][] {{1, 0, 0, 1}, {0, 1, 0, 0}});
        unary(x -> x.maskedFill(mask, -3), randn(2, 4));
        unary(x -> x.maskedFill(mask.getRow(0).reshape(1, 4), 0), randn(3, 4));
        unary(x -> x.maskedFill(mask, 2.5), randn(3, 2, 4)); // a [T, T]-style mask repeated over leading rows
        unary(x -> x.maskedFill(mask.getColumn(1).reshape(2, 1), -1), randn(2, 4)); // broadcast along columns
        binary((a, b) -> Tensor.where(mask, a, b), randn(2, 4), randn(2, 4));
        binary((a, b) -> Tensor.where(mask, a, b), randn(2, 4), randn(1, 4));
    }

    @Test
    void convolutionAndPooling() {
        INDArray x = randn(2, 3, 6, 5);
        check.check(in -> Conv.conv2d(in[0], in[1], in[2], 1, 0), x, randn(4, 3, 3, 3), randn(4));
        check.check(in -> Conv.conv2d(in[0], in[1], null, 2, 1), x, randn(2, 3, 3, 2));
        unary(t -> Conv.avgPool2d(t, 2, 2, 0), randn(2, 2, 4, 6));
        unary(t -> Conv.avgPool2d(t, 3, 1, 1), randn(1, 2, 4, 4));
        unary(t -> Conv.maxPool2d(t, 2, 2, 0), distinct(2, 2, 4, 6));
        unary(t -> Conv.maxPool2d(t, 3, 2, 1), distinct(1, 2, 5, 5));
    }

    /** Well-separated values so no pooling window has a near-tie. */
    private INDArray distinct(long... shape) {
        INDArray x = randn(shape);
        int[] perm = rng.permutation((int) x.length());
        for (int i = 0; i < perm.length; i++) {
            x.putScalar(i, 0.1 * perm[i]);
        }
        return x;
    }

    @Test
    void losses() {
        int[] labels = {2, 0, 1};
        unary(x -> Losses.crossEntropy(x, labels), randn(3, 4));
        binary(Losses::mse, randn(3, 2), randn(3, 2));
        INDArray targets = rng.uniform(F64, 0, 1, 4, 3);
        unary(x -> Losses.binaryCrossEntropyWithLogits(x, Tensor.of(targets)), randn(4, 3).muli(4));
    }

    @Test
    void crossEntropyStaysFiniteForWidelySpreadFloat32Logits() {
        // libnd4j's fused LogSoftMax gives −∞ here (68 − (−45) = 113: exp underflows), which made this loss NaN
        Tensor logits = Tensor.of(Nd4j.create(new float[] {68f, -45f, 0f, -20f, 10f}, new long[] {1, 5}));
        assertEquals(113.0, Losses.crossEntropy(logits, new int[] {1}).item(), 1e-4);
        assertEquals(0.0, Losses.crossEntropy(logits, new int[] {0}).item(), 1e-6);
        assertEquals(-113.0, Tensor.of(logits.value()).logSoftmax(1).value().getDouble(1), 1e-4);
    }

    @Test
    void composedGraphWithFanOut() {
        check.check(in -> {
            Tensor h = in[0].matmul(in[1]).add(in[2]).tanh();
            Tensor skip = h.mul(in[0].sum(true, 1));
            return h.softmax(1).mul(skip).logSumExp(1, false).mean();
        }, randn(4, 3), randn(3, 5), randn(5));
    }

    @Test
    void checkerDetectsWrongBackward() {
        WrongSquare wrong = new WrongSquare();
        assertThrows(AssertionError.class, () -> check.check(in -> wrong.apply1(in[0]), randn(2, 2)));
    }

    /** A deliberately broken custom op: claims d(x²)/dx = x. */
    private static final class WrongSquare extends org.leantrain.core.tensor.Function {
        @Override
        protected INDArray[] forward(Context ctx, INDArray... inputs) {
            ctx.save(inputs[0]);
            return new INDArray[] {inputs[0].mul(inputs[0])};
        }

        @Override
        protected INDArray[] backward(Context ctx, INDArray... gradOutputs) {
            return new INDArray[] {gradOutputs[0].mul(ctx.saved(0))};
        }
    }
}
