package org.leantrain.reversible;

/**
 * How a trained standard LM becomes reversible while keeping every weight (spec §2, our reconstruction):
 * <ul>
 *   <li>CENTRAL: p_{−1} = p_0 − f_0(p_0), then p_{j+1} = p_{j−1} + 2·f_j(p_j) (MIDPOINT, h = 1, FIXED_POINT
 *   boundary). Same cost as MIDPOINT; layer 1 is exact, deeper layers close only when consecutive blocks are
 *   similar.</li>
 *   <li>TWO_BLOCK: p_{−1} = p_0, then p_{j+1} = p_{j−1} + f_{j−1}(p_j) + f_j(p_j) (MIDPOINT with C = 1 on
 *   g_j = f_{j−1} + f_j). Matches the standard net to first order for arbitrary blocks; two block evaluations per
 *   layer.</li>
 *   <li>NAIVE_MIDPOINT: the weights dropped into MIDPOINT with C = 1 and the DUPLICATE boundary — the reference
 *   that shows why the other two are needed.</li>
 * </ul>
 */
public enum ConversionMode {
    CENTRAL,
    TWO_BLOCK,
    NAIVE_MIDPOINT
}
