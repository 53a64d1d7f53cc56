package io.qcowscope.engine.format;

/** An active or snapshot L1 table entry (spec 3.2). Static helpers work on raw words for bulk paths. */
public record L1Entry(long raw) {
    public static final long OFFSET_MASK = 0x00FFFFFFFFFFFE00L;
    public static final long RESERVED_MASK = 0x7F000000000001FFL;
    public static final long COPIED = 1L << 63;

    public static long l2Offset(long raw) {
        return raw & OFFSET_MASK;
    }

    public static boolean copied(long raw) {
        return (raw & COPIED) != 0;
    }

    public static long reservedBits(long raw) {
        return raw & RESERVED_MASK;
    }

    public long l2Offset() {
        return l2Offset(raw);
    }

    public boolean copied() {
        return copied(raw);
    }

    public long reservedBits() {
        return reservedBits(raw);
    }

    public boolean isUnallocated() {
        return l2Offset() == 0;
    }
}
