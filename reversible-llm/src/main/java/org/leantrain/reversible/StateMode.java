package org.leantrain.reversible;

/**
 * FLOAT keeps the running states in the model's float type (reconstruction drifts by round-off). FIXED_POINT keeps
 * them as int64 with {@code fracBits} fractional bits and quantizes each increment before adding, so inversion is
 * bit-exact whenever recomputing f is bit-identical (same thread count, deterministic kernels). Backward treats the
 * quantization as the identity (straight-through).
 */
public enum StateMode {
    FLOAT,
    FIXED_POINT
}
