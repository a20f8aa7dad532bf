package org.leantrain.dropout;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;
import org.leantrain.core.util.Rng;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small models, random tokens and masks, and the dense reference written with core autograd ops. */
final class Fixtures {
    private Fixtures() {}

    static LmConfig config(int vocab, int embed, int hidden, int layers, int steps, int batch, double p, DataType type) {
        return new LmConfig(vocab, embed, hidden, layers, steps, batch, DropoutConfig.of(p, 7), 5, 1e-3, type);
    }

    static int[][] tokens(int batch, int steps, int vocab, Rng rng) {
        int[][] ids = new int[batch][steps];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                ids[b][t] = rng.nextInt(vocab);
            }
        }
        return ids;
    }

    /** Bernoulli masks with site 1, step 2 empty (k = 0) and site 2, step 4 full (k = n). */
    static KeptSets bernoulliWithExtremes(int[] widths, int steps, double p, Rng rng) {
        KeptSets drawn = KeptSets.draw(new StructuredMaskSampler(p, MaskMode.BERNOULLI), widths, steps, rng);
        int[][][] kept = new int[widths.length][steps][];
        double[][] scales = new double[widths.length][steps];
        for (int s = 0; s < widths.length; s++) {
            for (int t = 0; t < steps; t++) {
                kept[s][t] = drawn.kept(s, t);
                scales[s][t] = drawn.scale(s, t);
            }
        }
        kept[1][2] = new int[0];
        kept[2][4] = java.util.stream.IntStream.range(0, widths[2]).toArray();
        return new KeptSets(kept, widths, scales);
    }

    /**
     * The model's loss recomputed with core autograd ops, batch-major, one LstmCell-style step at a time, the masks
     * multiplied in: an implementation independent of the hand-written functions. {@code kept} null: no dropout.
     */
    static Tensor referenceLoss(LstmLanguageModel model, KeptSets kept, int[][] inputs, int[][] targets) {
        Map<String, Tensor> p = model.namedParameters();
        LmConfig c = model.config();
        int batch = inputs.length;
        int steps = inputs[0].length;
        int layers = c.layers();
        Tensor[] h = new Tensor[layers];
        Tensor[] cell = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            h[l] = Tensor.zeros(c.type(), batch, c.hidden());
            cell[l] = Tensor.zeros(c.type(), batch, c.hidden());
        }
        Tensor[] logits = new Tensor[steps];
        int[] labels = new int[batch * steps];
        for (int t = 0; t < steps; t++) {
            int[] ids = new int[batch];
            for (int b = 0; b < batch; b++) {
                ids[b] = inputs[b][t];
                labels[t * batch + b] = targets[b][t];
            }
            Tensor a = model.embedding().lookup(ids);
            for (int l = 0; l < layers; l++) {
                String n = "lstm" + l + ".";
                Tensor x = masked(a, kept, l, t, batch, c.type());
                Tensor gates = x.matmul(p.get(n + "weight_ih_t")).add(h[l].matmul(p.get(n + "weight_hh_t")))
                        .add(p.get(n + "bias"));
                int hidden = c.hidden();
                Tensor[] g = gates.split(1, hidden, hidden, hidden, hidden);
                cell[l] = g[1].sigmoid().mul(cell[l]).add(g[0].sigmoid().mul(g[2].tanh()));
                h[l] = g[3].sigmoid().mul(cell[l].tanh());
                a = h[l];
            }
            logits[t] = masked(a, kept, layers, t, batch, c.type()).matmul(p.get("decoder_weight_t"))
                    .add(p.get("decoder_bias"));
        }
        return Losses.crossEntropy(Tensor.concat(0, logits), labels);
    }

    private static Tensor masked(Tensor a, KeptSets kept, int site, int t, int batch, DataType type) {
        if (kept == null) {
            return a;
        }
        return a.mul(Tensor.of(kept.denseMask(site, t, batch, type).muli(kept.scale(site, t))));
    }

    /** Loss value and a copy of every parameter gradient after one backward of {@code loss}. */
    static Map<String, INDArray> gradients(LstmLanguageModel model, Supplier<Tensor> loss) {
        model.zeroGrad();
        Tensor value = loss.get();
        value.backward();
        Map<String, INDArray> grads = new LinkedHashMap<>();
        grads.put("loss", value.value().dup());
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            grads.put(e.getKey(), e.getValue().grad().dup());
        }
        model.zeroGrad();
        return grads;
    }

    /** max |a − b| / max |b| (max |a − b| when b is zero). */
    static double relativeDifference(INDArray a, INDArray b) {
        double diff = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        double scale = b.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
        return scale == 0 ? diff : diff / scale;
    }

    static void assertSameGradients(Map<String, INDArray> expected, Map<String, INDArray> actual, double tolerance,
            String what) {
        for (String name : expected.keySet()) {
            double rel = relativeDifference(actual.get(name), expected.get(name));
            if (!(rel <= tolerance)) {
                throw new AssertionError(what + ": " + name + " differs by " + rel + " (relative) > " + tolerance);
            }
        }
    }

}
