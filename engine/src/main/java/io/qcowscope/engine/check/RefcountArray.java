package io.qcowscope.engine.check;

import java.util.Arrays;

/**
 * QEMU's in-memory refcount table (IMRT, spec 5.2): one counter per host cluster, stored as narrowly as the counts allow.
 * It starts with one bit per cluster (counts 0 and 1: an image without snapshots or shared clusters) and widens to 8,
 * 16, then 64 bits the first time a count does not fit, so the 16-million-cluster 1 TiB image costs 2 MiB, and one
 * with snapshots usually 16 MiB.
 */
public final class RefcountArray {
    private long[] bits;
    private byte[] bytes;
    private char[] chars;
    private long[] longs;
    private int length;

    public RefcountArray(int length) {
        this.length = length;
        this.bits = new long[words(length)];
    }

    private static int words(int length) {
        return (int) ((length + 63L) >>> 6);
    }

    public int length() {
        return length;
    }

    public long get(int i) {
        if (bits != null) {
            return (bits[i >>> 6] >>> i) & 1;
        }
        if (bytes != null) {
            return bytes[i] & 0xFF;
        }
        return chars != null ? chars[i] : longs[i];
    }

    public void set(int i, long v) {
        if (bits != null) {
            if (v == 1) {
                bits[i >>> 6] |= 1L << i;
                return;
            }
            if (v == 0) {
                bits[i >>> 6] &= ~(1L << i);
                return;
            }
            widen(v);
        }
        if (bytes != null) {
            if (v >= 0 && v <= 0xFF) {
                bytes[i] = (byte) v;
                return;
            }
            widen(v);
        }
        if (chars != null) {
            if (v >= 0 && v <= 0xFFFF) {
                chars[i] = (char) v;
                return;
            }
            widen(v);
        }
        longs[i] = v;
    }

    /** Sets count 1 on the clusters of one 64-cluster word given by {@code mask}, all of them at count 0 before. */
    void setOnes(int word, long mask) {
        if (bits != null) {
            bits[word] |= mask;
            return;
        }
        int base = word << 6;
        for (long m = mask; m != 0; m &= m - 1) {
            set(base + Long.numberOfTrailingZeros(m), 1);
        }
    }

    /** Grows to at least {@code newLength} clusters (QEMU grows the IMRT when a reference overhangs the file end). */
    public void grow(int newLength) {
        if (newLength <= length) {
            return;
        }
        if (bits != null) {
            bits = Arrays.copyOf(bits, words(newLength));
        } else if (bytes != null) {
            bytes = Arrays.copyOf(bytes, newLength);
        } else if (chars != null) {
            chars = Arrays.copyOf(chars, newLength);
        } else {
            longs = Arrays.copyOf(longs, newLength);
        }
        length = newLength;
    }

    /** Moves to the narrowest width wider than the current one that holds {@code v}. */
    private void widen(long v) {
        if (bits != null && v >= 0 && v <= 0xFF) {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++) {
                b[i] = (byte) get(i);
            }
            bytes = b;
            bits = null;
            return;
        }
        if ((bits != null || bytes != null) && v >= 0 && v <= 0xFFFF) {
            char[] c = new char[length];
            for (int i = 0; i < length; i++) {
                c[i] = (char) get(i);
            }
            chars = c;
            bits = null;
            bytes = null;
            return;
        }
        long[] l = new long[length];
        for (int i = 0; i < length; i++) {
            l[i] = get(i);
        }
        longs = l;
        bits = null;
        bytes = null;
        chars = null;
    }
}
