package io.qcowscope.engine.format;

/** QEMU's bounds on qcow2 structures (spec section 0 and 8). Every value read from a file is checked against these before use. */
public final class Limits {
    private Limits() {
    }

    public static final int MIN_CLUSTER_BITS = 9;
    public static final int MAX_CLUSTER_BITS = 21;
    /** Extended L2 needs subclusters of at least 512 bytes, so clusters of at least 16 KiB (spec 3.5). */
    public static final int MIN_EXTENDED_L2_CLUSTER_BITS = 14;
    public static final int SUBCLUSTERS_PER_CLUSTER = 32;
    /** QCOW_MAX_L1_SIZE: 32 MiB of entries. */
    public static final long MAX_L1_ENTRIES = 32L * 1024 * 1024 / 8;
    /** QCOW_MAX_REFTABLE_SIZE: 8 MiB. */
    public static final long MAX_REFTABLE_BYTES = 8L * 1024 * 1024;
    public static final long MAX_SNAPSHOTS = 65536;
    public static final long MAX_SNAPSHOT_TABLE_BYTES = 1024L * 65536;
    public static final int MAX_SNAPSHOT_EXTRA_DATA = 1024;
    public static final int MAX_BITMAPS = 65535;
    public static final long MAX_BITMAP_DIRECTORY_BYTES = 1024L * 65535;
    public static final long MAX_BITMAP_TABLE_ENTRIES = 0x8000000L;
    public static final long MAX_BITMAP_TABLE_PHYS_BYTES = 512L * 1024 * 1024;
    public static final int MAX_BITMAP_NAME = 1023;
    public static final int MAX_BACKING_FILE_NAME = 1023;
    /** Backing format names are at most 15 bytes (QEMU's 16-byte buffer with NUL). */
    public static final int MAX_BACKING_FORMAT_NAME = 15;
    public static final int MAX_REFCOUNT_ORDER = 6;
    /** Host offsets encodable in L1/L2 entries: bits 9..55. */
    public static final long MAX_HOST_OFFSET = (1L << 56) - 1;
    /** How deep a backing chain may go before we call it a loop or an attack. */
    public static final int DEFAULT_MAX_CHAIN_DEPTH = 16;
}
