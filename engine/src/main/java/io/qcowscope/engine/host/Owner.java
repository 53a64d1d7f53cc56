package io.qcowscope.engine.host;

/**
 * The structure entry that points at a host cluster, packed in one {@code long} so a per-cluster owner array needs no
 * objects. For L1/L2 trees: bits 47..63 the table (0 the active L1, n+1 snapshot n), bits 24..46 the L1 index, bits 0..23
 * the L2 index + 1 (0 = the L2 table itself, or the L1 table when the L1 index is {@link #NO_INDEX}). For other roles the
 * value is the index inside its structure (reftable index of a refcount block; bitmap and bitmap-table index).
 */
public final class Owner {
    public static final long NONE = -1;
    static final long NO_INDEX = (1L << 23) - 1;

    private Owner() {
    }

    /** Entry {@code l2Index} of the L2 table hanging from {@code l1Index} of table {@code table} (0 active, n+1 snapshot n). */
    public static long l2Entry(int table, long l1Index, int l2Index) {
        return ((long) table << 47) | (l1Index << 24) | (l2Index + 1L);
    }

    /** The L2 table hanging from {@code l1Index}. */
    public static long l2Table(int table, long l1Index) {
        return ((long) table << 47) | (l1Index << 24);
    }

    /** The L1 table itself. */
    public static long l1Table(int table) {
        return ((long) table << 47) | (NO_INDEX << 24);
    }

    /** 0 for the active tables, n+1 for snapshot n. */
    public static int table(long owner) {
        return (int) (owner >>> 47);
    }

    public static long l1Index(long owner) {
        return (owner >>> 24) & NO_INDEX;
    }

    /** The L2 index, or -1 when the owner is the table itself. */
    public static int l2Index(long owner) {
        return (int) (owner & 0xFFFFFF) - 1;
    }

    /** Two indexes packed for bitmap data (bitmap, table entry). */
    public static long pair(int a, long b) {
        return ((long) a << 32) | b;
    }

    /** A readable path such as {@code L1[3] -> L2[17]} or {@code snapshot 1 L1[3]}. */
    public static String describe(HostClusterRole role, long owner) {
        if (owner == NONE) {
            return role.name().toLowerCase();
        }
        switch (role) {
            case ACTIVE_L1, SNAPSHOT_L1, L2_TABLE, SNAPSHOT_L2_TABLE, DATA, COMPRESSED: {
                int t = table(owner);
                String prefix = t == 0 ? "" : "snapshot[" + (t - 1) + "] ";
                long l1 = l1Index(owner);
                if (l1 == NO_INDEX) {
                    return prefix + "L1 table";
                }
                int l2 = l2Index(owner);
                return prefix + "L1[" + l1 + "]" + (l2 < 0 ? " -> L2 table" : " -> L2[" + l2 + "]");
            }
            case REFCOUNT_BLOCK:
                return "reftable[" + owner + "]";
            case BITMAP_TABLE:
                return "bitmap[" + owner + "] table";
            case BITMAP_DATA:
                return "bitmap[" + (owner >>> 32) + "] table[" + (owner & 0xFFFFFFFFL) + "]";
            default:
                return role.name().toLowerCase().replace('_', ' ');
        }
    }

    /** Guest offset an L2-entry owner maps, or -1. */
    public static long guestOffset(long owner, int clusterBits, int l2Bits) {
        if (owner == NONE || l1Index(owner) == NO_INDEX || l2Index(owner) < 0) {
            return -1;
        }
        return ((l1Index(owner) << l2Bits) + l2Index(owner)) << clusterBits;
    }
}
