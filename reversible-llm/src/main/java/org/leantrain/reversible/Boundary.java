package org.leantrain.reversible;

/**
 * The states a two-step rule starts from, given the embedding e (token + position). The paper leaves this open, so
 * it is a setting:
 * <ul>
 *   <li>DUPLICATE (default): p_{−1} = p_0 = e; HAMILTONIAN q_0 = p_0 = e.</li>
 *   <li>EULER_BOOTSTRAP: p_{−1} = e, p_0 = e + f_boot(e) with an extra block (HAMILTONIAN: q_0 = e, p_0 = e + f_boot(e)).</li>
 *   <li>FIXED_POINT: p_{−1} = p_0 − f_0(p_0) with p_0 = e, one fixed-point iteration for the state a standard
 *   network would have had before layer 0 (used by CENTRAL conversion).</li>
 * </ul>
 * The gradient reaching e is the sum over every boundary state that depends on it.
 */
public enum Boundary {
    DUPLICATE,
    EULER_BOOTSTRAP,
    FIXED_POINT
}
