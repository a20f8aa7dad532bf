package org.leantrain.layerselect;

import java.util.Arrays;

/** Open-addressing map from non-negative long keys to non-negative ints (the pivot owners of §3D); −1 = absent. */
final class LongIntMap {
    private long[] keys;
    private int[] values;
    private int size;

    LongIntMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2) - 1) << 1;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, -1);
    }

    boolean contains(long key) {
        return get(key) >= 0;
    }

    int get(long key) {
        int mask = keys.length - 1;
        for (int at = slot(key, mask); ; at = (at + 1) & mask) {
            if (keys[at] == key) {
                return values[at];
            }
            if (keys[at] == -1) {
                return -1;
            }
        }
    }

    void put(long key, int value) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int at = slot(key, mask);
        while (keys[at] != -1 && keys[at] != key) {
            at = (at + 1) & mask;
        }
        if (keys[at] == -1) {
            size++;
        }
        keys[at] = key;
        values[at] = value;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        Arrays.fill(keys, -1);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != -1) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
