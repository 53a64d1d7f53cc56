package io.qcowscope.engine.check;

import java.util.Arrays;

/**
 * QEMU's in-memory refcount table (IMRT, spec 5.2): one counter per host cluster, stored as narrowly as the counts allow.
 * It starts with one byte per cluster and widens to 16 bits, then 64 bits, the first time a count does not fit, so a
 * 16-million-cluster image usually costs 16 MiB.
 */
public final class RefcountArray {
    private byte[] bytes;
    private char[] chars;
    private long[] longs;
    private int length;

    public RefcountArray(int length) {
        this.length = length;
        this.bytes = new byte[length];
    }

    public int length() {
        return length;
    }

    public long get(int i) {
        if (bytes != null) {
            return bytes[i] & 0xFF;
        }
        return chars != null ? chars[i] : longs[i];
    }

    public void set(int i, long v) {
        if (bytes != null) {
            if (v <= 0xFF) {
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

    /** Grows to at least {@code newLength} clusters (QEMU grows the IMRT when a reference overhangs the file end). */
    public void grow(int newLength) {
        if (newLength <= length) {
            return;
        }
        if (bytes != null) {
            bytes = Arrays.copyOf(bytes, newLength);
        } else if (chars != null) {
            chars = Arrays.copyOf(chars, newLength);
        } else {
            longs = Arrays.copyOf(longs, newLength);
        }
        length = newLength;
    }

    private void widen(long v) {
        if (bytes != null && v >= 0 && v <= 0xFFFF) {
            chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = (char) (bytes[i] & 0xFF);
            }
            bytes = null;
            return;
        }
        longs = new long[length];
        for (int i = 0; i < length; i++) {
            longs[i] = get(i);
        }
        bytes = null;
        chars = null;
    }
}
