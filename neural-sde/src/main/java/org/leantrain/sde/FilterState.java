package org.leantrain.sde;

/** log h(x) = −½ xᵀP x + νᵀx + γ at one time (the backward information filter's state, spec §2.3). */
public record FilterState(double[][] p, double[] nu, double gamma) {
    /** log of the evidence from x0: −½ x0ᵀP x0 + νᵀx0 + γ. */
    public double logEvidence(double[] x0) {
        return -0.5 * Mat.dot(x0, Mat.mul(p, x0)) + Mat.dot(nu, x0) + gamma;
    }

    FilterState jump(Observations obs, int i) {
        double[][] h = obs.h();
        double[][] rInv = new Mat.Lu(obs.r()).solve(Mat.identity(obs.dim()));
        double[][] htRinv = Mat.mul(Mat.transpose(h), rInv);
        double[] o = obs.values()[i];
        double[][] twoPiR = Mat.scale(obs.r(), 2 * Math.PI);
        return new FilterState(Mat.symmetrise(Mat.add(p, Mat.mul(htRinv, h))), Mat.add(nu, Mat.mul(htRinv, o)),
                gamma - 0.5 * Mat.dot(o, Mat.mul(rInv, o)) - 0.5 * new Mat.Lu(twoPiR).logAbsDet());
    }
}
