package io.qcowscope.engine.format;

import java.util.ArrayList;
import java.util.List;

/** Splits on-disk words into their named fields (spec 3.2, 3.3, 3.4, 3.5, 4.1), high bits first. */
public final class EntryFields {
    private EntryFields() {
    }

    public static List<BitField> l1(long raw) {
        List<BitField> f = new ArrayList<>();
        f.add(new BitField("COPIED", 63, 63, raw >>> 63, (raw >>> 63) != 0 ? "L2 table refcount is 1" : "not set"));
        f.add(reserved(raw, 56, 62));
        long off = raw & L1Entry.OFFSET_MASK;
        f.add(new BitField("L2 table offset", 9, 55, off >>> 9, off == 0 ? "no L2 table" : hex(off)));
        f.add(reserved(raw, 0, 8));
        return f;
    }

    /** The descriptor word of an L2 entry (standard or the first word of an extended entry). */
    public static List<BitField> l2(long raw, boolean extended, int clusterBits) {
        List<BitField> f = new ArrayList<>();
        boolean compressed = (raw & L2Entry.COMPRESSED) != 0;
        f.add(new BitField("COPIED", 63, 63, raw >>> 63, (raw >>> 63) != 0 ? "cluster refcount is 1" : "not set"));
        f.add(new BitField("COMPRESSED", 62, 62, (raw >>> 62) & 1, compressed ? "compressed cluster" : "standard"));
        if (compressed) {
            int shift = CompressedDescriptor.sizeShift(clusterBits);
            CompressedDescriptor d = CompressedDescriptor.decode(raw, clusterBits);
            f.add(new BitField("additional sectors", shift, 61, d.sectors() - 1,
                    d.sectors() + " sectors, " + d.compressedSize() + " bytes to read"));
            f.add(new BitField("host byte offset", 0, shift - 1, d.hostOffset(), hex(d.hostOffset())));
            return f;
        }
        f.add(reserved(raw, 56, 61));
        long off = raw & L2Entry.OFFSET_MASK;
        f.add(new BitField("host cluster offset", 9, 55, off >>> 9, off == 0 ? "none" : hex(off)));
        f.add(reserved(raw, 1, 8));
        f.add(new BitField("ZERO", 0, 0, raw & 1, extended ? "ignored with extended L2"
                : (raw & 1) != 0 ? "reads as zeros" : "not set"));
        return f;
    }

    /** The subcluster bitmap of an extended L2 entry. */
    public static List<BitField> bitmap(long raw) {
        List<BitField> f = new ArrayList<>();
        for (int i = 31; i >= 0; i--) {
            long z = (raw >>> (32 + i)) & 1;
            f.add(new BitField("zero[" + i + "]", 32 + i, 32 + i, z, z != 0 ? "reads as zeros" : ""));
        }
        for (int i = 31; i >= 0; i--) {
            long a = (raw >>> i) & 1;
            f.add(new BitField("allocated[" + i + "]", i, i, a, a != 0 ? "allocated" : ""));
        }
        return f;
    }

    public static List<BitField> reftable(long raw) {
        List<BitField> f = new ArrayList<>();
        long off = raw & ReftableEntry.OFFSET_MASK;
        f.add(new BitField("refcount block offset", 9, 63, off >>> 9, off == 0 ? "no block" : hex(off)));
        f.add(reserved(raw, 0, 8));
        return f;
    }

    private static BitField reserved(long raw, int lo, int hi) {
        long mask = hi == 63 ? -1L >>> lo : ((1L << (hi - lo + 1)) - 1);
        long v = (raw >>> lo) & mask;
        return new BitField("reserved", lo, hi, v, v == 0 ? "" : "must be zero");
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
