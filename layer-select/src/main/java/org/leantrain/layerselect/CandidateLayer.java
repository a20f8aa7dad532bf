package org.leantrain.layerselect;

import org.leantrain.core.nn.Module;

/** A leaf module that owns parameters, named by its path in the model ("features.conv2"), in forward order. */
public record CandidateLayer(String name, Module module, int forwardIndex, long paramCount) {}
