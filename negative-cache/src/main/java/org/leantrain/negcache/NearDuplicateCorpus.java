package org.leantrain.negcache;

import org.leantrain.core.util.Rng;

/**
 * The synthetic retrieval corpus of spec §7, where random negatives are uninformative: F families of D documents.
 * Family f owns 6 template tokens (6f..6f+5); P detail tokens follow them. A document is its family's 6 template
 * tokens and 2 distinct detail tokens; a query for document d is 2 of its family's template tokens, 1 of d's detail
 * tokens and 1 noise token. Only the detail token tells family members apart, so the negatives that teach are the
 * document's own siblings.
 */
public final class NearDuplicateCorpus {
    public static final int TEMPLATE = 6;
    public static final int DOC_LENGTH = TEMPLATE + 2;
    public static final int QUERY_LENGTH = 4;

    private final int families;
    private final int perFamily;
    private final int pool;
    private final int[][] documents;

    /** The spec's corpus: 250 families × 16 documents, 512 detail tokens (V = 2012). */
    public static NearDuplicateCorpus standard(long seed) {
        return new NearDuplicateCorpus(250, 16, 512, seed);
    }

    public NearDuplicateCorpus(int families, int perFamily, int pool, long seed) {
        if (families < 1 || perFamily < 1 || pool < 2) {
            throw new IllegalArgumentException("corpus needs families, documents per family >= 1 and pool >= 2, got "
                    + families + ", " + perFamily + ", " + pool);
        }
        this.families = families;
        this.perFamily = perFamily;
        this.pool = pool;
        Rng rng = new Rng(seed);
        documents = new int[families * perFamily][DOC_LENGTH];
        for (int d = 0; d < documents.length; d++) {
            int f = d / perFamily;
            for (int j = 0; j < TEMPLATE; j++) {
                documents[d][j] = TEMPLATE * f + j;
            }
            int a = rng.nextInt(pool);
            int b = rng.nextInt(pool - 1);
            b += b >= a ? 1 : 0;
            documents[d][TEMPLATE] = detailBase() + a;
            documents[d][TEMPLATE + 1] = detailBase() + b;
        }
    }

    private int detailBase() {
        return TEMPLATE * families;
    }

    public int vocab() {
        return detailBase() + pool;
    }

    public int size() {
        return documents.length;
    }

    public int[] document(int d) {
        return documents[d].clone();
    }

    public int[][] documents(int[] ids) {
        int[][] out = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            out[i] = documents[ids[i]].clone();
        }
        return out;
    }

    public int[][] all() {
        return documents(java.util.stream.IntStream.range(0, documents.length).toArray());
    }

    /** A fresh query for document d. */
    public int[] queryFor(int d, Rng rng) {
        int f = d / perFamily;
        int t1 = rng.nextInt(TEMPLATE);
        int t2 = rng.nextInt(TEMPLATE - 1);
        t2 += t2 >= t1 ? 1 : 0;
        return new int[] {TEMPLATE * f + t1, TEMPLATE * f + t2, documents[d][TEMPLATE + rng.nextInt(2)],
            rng.nextInt(vocab())};
    }

    /** Queries for uniformly chosen documents: ids[i] is the relevant document of queries[i]. */
    public record QuerySet(int[][] queries, int[] ids) {}

    public QuerySet sample(int count, Rng rng) {
        int[][] queries = new int[count][];
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = rng.nextInt(documents.length);
            queries[i] = queryFor(ids[i], rng);
        }
        return new QuerySet(queries, ids);
    }
}
