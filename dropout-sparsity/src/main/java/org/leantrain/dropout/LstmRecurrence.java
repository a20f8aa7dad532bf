package org.leantrain.dropout;

import org.leantrain.core.tensor.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The recurrent part of an LSTM layer over a segment, given the input projections (bias included), with a
 * hand-written backward. Gate order i, f, g, o as in PyTorch; feature-major: for step t,
 * <pre>
 *   G_t = P_t + Whᵀᵀ h_{t−1}       ([4H, B])
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 * Inputs P [T, 4H, B], Whᵀ [H, 4H], h0 and c0 [H, B]; outputs every h_t as [T, H, B], and the final h and c.
 * The recurrent connection is never masked, so this part is identical for every dropout variant. Saves the
 * activated gates, the cell states and the outputs (6H·B per step). The elementwise math is {@link LstmCellKernel}.
 */
final class LstmRecurrence extends Function {

    @Override
    protected INDArray[] forward(Context ctx, INDArray... in) {
        INDArray projected = Rows.contiguous(in[0]);
        INDArray hiddenT = in[1];
        int steps = (int) projected.size(0);
        long hidden = hiddenT.size(0);
        long batch = projected.size(2);
        if (projected.size(1) != 4 * hidden || in[2].size(0) != hidden || in[2].size(1) != batch) {
            throw new IllegalArgumentException("LSTM recurrence expects projections [T, " + 4 * hidden + ", " + batch
                    + "] and state [" + hidden + ", " + batch + "], got " + java.util.Arrays.toString(projected.shape())
                    + " and " + java.util.Arrays.toString(in[2].shape()));
        }
        int n = Math.toIntExact(hidden * batch);
        INDArray gates = projected.dup('c');
        INDArray cells = Nd4j.create(projected.dataType(), steps, hidden, batch);
        INDArray outputs = Nd4j.create(projected.dataType(), steps, hidden, batch);
        Block recurrent = Block.of(hiddenT);
        double[] g = new double[4 * n];
        double[] cPrev = Flat.read(in[3], new double[n]);
        double[] c = new double[n];
        double[] h = new double[n];
        Block hPrev = Block.of(in[2]);
        for (int t = 0; t < steps; t++) {
            Block gatesT = Block.step(gates, t);
            Gemm.multiply(recurrent, true, hPrev, false, gatesT, 1.0, 1.0);
            LstmCellKernel.forward(Flat.read(gatesT, g), cPrev, c, h, n);
            Flat.write(g, gatesT);
            Flat.write(c, Block.step(cells, t));
            hPrev = Block.step(outputs, t);
            Flat.write(h, hPrev);
            double[] swap = cPrev;
            cPrev = c;
            c = swap;
        }
        ctx.save(gates, cells, outputs);
        ctx.put("h0", in[2]);
        ctx.put("c0", in[3]);
        ctx.put("hiddenT", hiddenT);
        return new INDArray[] {outputs, outputs.slice(steps - 1).dup(), cells.slice(steps - 1).dup()};
    }

    @Override
    protected INDArray[] backward(Context ctx, INDArray... gradOut) {
        INDArray gates = ctx.saved(0);
        INDArray cells = ctx.saved(1);
        INDArray outputs = ctx.saved(2);
        INDArray hiddenT = ctx.get("hiddenT");
        INDArray dOutputs = Rows.contiguous(gradOut[0]);
        int steps = (int) gates.size(0);
        int n = Math.toIntExact(cells.size(1) * cells.size(2));
        INDArray dGates = Nd4j.create(gates.dataType(), gates.shape());
        INDArray dHiddenT = ctx.needsInputGrad(1) ? Nd4j.zeros(hiddenT.dataType(), hiddenT.shape()) : null;
        Block recurrent = Block.of(hiddenT);
        Block dRecurrent = dHiddenT == null ? null : Block.of(dHiddenT);
        INDArray dhPrev = Nd4j.create(gates.dataType(), cells.size(1), cells.size(2));
        Block dhPrevBlock = Block.of(dhPrev);
        double[] g = new double[4 * n];
        double[] c = new double[n];
        double[] cPrev = new double[n];
        double[] dh = Flat.read(gradOut[1], new double[n]);
        double[] dhOut = new double[n];
        double[] dc = Flat.read(gradOut[2], new double[n]);
        double[] dg = new double[4 * n];
        Flat.read(Block.step(cells, steps - 1), c);
        for (int t = steps - 1; t >= 0; t--) {
            Flat.read(Block.step(dOutputs, t), dhOut);
            for (int e = 0; e < n; e++) {
                dh[e] += dhOut[e];
            }
            Flat.read(Block.step(gates, t), g);
            if (t > 0) {
                Flat.read(Block.step(cells, t - 1), cPrev);
            } else {
                Flat.read(ctx.<INDArray>get("c0"), cPrev);
            }
            LstmCellKernel.backward(g, c, cPrev, dh, dc, dg, n);
            double[] swap = c; // c_{t−1} is the next (earlier) step's c_t: read once, not twice
            c = cPrev;
            cPrev = swap;
            Block dGatesT = Block.step(dGates, t);
            Flat.write(dg, dGatesT);
            if (dRecurrent != null) {
                Block hPrev = t > 0 ? Block.step(outputs, t - 1) : Block.of(ctx.get("h0"));
                Gemm.multiply(hPrev, false, dGatesT, true, dRecurrent, 1.0, 1.0);
            }
            Gemm.multiply(recurrent, false, dGatesT, false, dhPrevBlock, 1.0, 0.0);
            Flat.read(dhPrevBlock, dh);
        }
        INDArray dc0 = null;
        if (ctx.needsInputGrad(3)) {
            dc0 = Nd4j.create(gates.dataType(), cells.size(1), cells.size(2));
            Flat.write(dc, dc0);
        }
        return new INDArray[] {
            ctx.needsInputGrad(0) ? dGates : null,
            dHiddenT,
            ctx.needsInputGrad(2) ? dhPrev : null,
            dc0
        };
    }
}
