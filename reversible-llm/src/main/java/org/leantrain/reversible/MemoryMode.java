package org.leantrain.reversible;

/**
 * REVERSIBLE: the custom backward reconstructs states layer by layer (saved memory flat in depth). STORED: the same
 * recurrence through ordinary autograd (every layer's activations kept), the ground truth for exactness.
 */
public enum MemoryMode {
    REVERSIBLE,
    STORED
}
