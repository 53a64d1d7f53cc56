package io.qcowscope.engine.layout;

import java.util.Arrays;

/**
 * The first owner ({@link io.qcowscope.engine.host.Owner}) of every host cluster, four bytes a cluster where the values
 * allow: -1 (none) and values below 2^30 as they are; an L1/L2 tree owner (table, L1 index, L2 index + 1) re-packed with
 * just the bits this image's geometry needs (bit 30 set). The first value that fits neither way widens the array to one
 * {@code long} a cluster, as before (issue 13: a 1 TiB image with 64 KiB clusters has 16 million clusters, 128 MiB as longs).
 */
final class OwnerArray {
    private static final int TREE = 1 << 30;
    private static final long OWNER_L1_MASK = (1L << 23) - 1;
    private final int l2FieldBits;
    private final int l1FieldBits;
    private final int tableLimit;
    private int[] packed;
    private long[] wide;

    /**
     * @param l2Bits    log2 of the L2 entries per table
     * @param l1Entries entries of the active L1 table (indexes beyond it still fit when the bits allow, else widen)
     */
    OwnerArray(int length, int l2Bits, long l1Entries) {
        this.packed = new int[length];
        this.l2FieldBits = l2Bits + 1;
        this.l1FieldBits = 64 - Long.numberOfLeadingZeros(Math.max(1, l1Entries));
        int tableBits = 30 - l1FieldBits - l2FieldBits;
        this.tableLimit = tableBits < 0 ? 0 : 1 << tableBits;
    }

    int length() {
        return packed != null ? packed.length : wide.length;
    }

    long get(int c) {
        if (packed == null) {
            return wide[c];
        }
        int v = packed[c];
        return v < TREE ? v : decode(v);
    }

    void set(int c, long owner) {
        if (packed == null) {
            wide[c] = owner;
            return;
        }
        if (owner >= -1 && owner < TREE) {
            packed[c] = (int) owner;
            return;
        }
        int v = encode(owner);
        if (v != -1) {
            packed[c] = v;
            return;
        }
        widen();
        wide[c] = owner;
    }

    void grow(int n) {
        if (n <= length()) {
            return;
        }
        if (packed != null) {
            packed = Arrays.copyOf(packed, n);
        } else {
            wide = Arrays.copyOf(wide, n);
        }
    }

    /** A tree owner re-packed, or -1 when it does not fit. */
    private int encode(long owner) {
        long table = owner >>> 47;
        long l1 = (owner >>> 24) & OWNER_L1_MASK;
        long l2Field = owner & 0xFFFFFF;
        long l1Max = (1L << l1FieldBits) - 1; // stands for the L1 table itself (Owner.NO_INDEX)
        if (table >= tableLimit || l2Field >= 1L << l2FieldBits) {
            return -1;
        }
        if (l1 == OWNER_L1_MASK) {
            l1 = l1Max;
        } else if (l1 >= l1Max) {
            return -1;
        }
        return TREE | (int) (table << (l1FieldBits + l2FieldBits)) | (int) (l1 << l2FieldBits) | (int) l2Field;
    }

    private long decode(int v) {
        long table = (v & ~TREE) >>> (l1FieldBits + l2FieldBits);
        long l1 = (v >>> l2FieldBits) & ((1L << l1FieldBits) - 1);
        long l2Field = v & ((1L << l2FieldBits) - 1);
        if (l1 == (1L << l1FieldBits) - 1) {
            l1 = OWNER_L1_MASK;
        }
        return (table << 47) | (l1 << 24) | l2Field;
    }

    private void widen() {
        long[] w = new long[packed.length];
        for (int c = 0; c < w.length; c++) {
            w[c] = get(c);
        }
        wide = w;
        packed = null;
    }
}
