package org.leantrain.layerselect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * The textbook algorithm, as a test oracle for {@link RipsPersistence}: list every vertex, edge and triangle with
 * diameter ≤ τ, order them by (diameter, dimension), and reduce the Z/2 boundary matrix column by column (standard
 * persistence). Slow (O(n³) simplices, dense columns): n ≤ 40.
 */
public final class BruteForceRipsPersistence {
    public static final int MAX_POINTS = 40;

    private record Simplex(int[] vertices, double diameter) {
        int dim() {
            return vertices.length - 1;
        }
    }

    public PersistenceDiagram compute(DistanceMatrix dm, RipsConfig cfg) {
        int n = dm.size();
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException("the brute-force engine takes at most " + MAX_POINTS + " points, got " + n);
        }
        double tau = cfg.useEnclosingRadius() ? Math.min(cfg.threshold(), dm.enclosingRadius()) : cfg.threshold();
        List<Simplex> simplices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            simplices.add(new Simplex(new int[] {i}, 0));
        }
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                add(simplices, new int[] {i, j}, dm.get(i, j), tau);
                if (cfg.maxDim() >= 1) {
                    for (int k = j + 1; k < n; k++) {
                        add(simplices, new int[] {i, j, k},
                                Math.max(dm.get(i, j), Math.max(dm.get(i, k), dm.get(j, k))), tau);
                    }
                }
            }
        }
        simplices.sort(Comparator.comparingDouble(Simplex::diameter).thenComparingInt(Simplex::dim));
        java.util.Map<String, Integer> position = new java.util.HashMap<>();
        for (int s = 0; s < simplices.size(); s++) {
            position.put(Arrays.toString(simplices.get(s).vertices()), s);
        }
        int m = simplices.size();
        BitSet[] columns = new BitSet[m];
        int[] pivotOwner = new int[m];
        Arrays.fill(pivotOwner, -1);
        boolean[] killed = new boolean[m];
        boolean[] killer = new boolean[m];
        List<PersistencePair> h0 = new ArrayList<>();
        List<PersistencePair> h1 = new ArrayList<>();
        int h1Pairs = 0;
        for (int s = 0; s < m; s++) {
            columns[s] = boundary(simplices.get(s), position);
            while (!columns[s].isEmpty()) {
                int low = columns[s].length() - 1;
                if (pivotOwner[low] < 0) {
                    pivotOwner[low] = s;
                    killed[low] = true;
                    killer[s] = true;
                    Simplex born = simplices.get(low);
                    double birth = born.diameter();
                    double death = simplices.get(s).diameter();
                    if (born.dim() == 1) {
                        h1Pairs++;
                    }
                    if (death > birth) {
                        (born.dim() == 0 ? h0 : h1).add(new PersistencePair(born.dim(), birth, death));
                    }
                    break;
                }
                columns[s].xor(columns[pivotOwner[low]]);
            }
        }
        for (int s = 0; s < m; s++) {
            Simplex sx = simplices.get(s);
            if (!killed[s] && !killer[s] && sx.dim() <= cfg.maxDim()) {
                (sx.dim() == 0 ? h0 : h1).add(new PersistencePair(sx.dim(), sx.diameter(), Double.POSITIVE_INFINITY));
            }
        }
        return new PersistenceDiagram(h0, h1, h1Pairs);
    }

    private static void add(List<Simplex> into, int[] vertices, double diameter, double tau) {
        if (diameter <= tau) {
            into.add(new Simplex(vertices, diameter));
        }
    }

    private static BitSet boundary(Simplex s, java.util.Map<String, Integer> position) {
        BitSet column = new BitSet();
        int[] v = s.vertices();
        if (v.length == 1) {
            return column;
        }
        for (int drop = 0; drop < v.length; drop++) {
            int[] face = new int[v.length - 1];
            for (int a = 0, b = 0; a < v.length; a++) {
                if (a != drop) {
                    face[b++] = v[a];
                }
            }
            column.set(position.get(Arrays.toString(face)));
        }
        return column;
    }
}
