package io.qcowscope.engine.check;

import java.util.Arrays;

/**
 * A set of host cluster indexes for the few clusters metadata occupies (open addressing, primitive ints), so marking
 * them costs memory in proportion to the metadata, not to the file.
 */
final class SparseClusterSet {
    private static final int EMPTY = -1;
    private int[] slots = new int[1024];
    private int size;

    SparseClusterSet() {
        Arrays.fill(slots, EMPTY);
    }

    boolean contains(int cluster) {
        int mask = slots.length - 1;
        for (int i = mix(cluster) & mask; ; i = (i + 1) & mask) {
            int v = slots[i];
            if (v == cluster) {
                return true;
            }
            if (v == EMPTY) {
                return false;
            }
        }
    }

    void add(int cluster) {
        if (2 * (size + 1) > slots.length) {
            rehash(slots.length * 2);
        }
        int mask = slots.length - 1;
        for (int i = mix(cluster) & mask; ; i = (i + 1) & mask) {
            int v = slots[i];
            if (v == cluster) {
                return;
            }
            if (v == EMPTY) {
                slots[i] = cluster;
                size++;
                return;
            }
        }
    }

    private void rehash(int capacity) {
        int[] old = slots;
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY);
        size = 0;
        for (int v : old) {
            if (v != EMPTY) {
                add(v);
            }
        }
    }

    private static int mix(int x) {
        return x * 0x9E3779B9 >>> 7 ^ x;
    }
}
