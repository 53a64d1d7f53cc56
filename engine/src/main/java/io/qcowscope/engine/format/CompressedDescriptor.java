package io.qcowscope.engine.format;

/**
 * The descriptor of a compressed cluster (spec 3.4): a byte offset (not aligned) and a count of 512-byte sectors. The
 * stream to read is {@code [hostOffset, hostOffset + compressedSize)}; it may cross host clusters and be shared with
 * other compressed clusters.
 */
public record CompressedDescriptor(long hostOffset, int sectors, long compressedSize) {
    public static final int SECTOR = 512;

    /** The bit where the sector count starts: 62 - (cluster_bits - 8), QEMU's csize_shift. */
    public static int sizeShift(int clusterBits) {
        return 62 - (clusterBits - 8);
    }

    public static long offsetMask(int clusterBits) {
        return (1L << sizeShift(clusterBits)) - 1;
    }

    public static long sectorMask(int clusterBits) {
        return (1L << (clusterBits - 8)) - 1;
    }

    public static CompressedDescriptor decode(long word0, int clusterBits) {
        int shift = sizeShift(clusterBits);
        long coffset = word0 & offsetMask(clusterBits);
        int nbSectors = (int) (((word0 >>> shift) & sectorMask(clusterBits)) + 1);
        long csize = (long) nbSectors * SECTOR - (coffset & (SECTOR - 1));
        return new CompressedDescriptor(coffset, nbSectors, csize);
    }

    /** Bits above 55 in the offset field must be zero (spec 3.4). */
    public static boolean offsetOutOfRange(long word0, int clusterBits) {
        return (word0 & offsetMask(clusterBits)) > Limits.MAX_HOST_OFFSET;
    }

    /** The entry QEMU writes for a stream of {@code length} bytes at {@code hostOffset} (without COPIED). */
    public static long encode(long hostOffset, long length, int clusterBits) {
        long field = ((hostOffset + length - 1) >>> 9) - (hostOffset >>> 9);
        if (field > sectorMask(clusterBits) || length <= 0) {
            throw new IllegalArgumentException("compressed length " + length + " does not fit");
        }
        return L2Entry.COMPRESSED | (field << sizeShift(clusterBits)) | hostOffset;
    }

    /** First host cluster offset the stream touches. */
    public long firstCluster(int clusterBits) {
        return hostOffset & ~((1L << clusterBits) - 1);
    }

    /** Last host cluster offset the stream touches. */
    public long lastCluster(int clusterBits) {
        return (hostOffset + compressedSize - 1) & ~((1L << clusterBits) - 1);
    }
}
