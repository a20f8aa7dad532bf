package org.leantrain.layerselect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leantrain.core.nn.Module;
import org.leantrain.core.tensor.GradMode;
import org.leantrain.core.tensor.Tensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Records each candidate layer's real output during one normal forward of the whole model (spec §3A): forward
 * hooks, eval mode, no tape. Each output is copied to a double matrix [B, m_l] (row i = sample i). Closing removes
 * the hooks.
 */
public final class ActivationRecorder implements AutoCloseable {
    private final List<Module.HookHandle> handles = new ArrayList<>();
    private final Map<String, INDArray> recorded = new LinkedHashMap<>();

    public ActivationRecorder(List<CandidateLayer> layers) {
        for (CandidateLayer layer : layers) {
            handles.add(layer.module().registerForwardHook((m, in, out) -> {
                INDArray value = out.value();
                long rows = value.size(0);
                recorded.put(layer.name(), value.castTo(DataType.DOUBLE).dup('c').reshape('c', rows, value.length() / rows));
            }));
        }
    }

    /** One forward of model on batch in eval mode without recording a graph; the model's mode is restored. */
    public Map<String, INDArray> record(Module model, INDArray batch) {
        recorded.clear();
        boolean wasTraining = model.isTraining();
        model.eval();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            model.forward(Tensor.of(batch));
        } finally {
            model.train(wasTraining);
        }
        return new LinkedHashMap<>(recorded);
    }

    @Override
    public void close() {
        handles.forEach(Module.HookHandle::close);
        handles.clear();
    }
}
