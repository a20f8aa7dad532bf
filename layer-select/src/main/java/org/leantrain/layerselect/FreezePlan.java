package org.leantrain.layerselect;

import java.util.List;
import org.leantrain.core.tensor.Tensor;

/** What {@link SelectiveTrainer#apply} left trainable: the parameters, the first trainable layer, their count. */
public record FreezePlan(List<Tensor> trainable, int firstTrainableForwardIndex, long trainableParams) {}
