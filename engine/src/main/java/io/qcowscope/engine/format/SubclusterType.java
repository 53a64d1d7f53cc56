package io.qcowscope.engine.format;

/** QEMU's per-subcluster type (spec 3.5 table); without extended L2 the cluster is one subcluster. */
public enum SubclusterType {
    /** Offset 0, no bits: reads through to the backing file, else zeros. */
    UNALLOCATED_PLAIN(false, false),
    /** Host cluster allocated but this subcluster not: reads through to the backing file. */
    UNALLOCATED_ALLOC(false, true),
    /** Reads as zeros, no host cluster. */
    ZERO_PLAIN(false, false),
    /** Reads as zeros, host cluster kept (preallocated). */
    ZERO_ALLOC(false, true),
    /** Data at the host offset. */
    NORMAL(true, true),
    /** Whole cluster stored compressed. */
    COMPRESSED(true, false),
    /** An impossible bit combination: QEMU refuses every access to the cluster. */
    INVALID(false, false);

    private final boolean data;
    private final boolean hostOffsetValid;

    SubclusterType(boolean data, boolean hostOffsetValid) {
        this.data = data;
        this.hostOffsetValid = hostOffsetValid;
    }

    /** Bytes come from stored data (qemu-img map's {@code data}). */
    public boolean isData() {
        return data;
    }

    /** The host offset is directly addressable (qemu-img map prints {@code offset}). */
    public boolean hasHostOffset() {
        return hostOffsetValid;
    }

    public boolean isZero() {
        return this == ZERO_PLAIN || this == ZERO_ALLOC;
    }

    public boolean isUnallocated() {
        return this == UNALLOCATED_PLAIN || this == UNALLOCATED_ALLOC;
    }
}
