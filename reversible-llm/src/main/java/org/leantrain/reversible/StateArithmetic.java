package org.leantrain.reversible;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arithmetic the reversible walk does on its running states: a state is either a float array (FLOAT mode) or an
 * int64 array of fixed-point numbers with F fractional bits (FIXED_POINT mode, spec §2 "exact mode"), where every
 * increment is rounded to the grid before it is added, so adding and subtracting it are exact integer operations.
 */
abstract class StateArithmetic {

    static StateArithmetic of(StateMode mode, int fracBits, DataType valueType) {
        return mode == StateMode.FLOAT ? new FloatStates() : new FixedPointStates(fracBits, valueType);
    }

    /** The state holding a float value. */
    abstract INDArray toState(INDArray value);

    /** The float value of a state (what the blocks see). */
    abstract INDArray value(INDArray state);

    /** a·x + b·y + c·u for a state x, a state y and a float increment u (b = 0 skips y, which may be null). */
    abstract INDArray combine(double a, INDArray x, double b, INDArray y, double c, INDArray u);

    /** The x of {@link #combine}: (z − b·y − c·u) / a. */
    abstract INDArray uncombine(INDArray z, double a, double b, INDArray y, double c, INDArray u);

    /** Float states: plain ND4J arithmetic; coefficients ±1 and 0 are applied exactly (no multiply). */
    static final class FloatStates extends StateArithmetic {
        @Override
        INDArray toState(INDArray value) {
            return value;
        }

        @Override
        INDArray value(INDArray state) {
            return state;
        }

        @Override
        INDArray combine(double a, INDArray x, double b, INDArray y, double c, INDArray u) {
            INDArray out = scaled(a, x);
            if (b != 0) {
                addScaled(out, b, y);
            }
            return addScaled(out, c, u);
        }

        @Override
        INDArray uncombine(INDArray z, double a, double b, INDArray y, double c, INDArray u) {
            INDArray out = z.dup();
            if (b != 0) {
                addScaled(out, -b, y);
            }
            addScaled(out, -c, u);
            return a == 1 ? out : a == -1 ? out.negi() : out.divi(a);
        }

        private static INDArray scaled(double s, INDArray x) {
            return s == 1 ? x.dup() : s == -1 ? x.neg() : x.mul(s);
        }

        private static INDArray addScaled(INDArray out, double s, INDArray x) {
            return s == 1 ? out.addi(x) : s == -1 ? out.subi(x) : out.addi(x.mul(s));
        }
    }

    /** int64 states with {@code fracBits} fractional bits; a and b must be integers and |a| = 1. */
    static final class FixedPointStates extends StateArithmetic {
        private final double scale;
        private final DataType valueType;

        FixedPointStates(int fracBits, DataType valueType) {
            this.scale = Math.scalb(1.0, fracBits);
            this.valueType = valueType;
        }

        @Override
        INDArray toState(INDArray value) {
            double[] v = value.dup('c').data().asDouble();
            long[] q = new long[v.length];
            for (int i = 0; i < v.length; i++) {
                q[i] = quantize(v[i]);
            }
            return Nd4j.createFromArray(q).reshape(value.shape());
        }

        @Override
        INDArray value(INDArray state) {
            long[] q = state.data().asLong();
            double[] v = new double[q.length];
            for (int i = 0; i < q.length; i++) {
                v[i] = q[i] / scale;
            }
            return Nd4j.create(v, state.shape(), valueType);
        }

        @Override
        INDArray combine(double a, INDArray x, double b, INDArray y, double c, INDArray u) {
            long ia = integer(a);
            long ib = integer(b);
            long[] xs = x.data().asLong();
            long[] ys = ib == 0 ? null : y.data().asLong();
            double[] us = u.dup('c').data().asDouble();
            long[] out = new long[xs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = ia * xs[i] + (ib == 0 ? 0 : ib * ys[i]) + quantize(c * us[i]);
            }
            return Nd4j.createFromArray(out).reshape(x.shape());
        }

        @Override
        INDArray uncombine(INDArray z, double a, double b, INDArray y, double c, INDArray u) {
            long ia = integer(a);
            long ib = integer(b);
            if (Math.abs(ia) != 1) {
                throw new IllegalArgumentException("fixed-point inversion needs |a| = 1, got " + a);
            }
            long[] zs = z.data().asLong();
            long[] ys = ib == 0 ? null : y.data().asLong();
            double[] us = u.dup('c').data().asDouble();
            long[] out = new long[zs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (zs[i] - (ib == 0 ? 0 : ib * ys[i]) - quantize(c * us[i])) * ia;
            }
            return Nd4j.createFromArray(out).reshape(z.shape());
        }

        private long quantize(double v) {
            double q = Math.rint(v * scale);
            if (!(Math.abs(q) < 0x1p62)) {
                throw new ArithmeticException("value " + v + " does not fit a fixed-point state with "
                        + Math.getExponent(scale) + " fractional bits (or is not finite)");
            }
            return (long) q;
        }

        private static long integer(double c) {
            if (c != Math.rint(c)) {
                throw new IllegalArgumentException("fixed-point states need integer coefficients, got " + c);
            }
            return (long) c;
        }
    }
}
