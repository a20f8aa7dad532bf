package org.leantrain.sde;

/** The uniform Euler grid t_k = kΔt, k = 0..K, Δt = T/K (spec §2.2). */
public record TimeGrid(double t, int steps) {
    public TimeGrid {
        if (!(t > 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("horizon T must be > 0 and finite, got " + t);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps K must be >= 1, got " + steps);
        }
    }

    public double dt() {
        return t / steps;
    }

    public double time(int k) {
        return k * dt();
    }

    /** The grid index of an observation time in (0, T]; it must lie on the grid to 1e-9·Δt. */
    public int indexOf(double time) {
        if (!(time > 0) || time > t * (1 + 1e-12)) {
            throw new IllegalArgumentException("observation time " + time + " is outside (0, T = " + t + "]");
        }
        long k = Math.round(time / dt());
        if (Math.abs(k * dt() - time) > 1e-9 * dt()) {
            throw new IllegalArgumentException("observation time " + time + " is not on the grid of step " + dt()
                    + " (K = " + steps + "); choose K so that every observation time is a multiple of T/K");
        }
        return (int) k;
    }
}
