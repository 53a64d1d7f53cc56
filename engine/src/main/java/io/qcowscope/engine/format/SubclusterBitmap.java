package io.qcowscope.engine.format;

/**
 * The second word of an extended L2 entry (spec 3.5): bit i = subcluster i allocated, bit 32+i = subcluster i reads as zero.
 */
public record SubclusterBitmap(long raw) {

    public boolean allocated(int sc) {
        return (raw & (1L << sc)) != 0;
    }

    public boolean zero(int sc) {
        return (raw & (1L << (32 + sc))) != 0;
    }

    public int allocatedMask() {
        return (int) raw;
    }

    public int zeroMask() {
        return (int) (raw >>> 32);
    }

    /** Subclusters that are both allocated and zero: any makes an allocated entry INVALID. */
    public int conflictMask() {
        return allocatedMask() & zeroMask();
    }

    public static long of(int allocatedMask, int zeroMask) {
        return ((long) zeroMask << 32) | (allocatedMask & 0xFFFFFFFFL);
    }

    /** Mask of subclusters {@code from..to} inclusive. */
    public static int range(int from, int to) {
        if (from > to) {
            return 0;
        }
        long m = ((1L << (to - from + 1)) - 1) << from;
        return (int) m;
    }
}
