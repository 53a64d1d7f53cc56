package io.qcowscope.engine.format;

/** A bitmap table entry (spec 2.3): a data cluster offset, or with offset 0, bit 0 tells all-ones from all-zeros. */
public record BitmapTableEntry(long raw) {
    public static final long OFFSET_MASK = 0x00FFFFFFFFFFFE00L;
    public static final long RESERVED_MASK = 0xFF000000000001FEL;
    public static final long ALL_ONES = 1L;

    public long dataOffset() {
        return raw & OFFSET_MASK;
    }

    public boolean allOnes() {
        return dataOffset() == 0 && (raw & ALL_ONES) != 0;
    }

    /** Reserved bits set, or the all-ones flag together with an offset. */
    public boolean invalid() {
        return (raw & RESERVED_MASK) != 0 || (dataOffset() != 0 && (raw & ALL_ONES) != 0);
    }
}
