package io.qcowscope.engine.format;

/**
 * A standard (64-bit) or extended (128-bit) L2 entry (spec 3.3, 3.5). {@code bitmap} is the subcluster bitmap word of an
 * extended entry and 0 for a standard one. The static helpers decide types on raw words, as QEMU does, so bulk scans need
 * no objects.
 */
public record L2Entry(long word0, long bitmap, boolean extended) {
    public static final long OFFSET_MASK = 0x00FFFFFFFFFFFE00L;
    /** Reserved bits of a standard descriptor (bits 1..8, 56..61). */
    public static final long RESERVED_MASK = 0x3F000000000001FEL;
    public static final long COMPRESSED = 1L << 62;
    public static final long COPIED = 1L << 63;
    /** Bit 0: reads as zeros (standard entries of v3 images only). */
    public static final long ZERO = 1L;
    public static final long ALL_ALLOC = 0xFFFFFFFFL;
    public static final long ALL_ZERO = 0xFFFFFFFF00000000L;

    public static boolean isCompressed(long word0) {
        return (word0 & COMPRESSED) != 0;
    }

    public static boolean copied(long word0) {
        return (word0 & COPIED) != 0;
    }

    public static long hostOffset(long word0) {
        return word0 & OFFSET_MASK;
    }

    /** QEMU's qcow2_get_cluster_type (spec 3.3). */
    public static ClusterType clusterType(long word0, boolean extended, boolean dataFile) {
        if ((word0 & COMPRESSED) != 0) {
            return ClusterType.COMPRESSED;
        }
        if ((word0 & ZERO) != 0 && !extended) {
            return (word0 & OFFSET_MASK) != 0 ? ClusterType.ZERO_ALLOC : ClusterType.ZERO_PLAIN;
        }
        if ((word0 & OFFSET_MASK) == 0) {
            // Offset 0 is a valid data-file offset; COPIED tells it apart from unallocated (spec 2.5).
            return dataFile && (word0 & COPIED) != 0 ? ClusterType.NORMAL : ClusterType.UNALLOCATED;
        }
        return ClusterType.NORMAL;
    }

    /** QEMU's qcow2_get_subcluster_type (spec 3.5). */
    public static SubclusterType subclusterType(long word0, long bitmap, int sc, boolean extended, boolean dataFile) {
        ClusterType t = clusterType(word0, extended, dataFile);
        if (!extended) {
            return switch (t) {
                case COMPRESSED -> SubclusterType.COMPRESSED;
                case ZERO_PLAIN -> SubclusterType.ZERO_PLAIN;
                case ZERO_ALLOC -> SubclusterType.ZERO_ALLOC;
                case NORMAL -> SubclusterType.NORMAL;
                case UNALLOCATED -> SubclusterType.UNALLOCATED_PLAIN;
            };
        }
        switch (t) {
            case COMPRESSED:
                return SubclusterType.COMPRESSED;
            case NORMAL:
                if (((bitmap >>> 32) & bitmap) != 0) {
                    return SubclusterType.INVALID;
                } else if ((bitmap & (1L << (32 + sc))) != 0) {
                    return SubclusterType.ZERO_ALLOC;
                } else if ((bitmap & (1L << sc)) != 0) {
                    return SubclusterType.NORMAL;
                }
                return SubclusterType.UNALLOCATED_ALLOC;
            case UNALLOCATED:
                if ((bitmap & ALL_ALLOC) != 0) {
                    return SubclusterType.INVALID;
                } else if ((bitmap & (1L << (32 + sc))) != 0) {
                    return SubclusterType.ZERO_PLAIN;
                }
                return SubclusterType.UNALLOCATED_PLAIN;
            default:
                throw new IllegalStateException("zero cluster types do not exist with extended L2");
        }
    }

    /**
     * QEMU's qcow2_get_subcluster_range_type: how many subclusters from {@code scFrom} on have the type of {@code scFrom}.
     * Returns -1 for an INVALID entry.
     */
    public static int subclusterRun(long word0, long bitmap, int scFrom, boolean extended, boolean dataFile) {
        SubclusterType t = subclusterType(word0, bitmap, scFrom, extended, dataFile);
        if (t == SubclusterType.INVALID) {
            return -1;
        }
        if (!extended) {
            return 1 - scFrom;
        }
        if (t == SubclusterType.COMPRESSED) {
            return 32 - scFrom;
        }
        long below = scFrom == 0 ? 0 : (1L << scFrom) - 1;
        switch (t) {
            case NORMAL: {
                int val = (int) ((bitmap & ALL_ALLOC) | below);
                return Integer.numberOfTrailingZeros(~val) - scFrom;
            }
            case ZERO_PLAIN:
            case ZERO_ALLOC: {
                int val = (int) ((bitmap >>> 32) | below);
                return Integer.numberOfTrailingZeros(~val) - scFrom;
            }
            default: {
                int val = (int) (((bitmap >>> 32) | bitmap) & ~below);
                return Integer.numberOfTrailingZeros(val) - scFrom;
            }
        }
    }

    public ClusterType clusterType(boolean dataFile) {
        return clusterType(word0, extended, dataFile);
    }

    public SubclusterType subclusterType(int sc, boolean dataFile) {
        return subclusterType(word0, bitmap, sc, extended, dataFile);
    }

    public long hostOffset() {
        return hostOffset(word0);
    }

    public boolean copied() {
        return copied(word0);
    }

    public boolean compressed() {
        return isCompressed(word0);
    }

    public long reservedBits() {
        return compressed() ? 0 : word0 & RESERVED_MASK;
    }

    public SubclusterBitmap subclusterBitmap() {
        return new SubclusterBitmap(bitmap);
    }
}
