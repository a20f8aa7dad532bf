package org.leantrain.layerselect;

import java.util.ArrayList;
import java.util.List;

/**
 * Vietoris–Rips persistence in dimensions 0 and 1 over Z/2 (spec §3C–D): H0 by a union–find over the edges in
 * filtration order, H1 by persistent cohomology with clearing (MST edges never start a column) and the emergent
 * zero-length shortcut, reducing coboundary columns on a heap without ever listing the triangles.
 *
 * <p>Filtration order: edges and triangles by diameter, ties by index descending (combinatorial number system);
 * cohomology columns are processed in reverse. The shortcut is valid only with exactly these orders.
 */
public final class RipsPersistence {

    public PersistenceDiagram compute(DistanceMatrix dm, RipsConfig cfg) {
        return new Run(dm, cfg).execute();
    }

    /** The state of one computation. */
    private static final class Run {
        private final int n;
        private final double[] d;
        private final double tau;
        private final boolean emergent;
        private final int maxDim;
        private final TriangleHeap heap = new TriangleHeap();
        private final int[] edgeI;
        private final int[] edgeJ;

        Run(DistanceMatrix dm, RipsConfig cfg) {
            this.n = dm.size();
            this.d = dm.values();
            this.tau = cfg.useEnclosingRadius() ? Math.min(cfg.threshold(), dm.enclosingRadius()) : cfg.threshold();
            this.emergent = cfg.emergentPairs();
            this.maxDim = cfg.maxDim();
            this.edgeI = edgeVertices(true);
            this.edgeJ = edgeVertices(false);
        }

        PersistenceDiagram execute() {
            int[] edges = sortedEdges();
            List<PersistencePair> h0 = new ArrayList<>();
            int[] columns = new int[edges.length];
            int columnCount = 0;
            UnionFind components = new UnionFind(n);
            for (int e : edges) { // §3C: MST edges are H0 deaths and are cleared from H1
                if (components.union(edgeI(e), edgeJ(e))) {
                    double death = edgeValue(e);
                    if (death > 0) {
                        h0.add(new PersistencePair(0, 0, death));
                    }
                } else {
                    columns[columnCount++] = e;
                }
            }
            for (int c = 0; c < components.components(); c++) {
                h0.add(new PersistencePair(0, 0, Double.POSITIVE_INFINITY));
            }
            if (maxDim == 0) {
                return new PersistenceDiagram(h0, List.of(), 0);
            }
            List<PersistencePair> h1 = new ArrayList<>();
            int paired = reduceH1(columns, columnCount, h1);
            return new PersistenceDiagram(h0, h1, paired);
        }

        /** §3D: columns in reverse filtration order; returns how many got a pivot (zero-length pairs included). */
        private int reduceH1(int[] columns, int count, List<PersistencePair> h1) {
            LongIntMap pivotOwner = new LongIntMap(Math.max(16, count));
            List<int[]> ownerEdges = new ArrayList<>(); // V of each owner entry, by the int the map stores
            int paired = 0;
            for (int c = count - 1; c >= 0; c--) {
                int e = columns[c];
                double delta = edgeValue(e);
                if (emergent) {
                    long shortcut = emergentPivot(e, delta);
                    if (shortcut >= 0 && !pivotOwner.contains(shortcut)) {
                        pivotOwner.put(shortcut, ownerEdges.size());
                        ownerEdges.add(new int[] {e});
                        paired++;
                        continue;
                    }
                }
                heap.clear();
                pushCofacets(e);
                int[] v = {e};
                while (true) {
                    if (!heap.popPivot()) {
                        h1.add(new PersistencePair(1, delta, Double.POSITIVE_INFINITY));
                        break;
                    }
                    long pivot = heap.pivotIndex();
                    double pivotDiam = heap.pivotDiameter();
                    int owner = pivotOwner.get(pivot);
                    if (owner < 0) {
                        pivotOwner.put(pivot, ownerEdges.size());
                        ownerEdges.add(v);
                        paired++;
                        if (pivotDiam > delta) {
                            h1.add(new PersistencePair(1, delta, pivotDiam));
                        }
                        break;
                    }
                    heap.push(pivotDiam, pivot); // it cancels against its copy in the owner's coboundary
                    int[] other = ownerEdges.get(owner);
                    for (int f : other) {
                        pushCofacets(f);
                    }
                    v = symmetricDifference(v, other);
                }
            }
            return paired;
        }

        /** The cofacet of e with diameter == δ and the largest index (scan k = n−1..0), or −1 if there is none. */
        private long emergentPivot(int e, double delta) {
            int i = edgeI(e);
            int j = edgeJ(e);
            for (int k = n - 1; k >= 0; k--) {
                if (k == i || k == j) {
                    continue;
                }
                double diam = Math.max(delta, Math.max(d[i * n + k], d[j * n + k]));
                if (diam == delta && diam <= tau) {
                    return triangleIndex(i, j, k);
                }
            }
            return -1;
        }

        private void pushCofacets(int e) {
            int i = edgeI(e);
            int j = edgeJ(e);
            double delta = edgeValue(e);
            for (int k = n - 1; k >= 0; k--) {
                if (k == i || k == j) {
                    continue;
                }
                double diam = Math.max(delta, Math.max(d[i * n + k], d[j * n + k]));
                if (diam <= tau) {
                    heap.push(diam, triangleIndex(i, j, k));
                }
            }
        }

        /** Edges {i > j} with d_ij ≤ τ as idx = i(i−1)/2 + j, sorted by (d ascending, idx descending). */
        private int[] sortedEdges() {
            int m = n * (n - 1) / 2;
            int[] kept = new int[m];
            int count = 0;
            for (int idx = 0; idx < m; idx++) {
                if (edgeValue(idx) <= tau) {
                    kept[count++] = idx;
                }
            }
            int[] edges = java.util.Arrays.copyOf(kept, count);
            IndexSort.sort(edges, (a, b) -> {
                int byValue = Double.compare(edgeValue(a), edgeValue(b));
                return byValue != 0 ? byValue : Integer.compare(b, a);
            });
            return edges;
        }

        private int[] edgeVertices(boolean first) {
            int[] out = new int[n * (n - 1) / 2];
            for (int i = 1, idx = 0; i < n; i++) {
                for (int j = 0; j < i; j++, idx++) {
                    out[idx] = first ? i : j;
                }
            }
            return out;
        }

        private int edgeI(int idx) {
            return edgeI[idx];
        }

        private int edgeJ(int idx) {
            return edgeJ[idx];
        }

        private double edgeValue(int idx) {
            return d[edgeI[idx] * n + edgeJ[idx]];
        }

        private static int[] symmetricDifference(int[] a, int[] b) {
            java.util.BitSet set = new java.util.BitSet();
            for (int x : a) {
                set.flip(x);
            }
            for (int x : b) {
                set.flip(x);
            }
            return set.stream().toArray();
        }
    }

    /** idx{a > b > c} = C(a,3) + C(b,2) + c for the triangle with vertices i, j, k in any order. */
    static long triangleIndex(int i, int j, int k) {
        int a = Math.max(i, Math.max(j, k));
        int c = Math.min(i, Math.min(j, k));
        int b = i + j + k - a - c;
        return (long) a * (a - 1) * (a - 2) / 6 + (long) b * (b - 1) / 2 + c;
    }
}
