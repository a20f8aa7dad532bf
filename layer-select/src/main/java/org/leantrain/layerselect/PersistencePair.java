package org.leantrain.layerselect;

/** One interval [birth, death) of a persistence diagram in homology dimension {@code dim}; death may be +∞. */
public record PersistencePair(int dim, double birth, double death) {
    public double persistence() {
        return death - birth;
    }

    public boolean isEssential() {
        return death == Double.POSITIVE_INFINITY;
    }
}
