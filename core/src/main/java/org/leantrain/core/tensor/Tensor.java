package org.leantrain.core.tensor;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An {@link INDArray} value plus, when it takes part in differentiation, the edge to the op that produced it.
 *
 * <p>Ops return new tensors and never mutate their inputs. When grad mode is on and an input requires a gradient,
 * the op is recorded on the tape with a backward closure and exactly the arrays that backward needs.
 * {@link #backward()} then accumulates into the {@link #grad()} of each leaf that requires one.
 */
public final class Tensor {
    private final INDArray value;
    private boolean requiresGrad;
    private final boolean parameter;
    private INDArray grad;
    private INDArray gradBuffer;
    private String name;
    final Node node;
    final int slot;

    Tensor(INDArray value, boolean requiresGrad, Node node, int slot) {
        this(value, requiresGrad, false, node, slot);
    }

    private Tensor(INDArray value, boolean requiresGrad, boolean parameter, Node node, int slot) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.parameter = parameter;
        this.node = node;
        this.slot = slot;
    }

    // ---- construction ---------------------------------------------------------------------------------------

    /** A constant: no gradient flows into it. */
    public static Tensor of(INDArray value) {
        return new Tensor(checkValue(value), false, null, 0);
    }

    /**
     * A parameter: a leaf that requires a gradient (until frozen with {@code requireGrad(false)}). Its value lives
     * as long as the model, so ops that keep it for backward do not count it in {@link Memory}.
     */
    public static Tensor parameter(INDArray value) {
        return new Tensor(checkValue(value), true, true, null, 0);
    }

    public static Tensor of(double[] values, DataType type) {
        return of(Nd4j.createFromArray(values).castTo(type));
    }

    public static Tensor of(double[][] values, DataType type) {
        return of(Nd4j.createFromArray(values).castTo(type));
    }

    public static Tensor scalar(double value, DataType type) {
        return of(Nd4j.scalar(type, value));
    }

    public static Tensor zeros(DataType type, long... shape) {
        return of(Nd4j.zeros(type, shape));
    }

    public static Tensor ones(DataType type, long... shape) {
        return of(Nd4j.ones(type, shape));
    }

    private static INDArray checkValue(INDArray value) {
        if (value == null) {
            throw new IllegalArgumentException("tensor value must not be null");
        }
        if (!value.dataType().isFPType()) {
            throw new IllegalArgumentException("tensors hold floating-point values, got " + value.dataType()
                    + "; cast with castTo(DataType.FLOAT) or pass integer labels where an op takes int[]");
        }
        return value;
    }

    // ---- state ----------------------------------------------------------------------------------------------

    public INDArray value() {
        return value;
    }

    public long[] shape() {
        return value.shape();
    }

    public int rank() {
        return value.rank();
    }

    public long size(int dim) {
        return value.size(dim);
    }

    public DataType dataType() {
        return value.dataType();
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (value.length() != 1) {
            throw new IllegalStateException("item() needs a one-element tensor, got shape " + Nd.shape(shape()));
        }
        return value.getDouble(0);
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Turns gradient tracking of a leaf on or off (freezing a parameter). */
    public Tensor requireGrad(boolean on) {
        if (node != null) {
            throw new IllegalStateException("requireGrad can only change a leaf tensor; use detach() on op results");
        }
        this.requiresGrad = on;
        return this;
    }

    /** Whether this tensor was created by {@link #parameter}. */
    public boolean isParameter() {
        return parameter;
    }

    public boolean isLeaf() {
        return node == null;
    }

    /**
     * The accumulated gradient of a leaf, or null before any backward reached it since {@link #zeroGrad()}.
     * The array is reused by later backward passes; copy it to keep a snapshot.
     */
    public INDArray grad() {
        return grad;
    }

    public void zeroGrad() {
        grad = null;
    }

    /**
     * Adds a gradient (backward uses it; so may a closed-form gradient computed off the tape). The buffer lives
     * outside any {@link StepMemory} scope and is reused across steps.
     */
    public void accumulateGrad(INDArray g) {
        if (grad != null) {
            grad.addi(g);
            return;
        }
        if (gradBuffer == null || !java.util.Arrays.equals(gradBuffer.shape(), g.shape())
                || gradBuffer.dataType() != g.dataType()) {
            gradBuffer = StepMemory.outside(() -> Nd.empty(g.dataType(), g.shape()));
        }
        grad = gradBuffer.assign(g);
    }

    /** Adds op(a)·op(b) to the gradient with one gemm (β = 1), or writes it there (β = 0) when there is none yet. */
    void accumulateProduct(INDArray a, INDArray b, boolean transposeA, boolean transposeB) {
        if (grad != null) {
            Nd4j.gemm(a, b, grad, transposeA, transposeB, 1.0, 1.0);
            return;
        }
        if (gradBuffer == null || !java.util.Arrays.equals(gradBuffer.shape(), shape())
                || gradBuffer.dataType() != dataType()) {
            gradBuffer = StepMemory.outside(() -> Nd.empty(dataType(), shape()));
        }
        Nd4j.gemm(a, b, gradBuffer, transposeA, transposeB, 1.0, 0.0);
        grad = gradBuffer;
    }

    public String name() {
        return name;
    }

    public Tensor named(String name) {
        this.name = name;
        return this;
    }

    public String describe() {
        return (name == null ? "" : "'" + name + "' ") + "(shape " + Nd.shape(shape()) + ")";
    }

    /** The same value, cut from the graph: no gradient flows through it. */
    public Tensor detach() {
        return new Tensor(value, false, null, 0);
    }

    // ---- autograd -------------------------------------------------------------------------------------------

    /** Backward from this scalar with seed 1; frees the graph. */
    public void backward() {
        Autograd.backward(this);
    }

    /** Backward with a seed gradient of this tensor's shape; frees the graph. */
    public void backward(INDArray seed) {
        Autograd.backward(new Tensor[] {this}, new INDArray[] {seed}, false);
    }

    public void backward(INDArray seed, boolean retainGraph) {
        Autograd.backward(new Tensor[] {this}, new INDArray[] {seed}, retainGraph);
    }

    /** Frees the graph behind this tensor without running backward (and its count in {@link Memory}). */
    public void releaseGraph() {
        if (node == null) {
            return;
        }
        java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>();
        java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        todo.push(node);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            n.release();
            for (Node in : n.inputNodes) {
                if (in != null) {
                    todo.push(in);
                }
            }
        }
    }

    // ---- elementwise ----------------------------------------------------------------------------------------

    public Tensor add(Tensor other) { return Pointwise.add(this, other); }
    public Tensor sub(Tensor other) { return Pointwise.sub(this, other); }
    public Tensor mul(Tensor other) { return Pointwise.mul(this, other); }
    public Tensor div(Tensor other) { return Pointwise.div(this, other); }
    public Tensor add(double c) { return Pointwise.addScalar(this, c); }
    public Tensor sub(double c) { return Pointwise.addScalar(this, -c); }
    public Tensor mul(double c) { return Pointwise.mulScalar(this, c); }
    public Tensor div(double c) { return Pointwise.mulScalar(this, 1.0 / c); }
    /** c − this. */
    public Tensor rsub(double c) { return Pointwise.addScalar(Pointwise.mulScalar(this, -1), c); }
    public Tensor neg() { return Pointwise.mulScalar(this, -1); }
    public Tensor pow(double exponent) { return Pointwise.pow(this, exponent); }
    public Tensor square() { return Pointwise.pow(this, 2); }
    public Tensor exp() { return Pointwise.exp(this); }
    public Tensor log() { return Pointwise.log(this); }
    public Tensor sqrt() { return Pointwise.sqrt(this); }
    public Tensor abs() { return Pointwise.abs(this); }
    public Tensor clamp(double min, double max) { return Pointwise.clamp(this, min, max); }
    public Tensor tanh() { return Pointwise.tanh(this); }
    public Tensor sigmoid() { return Pointwise.sigmoid(this); }
    public Tensor relu() { return Pointwise.relu(this); }
    public Tensor leakyRelu(double slope) { return Pointwise.leakyRelu(this, slope); }
    public Tensor silu() { return Pointwise.silu(this); }
    public Tensor gelu() { return Pointwise.gelu(this); }
    public Tensor softplus() { return Pointwise.softplus(this); }

    // ---- reductions -----------------------------------------------------------------------------------------

    /** Sum of all elements, a scalar. */
    public Tensor sum() { return Reductions.sum(this, false); }
    public Tensor sum(boolean keepDims, int... dims) { return Reductions.sum(this, keepDims, dims); }
    /** Mean of all elements, a scalar. */
    public Tensor mean() { return Reductions.mean(this, false); }
    public Tensor mean(boolean keepDims, int... dims) { return Reductions.mean(this, keepDims, dims); }
    public Tensor max(boolean keepDims, int... dims) { return Reductions.max(this, keepDims, dims); }
    public Tensor logSumExp(int dim, boolean keepDims) { return Reductions.logSumExp(this, dim, keepDims); }
    public Tensor softmax(int dim) { return Reductions.softmax(this, dim); }
    /** Scaled to unit L2 norm along dim: x / √(Σ x² + eps) (eps keeps an all-zero slice finite). */
    public Tensor normalize(int dim, double eps) { return Reductions.normalize(this, dim, eps); }
    public Tensor logSoftmax(int dim) { return Reductions.logSoftmax(this, dim); }

    // ---- linear algebra and shape ---------------------------------------------------------------------------

    public Tensor matmul(Tensor other) { return MatMul.matmul(this, other); }
    /** this·weight + bias for this [N, in] or [B, T, in], weight [in, out], bias [out], as one op. */
    public Tensor affine(Tensor weight, Tensor bias) { return MatMul.affine(this, weight, bias); }
    /** this·otherᵀ for [m, k] and [n, k] matrices, without copying other transposed (for backward either). */
    public Tensor matmulTransposed(Tensor other) { return MatMul.matmulTransposed(this, other); }
    /** Swaps the last two dimensions. */
    public Tensor transpose() { return ShapeOps.transpose(this); }
    public Tensor permute(int... order) { return ShapeOps.permute(this, order); }
    public Tensor reshape(long... shape) { return ShapeOps.reshape(this, shape); }
    public Tensor slice(int dim, long start, long end) { return ShapeOps.slice(this, dim, start, end); }
    public Tensor[] split(int dim, long... sizes) { return ShapeOps.split(this, dim, sizes); }
    /** Rows (entries along dimension 0) at the given indices, repeats allowed. */
    public Tensor indexSelect(int... rows) { return ShapeOps.indexSelect(this, rows); }
    /** Rows of this [V, e] table at ids, averaged over consecutive groups of bagLength: [ids / bagLength, e]. */
    public Tensor bagMean(int[] ids, int bagLength) { return ShapeOps.bagMean(this, ids, bagLength); }
    /** Elements where {@code mask} is non-zero replaced by {@code fill}; mask broadcasts to this shape. */
    public Tensor maskedFill(INDArray mask, double fill) { return ShapeOps.maskedFill(this, mask, fill); }

    public static Tensor concat(int dim, Tensor... parts) { return ShapeOps.concat(dim, parts); }
    /** Elementwise {@code condition ? a : b}; condition is a non-zero/zero array broadcasting to the output. */
    public static Tensor where(INDArray condition, Tensor a, Tensor b) { return ShapeOps.where(condition, a, b); }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape()) + (requiresGrad ? "(grad)" : "") + "\n" + value;
    }
}
