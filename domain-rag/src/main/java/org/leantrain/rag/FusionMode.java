package org.leantrain.rag;

/**
 * How expansion passages are fused (spec §2): MSLF writes one passage for all sub-queries (2 LM calls per query),
 * MMLF one passage per sub-query (n + 1 calls); both fuse the original query's list with the passages' lists by RRF.
 */
public enum FusionMode { MSLF, MMLF }
