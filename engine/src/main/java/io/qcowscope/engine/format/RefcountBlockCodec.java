package io.qcowscope.engine.format;

/**
 * Reads and writes refcounts inside one refcount block for every width of spec 4.1: 1, 2 and 4-bit entries are packed
 * LSB first inside each byte; 8 to 64-bit entries are big-endian. Works on the raw block bytes, no objects per entry.
 */
public final class RefcountBlockCodec {
    private static final byte[] ZEROS = new byte[4096];

    private RefcountBlockCodec() {
    }

    public static long get(byte[] block, long index, int refcountOrder) {
        switch (refcountOrder) {
            case 0:
                return (block[(int) (index >>> 3)] >>> (index & 7)) & 1;
            case 1:
                return (block[(int) (index >>> 2)] >>> (2 * (index & 3))) & 3;
            case 2:
                return (block[(int) (index >>> 1)] >>> (4 * (index & 1))) & 15;
            case 3:
                return block[(int) index] & 0xFF;
            case 4: {
                int p = (int) (index << 1);
                return ((block[p] & 0xFF) << 8) | (block[p + 1] & 0xFF);
            }
            case 5: {
                int p = (int) (index << 2);
                return ((long) (block[p] & 0xFF) << 24) | ((block[p + 1] & 0xFF) << 16)
                        | ((block[p + 2] & 0xFF) << 8) | (block[p + 3] & 0xFF);
            }
            case 6: {
                int p = (int) (index << 3);
                long v = 0;
                for (int i = 0; i < 8; i++) {
                    v = (v << 8) | (block[p + i] & 0xFF);
                }
                return v;
            }
            default:
                throw new IllegalArgumentException("refcount_order " + refcountOrder);
        }
    }

    /** Stores {@code value}, which must fit the width (callers check against {@link Geometry#refcountMax()}). */
    public static void set(byte[] block, long index, int refcountOrder, long value) {
        switch (refcountOrder) {
            case 0, 1, 2: {
                int bits = 1 << refcountOrder;
                int perByte = 8 / bits;
                int p = (int) (index / perByte);
                int shift = (int) ((index % perByte) * bits);
                int mask = ((1 << bits) - 1) << shift;
                block[p] = (byte) ((block[p] & ~mask) | ((int) (value << shift) & mask));
                return;
            }
            case 3:
                block[(int) index] = (byte) value;
                return;
            case 4: {
                int p = (int) (index << 1);
                block[p] = (byte) (value >>> 8);
                block[p + 1] = (byte) value;
                return;
            }
            case 5: {
                int p = (int) (index << 2);
                for (int i = 3; i >= 0; i--) {
                    block[p + i] = (byte) value;
                    value >>>= 8;
                }
                return;
            }
            case 6: {
                int p = (int) (index << 3);
                for (int i = 7; i >= 0; i--) {
                    block[p + i] = (byte) value;
                    value >>>= 8;
                }
                return;
            }
            default:
                throw new IllegalArgumentException("refcount_order " + refcountOrder);
        }
    }

    /**
     * The index of the first non-zero refcount at or after {@code from} in a block of {@code entries} refcounts, or -1:
     * zero bytes are skipped many at a time (a 2 MiB block past the end of a small file is scanned in well under a
     * millisecond), only a non-zero byte is decoded.
     */
    public static long nextNonZero(byte[] block, long from, long entries, int refcountOrder) {
        if (from >= entries) {
            return -1;
        }
        int bits = 1 << refcountOrder;
        int limit = (int) Math.min(block.length, (entries * bits + 7) >>> 3);
        if (bits >= 8) {
            int per = bits >>> 3;
            int p = nonZeroByte(block, (int) (from * per), limit);
            return p < 0 ? -1 : p / per;
        }
        int perByte = 8 / bits;
        long first = from - from % perByte;
        for (long i = from; i < first + perByte && i < entries; i++) {
            if (get(block, i, refcountOrder) != 0) {
                return i;
            }
        }
        int p = nonZeroByte(block, (int) (first / perByte) + 1, limit);
        if (p < 0) {
            return -1;
        }
        for (long i = (long) p * perByte; i < entries; i++) {
            if (get(block, i, refcountOrder) != 0) {
                return i;
            }
        }
        return -1;
    }

    private static int nonZeroByte(byte[] a, int from, int to) {
        for (int p = from; p < to; ) {
            int n = Math.min(ZEROS.length, to - p);
            int m = java.util.Arrays.mismatch(a, p, p + n, ZEROS, 0, n);
            if (m >= 0) {
                return p + m;
            }
            p += n;
        }
        return -1;
    }
}
