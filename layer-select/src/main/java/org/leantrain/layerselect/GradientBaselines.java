package org.leantrain.layerselect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.data.Dataset;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.Autograd;
import org.leantrain.core.tensor.Losses;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One labelled batch, one backward, with every parameter temporarily trainable (spec §2, gradient baselines):
 * the per-layer gradient norm g_l and the reference code's Fisher proxy F_l = ½·mean((a_l ⊙ ∂ℒ/∂a_l)²). The
 * parameters' grad fields and requiresGrad flags are restored afterwards.
 */
final class GradientBaselines {
    private GradientBaselines() {}

    static Map<String, Double> gradientNorms(Module model, List<CandidateLayer> candidates, Dataset batch) {
        return withAllTrainable(model, () -> {
            Tensor loss = Losses.crossEntropy(model.forward(Tensor.of(batch.features())), batch.labels());
            List<Tensor> params = new ArrayList<>();
            candidates.forEach(c -> params.addAll(c.module().parameters()));
            INDArray[] grads = Autograd.grad(loss, params.toArray(new Tensor[0]));
            Map<String, Double> norms = new LinkedHashMap<>();
            int at = 0;
            for (CandidateLayer c : candidates) {
                double sq = 0;
                for (int p = 0; p < c.module().parameters().size(); p++, at++) {
                    double n = grads[at].norm2Number().doubleValue();
                    sq += n * n;
                }
                norms.put(c.name(), Math.sqrt(sq));
            }
            return norms;
        });
    }

    static Map<String, Double> fisher(Module model, List<CandidateLayer> candidates, Dataset batch) {
        return withAllTrainable(model, () -> {
            Map<String, Tensor> outputs = new LinkedHashMap<>();
            List<Module.HookHandle> hooks = new ArrayList<>();
            for (CandidateLayer c : candidates) {
                hooks.add(c.module().registerForwardHook((m, in, out) -> outputs.put(c.name(), out)));
            }
            Tensor loss;
            try {
                loss = Losses.crossEntropy(model.forward(Tensor.of(batch.features())), batch.labels());
            } finally {
                hooks.forEach(Module.HookHandle::close);
            }
            Tensor[] acts = candidates.stream().map(c -> outputs.get(c.name())).toArray(Tensor[]::new);
            INDArray[] grads = Autograd.grad(loss, acts);
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int l = 0; l < candidates.size(); l++) {
                INDArray prod = acts[l].value().mul(grads[l]);
                scores.put(candidates.get(l).name(), 0.5 * prod.muli(prod).meanNumber().doubleValue());
            }
            return scores;
        });
    }

    private static <T> T withAllTrainable(Module model, java.util.function.Supplier<T> body) {
        List<Tensor> params = model.parameters();
        boolean[] flags = new boolean[params.size()];
        for (int i = 0; i < flags.length; i++) {
            flags[i] = params.get(i).requiresGrad();
            params.get(i).requireGrad(true);
        }
        boolean wasTraining = model.isTraining();
        model.eval(); // the same deterministic forward AdaBet sees
        try {
            return body.get();
        } finally {
            model.train(wasTraining);
            for (int i = 0; i < flags.length; i++) {
                params.get(i).requireGrad(flags[i]);
            }
        }
    }
}
