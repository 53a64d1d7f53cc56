package io.qcowscope.engine.check;

/**
 * Every problem {@code qemu-img check} (7.2) counts, with its counter and whether {@code -r all} repairs it (spec 5.6), plus
 * the warnings qcowscope adds without changing the counts.
 */
public enum FindingKind {
    // snapshot table phase (spec 5.1)
    SNAPSHOT_COUNT_TOO_LARGE(Severity.CORRUPTION, true),
    SNAPSHOT_TABLE_UNREADABLE(Severity.CHECK_ERROR, false),
    SNAPSHOT_INCOMPLETE(Severity.CORRUPTION, true),
    // references (spec 5.2)
    SNAPSHOTS_WITH_DATA_FILE(Severity.CORRUPTION, false),
    SNAPSHOT_L1_UNALIGNED(Severity.CORRUPTION, false),
    SNAPSHOT_L1_TOO_LARGE(Severity.CORRUPTION, false),
    L1_RESERVED_BITS(Severity.CORRUPTION, false),
    L2_TABLE_UNALIGNED(Severity.CORRUPTION, false),
    L2_RESERVED_BITS(Severity.CORRUPTION, false),
    COMPRESSED_COPIED(Severity.CORRUPTION, false),
    COMPRESSED_WITH_DATA_FILE(Severity.CORRUPTION, false),
    COMPRESSED_WITH_BITMAP(Severity.CORRUPTION, false),
    SUBCLUSTER_ALLOC_ZERO_OVERLAP(Severity.CORRUPTION, false),
    DATA_UNALIGNED(Severity.CORRUPTION, false),
    PREALLOCATED_UNALIGNED(Severity.CORRUPTION, true),
    UNALLOCATED_WITH_ALLOC_BITS(Severity.CORRUPTION, false),
    REFERENCE_PAST_EOF(Severity.CORRUPTION, false),
    REFCOUNT_OVERFLOW(Severity.CORRUPTION, false),
    BITMAP_DIRECTORY_INVALID(Severity.CORRUPTION, false),
    BITMAP_TABLE_ENTRY_INVALID(Severity.CORRUPTION, false),
    // refcount structure (spec 5.2 check_refblocks); repaired by a rebuild
    REFTABLE_RESERVED_BITS(Severity.CORRUPTION, true),
    REFBLOCK_UNALIGNED(Severity.CORRUPTION, true),
    REFBLOCK_OUTSIDE_IMAGE(Severity.CORRUPTION, true),
    REFBLOCK_SHARED(Severity.CORRUPTION, true),
    // compare (spec 5.3)
    REFCOUNT_TOO_LOW(Severity.CORRUPTION, true),
    /** On-disk refcount 0 for a referenced cluster: QEMU only repairs it by rebuilding the refcount structure. */
    REFCOUNT_ZERO(Severity.CORRUPTION, true),
    LEAKED_CLUSTER(Severity.LEAK, true),
    REFCOUNT_UNREADABLE(Severity.CHECK_ERROR, false),
    // OFLAG_COPIED (spec 5.4 step 4)
    COPIED_L1(Severity.CORRUPTION, true),
    COPIED_L2(Severity.CORRUPTION, true),
    IO_ERROR(Severity.CHECK_ERROR, false),
    // qcowscope's warnings: no effect on counts or exit code
    METADATA_OVERLAP(Severity.WARNING, false),
    REFCOUNT_PAST_EOF(Severity.WARNING, true),
    CORRUPT_BIT_SET(Severity.WARNING, true),
    DIRTY_BIT_SET(Severity.WARNING, true);

    private final Severity severity;
    private final boolean repairable;

    FindingKind(Severity severity, boolean repairable) {
        this.severity = severity;
        this.repairable = repairable;
    }

    public Severity severity() {
        return severity;
    }

    /** Whether {@code qemu-img check -r all} (and the later qcowscope repair) can fix it. */
    public boolean repairable() {
        return repairable;
    }
}
