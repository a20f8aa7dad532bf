package org.leantrain.dropout;

import org.leantrain.core.tensor.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The recurrent part of an LSTM layer over a segment, given the input projections (bias included), with a
 * hand-written backward. Gate order i, f, g, o as in PyTorch; feature-major: for step t,
 * <pre>
 *   G_t = P_t + Whᵀᵀ h_{t−1}       ([4H, B])
 *   c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g),   h_t = σ(o) ⊙ tanh(c_t)
 * </pre>
 * Inputs P [T, 4H, B], Whᵀ [H, 4H], h0 and c0 [H, B]; outputs every h_t as [T, H, B], and the final h and c.
 * The recurrent connection is never masked, so this part is identical for every dropout variant. Saves the
 * activated gates and the cell states (5H·B per step).
 */
final class LstmRecurrence extends Function {

    @Override
    protected INDArray[] forward(Context ctx, INDArray... in) {
        INDArray projected = Rows.contiguous(in[0]);
        INDArray hiddenT = in[1];
        INDArray h = in[2];
        INDArray c = in[3];
        int steps = (int) projected.size(0);
        long hidden = hiddenT.size(0);
        long batch = projected.size(2);
        if (projected.size(1) != 4 * hidden || h.size(0) != hidden || h.size(1) != batch) {
            throw new IllegalArgumentException("LSTM recurrence expects projections [T, " + 4 * hidden + ", " + batch
                    + "] and state [" + hidden + ", " + batch + "], got " + java.util.Arrays.toString(projected.shape())
                    + " and " + java.util.Arrays.toString(h.shape()));
        }
        INDArray gates = projected.dup('c');
        INDArray cells = Nd4j.create(projected.dataType(), steps, hidden, batch);
        INDArray outputs = Nd4j.create(projected.dataType(), steps, hidden, batch);
        for (int t = 0; t < steps; t++) {
            INDArray g = gates.slice(t);
            Nd4j.gemm(hiddenT, h, g, true, false, 1.0, 1.0);
            Transforms.sigmoid(rows(g, 0, 2 * hidden), false);
            Transforms.tanh(rows(g, 2 * hidden, 3 * hidden), false);
            Transforms.sigmoid(rows(g, 3 * hidden, 4 * hidden), false);
            INDArray cT = cells.slice(t);
            cT.assign(rows(g, hidden, 2 * hidden).mul(c)).addi(rows(g, 0, hidden).mul(rows(g, 2 * hidden, 3 * hidden)));
            INDArray hT = outputs.slice(t);
            hT.assign(Transforms.tanh(cT, true)).muli(rows(g, 3 * hidden, 4 * hidden));
            h = hT;
            c = cT;
        }
        ctx.save(gates, cells, outputs);
        ctx.put("h0", in[2]);
        ctx.put("c0", in[3]);
        ctx.put("hiddenT", hiddenT);
        return new INDArray[] {outputs, h.dup(), c.dup()};
    }

    @Override
    protected INDArray[] backward(Context ctx, INDArray... gradOut) {
        INDArray gates = ctx.saved(0);
        INDArray cells = ctx.saved(1);
        INDArray outputs = ctx.saved(2);
        INDArray hiddenT = ctx.get("hiddenT");
        INDArray dOutputs = Rows.contiguous(gradOut[0]);
        int steps = (int) gates.size(0);
        long hidden = hiddenT.size(0);
        INDArray dGates = Nd4j.create(gates.dataType(), gates.shape());
        INDArray dHiddenT = ctx.needsInputGrad(1) ? Nd4j.zeros(hiddenT.dataType(), hiddenT.shape()) : null;
        INDArray dh = gradOut[1].dup();
        INDArray dc = gradOut[2].dup();
        for (int t = steps - 1; t >= 0; t--) {
            INDArray g = gates.slice(t);
            INDArray i = rows(g, 0, hidden);
            INDArray f = rows(g, hidden, 2 * hidden);
            INDArray cand = rows(g, 2 * hidden, 3 * hidden);
            INDArray o = rows(g, 3 * hidden, 4 * hidden);
            INDArray cPrev = t > 0 ? cells.slice(t - 1) : ctx.<INDArray>get("c0");
            INDArray hPrev = t > 0 ? outputs.slice(t - 1) : ctx.<INDArray>get("h0");
            dh.addi(dOutputs.slice(t));
            INDArray tanhC = Transforms.tanh(cells.slice(t), true);
            // dc += dh ⊙ o ⊙ (1 − tanh²c)
            dc.addi(tanhC.mul(tanhC).rsubi(1).muli(o).muli(dh));
            INDArray dg = dGates.slice(t);
            rows(dg, 0, hidden).assign(sigmoidGrad(i).muli(cand).muli(dc));
            rows(dg, hidden, 2 * hidden).assign(sigmoidGrad(f).muli(cPrev).muli(dc));
            rows(dg, 2 * hidden, 3 * hidden).assign(cand.mul(cand).rsubi(1).muli(i).muli(dc));
            rows(dg, 3 * hidden, 4 * hidden).assign(sigmoidGrad(o).muli(tanhC).muli(dh));
            dc.muli(f);
            if (dHiddenT != null) {
                Nd4j.gemm(hPrev, dg, dHiddenT, false, true, 1.0, 1.0);
            }
            dh = Nd4j.gemm(hiddenT, dg, false, false);
        }
        return new INDArray[] {
            ctx.needsInputGrad(0) ? dGates : null,
            dHiddenT,
            ctx.needsInputGrad(2) ? dh : null,
            ctx.needsInputGrad(3) ? dc : null
        };
    }

    /** σ'(x) from y = σ(x): y(1 − y). */
    private static INDArray sigmoidGrad(INDArray y) {
        return y.rsub(1).muli(y);
    }

    private static INDArray rows(INDArray matrix, long from, long to) {
        return matrix.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }
}
