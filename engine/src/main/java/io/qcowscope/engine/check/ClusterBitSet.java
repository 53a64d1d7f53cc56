package io.qcowscope.engine.check;

import java.util.Arrays;

/** One bit per host cluster, growable; the compact per-cluster flags of the check. */
final class ClusterBitSet {
    private long[] words;

    ClusterBitSet(long clusters) {
        words = new long[(int) ((clusters + 63) >>> 6)];
    }

    boolean get(long i) {
        int w = (int) (i >>> 6);
        return w < words.length && (words[w] & (1L << i)) != 0;
    }

    void set(long i) {
        int w = (int) (i >>> 6);
        if (w >= words.length) {
            words = Arrays.copyOf(words, w + 1);
        }
        words[w] |= 1L << i;
    }

    /** ORs {@code bits} into word {@code w} (clusters {@code 64w} to {@code 64w+63}). */
    void orWord(int w, long bits) {
        if (bits == 0) {
            return;
        }
        if (w >= words.length) {
            words = Arrays.copyOf(words, w + 1);
        }
        words[w] |= bits;
    }
}
