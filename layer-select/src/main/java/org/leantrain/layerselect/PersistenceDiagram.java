package org.leantrain.layerselect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Intervals of positive length in dimensions 0 and 1 (zero-length pairs are not kept), plus the number of H1 pairs
 * the reduction made including zero-length ones (a diagnostic: without a threshold it is every non-MST edge).
 */
public final class PersistenceDiagram {
    private static final Comparator<PersistencePair> ORDER =
            Comparator.comparingDouble(PersistencePair::birth).thenComparingDouble(PersistencePair::death);

    private final List<List<PersistencePair>> byDim;
    private final int h1PairsIncludingZeroLength;

    PersistenceDiagram(List<PersistencePair> h0, List<PersistencePair> h1, int h1PairsIncludingZeroLength) {
        List<PersistencePair> a = new ArrayList<>(h0);
        List<PersistencePair> b = new ArrayList<>(h1);
        a.sort(ORDER);
        b.sort(ORDER);
        this.byDim = List.of(Collections.unmodifiableList(a), Collections.unmodifiableList(b));
        this.h1PairsIncludingZeroLength = h1PairsIncludingZeroLength;
    }

    /** The intervals of dimension dim (0 or 1), sorted by birth then death. */
    public List<PersistencePair> pairs(int dim) {
        checkDim(dim);
        return byDim.get(dim);
    }

    /** Number of intervals with death > birth: for dim 1 this is AdaBet's b1 (spec §2). */
    public int countPositive(int dim) {
        return (int) pairs(dim).stream().filter(p -> p.death() > p.birth()).count();
    }

    /** Sum of death − birth over the finite intervals of dimension dim. */
    public double totalPersistence(int dim) {
        return pairs(dim).stream().filter(p -> !p.isEssential()).mapToDouble(PersistencePair::persistence).sum();
    }

    public double maxFinitePersistence(int dim) {
        return pairs(dim).stream().filter(p -> !p.isEssential()).mapToDouble(PersistencePair::persistence).max()
                .orElse(0);
    }

    public int h1PairsIncludingZeroLength() {
        return h1PairsIncludingZeroLength;
    }

    private static void checkDim(int dim) {
        if (dim != 0 && dim != 1) {
            throw new IllegalArgumentException("dim must be 0 or 1, got " + dim);
        }
    }

    @Override
    public String toString() {
        return "H0 " + byDim.get(0) + "\nH1 " + byDim.get(1);
    }
}
