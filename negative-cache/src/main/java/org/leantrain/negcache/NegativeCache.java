package org.leantrain.negcache;

import java.util.Arrays;
import org.leantrain.core.tensor.Nd;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The store of a negative cache: C slots, each with a document's token features, an embedding computed by some
 * earlier document tower, the document id, a valid flag, an eviction age and an embedding age (steps since the
 * embedding was computed). Semantics of the official implementation (one step = refresh, insert, {@link #tick}):
 * <ul>
 *   <li>{@link #refresh} writes fresh embeddings into sampled slots; under LRU their eviction age becomes −1;</li>
 *   <li>{@link #insert} puts new documents into the slots with the largest eviction age (ties: smaller index
 *       first; the j-th inserted item into the j-th oldest slot) and sets their age to −1;</li>
 *   <li>{@link #tick} adds 1 to every age, so slots written this step end it at age 0.</li>
 * </ul>
 * Slots start invalid (never drawn) until something is written into them; the official cache starts with zero
 * documents that are drawn like real ones, which is a pitfall this avoids.
 */
public final class NegativeCache {
    private static final int SELECT_LIMIT = 64;

    private final int capacity;
    private final int featureLength;
    private final EvictionPolicy eviction;
    private final int[][] features;
    private final INDArray embeddings;
    private final int[] docIds;
    private final boolean[] valid;
    private final int[] age;
    private final int[] embeddingAge;

    /** A cache of float32 embeddings. */
    public NegativeCache(int capacity, int featureLength, int embeddingDim, EvictionPolicy eviction) {
        this(capacity, featureLength, embeddingDim, eviction, DataType.FLOAT);
    }

    /** A cache whose embeddings have {@code type} (float64 for exactness tests with float64 towers). */
    public NegativeCache(int capacity, int featureLength, int embeddingDim, EvictionPolicy eviction, DataType type) {
        if (capacity < 1 || featureLength < 1 || embeddingDim < 1) {
            throw new IllegalArgumentException("cache capacity, feature length and embedding width must be >= 1, got "
                    + capacity + ", " + featureLength + ", " + embeddingDim);
        }
        if (eviction == null) {
            throw new IllegalArgumentException("an eviction policy (LRU or FIFO) is needed");
        }
        this.capacity = capacity;
        this.featureLength = featureLength;
        this.eviction = eviction;
        this.features = new int[capacity][featureLength];
        this.embeddings = Nd4j.zeros(type, capacity, embeddingDim);
        this.docIds = new int[capacity];
        Arrays.fill(docIds, -1);
        this.valid = new boolean[capacity];
        this.age = new int[capacity];
        this.embeddingAge = new int[capacity];
    }

    public int capacity() {
        return capacity;
    }

    public int embeddingDim() {
        return (int) embeddings.size(1);
    }

    public int validCount() {
        int n = 0;
        for (boolean v : valid) {
            n += v ? 1 : 0;
        }
        return n;
    }

    /**
     * Writes fresh embeddings [k, e] into the given slots (only where {@code mask} is true; null = all). Under LRU
     * a written slot's eviction age restarts; its embedding age always does.
     */
    public void refresh(int[] slots, INDArray fresh, boolean[] mask) {
        checkEmbeddings(fresh, slots.length, "refresh");
        checkMask(mask, slots.length, "refresh");
        for (int i = 0; i < slots.length; i++) {
            checkSlot(slots[i], "refresh");
            if (mask != null && !mask[i]) {
                continue;
            }
            embeddings.putRow(slots[i], fresh.getRow(i).castTo(embeddings.dataType()));
            embeddingAge[slots[i]] = -1;
            if (eviction == EvictionPolicy.LRU) {
                age[slots[i]] = -1;
            }
        }
    }

    /**
     * Re-encodes slots with the current tower (fraction refresh): writes embeddings [k, e] and restarts their
     * embedding age only; eviction ages are untouched, as the slots were not used.
     */
    public void reencode(int[] slots, INDArray fresh) {
        checkEmbeddings(fresh, slots.length, "reencode");
        for (int i = 0; i < slots.length; i++) {
            checkSlot(slots[i], "reencode");
            embeddings.putRow(slots[i], fresh.getRow(i).castTo(embeddings.dataType()));
            embeddingAge[slots[i]] = -1;
        }
    }

    /**
     * Inserts documents (features [k][featureLength], embeddings [k, e], ids) where {@code mask} is true (null = all):
     * the j-th inserted item goes into the j-th oldest slot. Returns the slots written, in item order.
     */
    public int[] insert(int[][] newFeatures, INDArray newEmbeddings, int[] ids, boolean[] mask) {
        int k = newFeatures.length;
        checkEmbeddings(newEmbeddings, k, "insert");
        checkMask(mask, k, "insert");
        if (ids.length != k) {
            throw new IllegalArgumentException("insert: " + ids.length + " document ids for " + k + " items");
        }
        int count = 0;
        for (int i = 0; i < k; i++) {
            if (newFeatures[i].length != featureLength) {
                throw new IllegalArgumentException("insert: item " + i + " has " + newFeatures[i].length
                        + " features, the cache holds " + featureLength);
            }
            count += mask == null || mask[i] ? 1 : 0;
        }
        if (count > capacity) {
            throw new IllegalArgumentException("insert: " + count + " items do not fit a cache of " + capacity);
        }
        int[] oldest = oldestByAge(count);
        int[] written = new int[count];
        int j = 0;
        for (int i = 0; i < k; i++) {
            if (mask != null && !mask[i]) {
                continue;
            }
            int slot = oldest[j];
            features[slot] = newFeatures[i].clone();
            embeddings.putRow(slot, newEmbeddings.getRow(i).castTo(embeddings.dataType()));
            docIds[slot] = ids[i];
            valid[slot] = true;
            age[slot] = -1;
            embeddingAge[slot] = -1;
            written[j++] = slot;
        }
        return written;
    }

    /** End of a step: every age grows by one. */
    public void tick() {
        for (int c = 0; c < capacity; c++) {
            age[c]++;
            embeddingAge[c]++;
        }
    }

    /** k distinct valid slots drawn uniformly (random-fraction refresh). */
    public int[] randomValidSlots(int k, org.leantrain.core.util.Rng rng) {
        int[] validSlots = java.util.stream.IntStream.range(0, capacity).filter(c -> valid[c]).toArray();
        int[] order = rng.permutation(validSlots.length);
        int[] out = new int[Math.min(k, validSlots.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = validSlots[order[i]];
        }
        return out;
    }

    /**
     * The insert mask that skips documents already cached (by id, in a valid slot) and repeats within the batch:
     * the {@code dedupeInserts} option (the official code allows duplicates).
     */
    public boolean[] newDocumentsMask(int[] ids) {
        java.util.Set<Integer> present = new java.util.HashSet<>();
        for (int c = 0; c < capacity; c++) {
            if (valid[c]) {
                present.add(docIds[c]);
            }
        }
        boolean[] mask = new boolean[ids.length];
        for (int i = 0; i < ids.length; i++) {
            mask[i] = present.add(ids[i]);
        }
        return mask;
    }

    /** The k slots with the largest eviction age, ties broken by the smaller index, oldest first. */
    public int[] oldestByAge(int k) {
        return largest(age, k);
    }

    /** The k valid slots whose embeddings are oldest, ties broken by the smaller index (fraction refresh). */
    public int[] oldestByEmbeddingAge(int k) {
        int[] ages = embeddingAge.clone();
        for (int c = 0; c < capacity; c++) {
            if (!valid[c]) {
                ages[c] = Integer.MIN_VALUE;
            }
        }
        return largest(ages, Math.min(k, validCount()));
    }

    private int[] largest(int[] values, int k) {
        if (k < 0 || k > capacity) {
            throw new IllegalArgumentException("asked for " + k + " slots of a cache of " + capacity);
        }
        if (k <= SELECT_LIMIT) {
            return selectLargest(values, k);
        }
        // one primitive sort of (value descending, index ascending) packed into longs: ~value reverses the order
        long[] keys = new long[capacity];
        for (int c = 0; c < capacity; c++) {
            keys[c] = ((long) ~values[c] << 32) | c;
        }
        Arrays.sort(keys);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }

    /**
     * The few largest (k ≤ {@value #SELECT_LIMIT}, e.g. the B slots a step inserts into) by one scan that keeps them
     * sorted: a slot enters only if strictly larger than the k-th so far, so among equal values the smaller index
     * stays first.
     */
    private static int[] selectLargest(int[] values, int k) {
        int[] best = new int[k];
        int size = 0;
        for (int c = 0; c < values.length && k > 0; c++) {
            if (size == k && values[c] <= values[best[k - 1]]) {
                continue;
            }
            int i = size == k ? k - 1 : size++;
            while (i > 0 && values[best[i - 1]] < values[c]) {
                best[i] = best[i - 1];
                i--;
            }
            best[i] = c;
        }
        return best;
    }

    /** The cached embeddings [C, e]; rows of invalid slots are meaningless. */
    public INDArray embeddings() {
        return embeddings;
    }

    public int[] features(int slot) {
        checkSlot(slot, "features");
        return features[slot].clone();
    }

    public int docId(int slot) {
        return docIds[slot];
    }

    public boolean isValid(int slot) {
        return valid[slot];
    }

    public int[] ages() {
        return age.clone();
    }

    public int[] embeddingAges() {
        return embeddingAge.clone();
    }

    /** Sets every eviction and embedding age (to resume a cache, or to set up a test). */
    public void setAges(int[] ages, int[] embeddingAges) {
        if (ages.length != capacity || embeddingAges.length != capacity) {
            throw new IllegalArgumentException("ages must have one entry per slot (" + capacity + ")");
        }
        System.arraycopy(ages, 0, age, 0, capacity);
        System.arraycopy(embeddingAges, 0, embeddingAge, 0, capacity);
    }

    /** Bytes held: embeddings, features, ids, flags and ages. */
    public long bytes() {
        return embeddings.length() * embeddings.dataType().width() + (long) capacity * (4L * featureLength + 4 + 1 + 4 + 4);
    }

    private void checkSlot(int slot, String what) {
        if (slot < 0 || slot >= capacity) {
            throw new IllegalArgumentException(what + ": slot " + slot + " is outside [0, " + capacity + ")");
        }
    }

    private void checkMask(boolean[] mask, int k, String what) {
        if (mask != null && mask.length != k) {
            throw new IllegalArgumentException(what + ": mask has " + mask.length + " entries for " + k + " items");
        }
    }

    private void checkEmbeddings(INDArray e, int rows, String what) {
        if (e.rank() != 2 || e.size(0) != rows || e.size(1) != embeddings.size(1)) {
            throw new IllegalArgumentException(what + ": embeddings must be [" + rows + ", " + embeddings.size(1)
                    + "], got " + Arrays.toString(e.shape()));
        }
        if (!Nd.isFinite(e)) {
            throw new IllegalArgumentException(what + ": embeddings hold NaN or Inf");
        }
    }
}
