package io.qcowscope.engine.format;

/** A refcount table entry (spec 4.1): bits 9..63 the refcount block offset, bits 0..8 reserved. */
public record ReftableEntry(long raw) {
    public static final long OFFSET_MASK = 0xFFFFFFFFFFFFFE00L;
    public static final long RESERVED_MASK = 0x1FFL;

    public static long blockOffset(long raw) {
        return raw & OFFSET_MASK;
    }

    public static long reservedBits(long raw) {
        return raw & RESERVED_MASK;
    }

    public long blockOffset() {
        return blockOffset(raw);
    }

    public long reservedBits() {
        return reservedBits(raw);
    }
}
