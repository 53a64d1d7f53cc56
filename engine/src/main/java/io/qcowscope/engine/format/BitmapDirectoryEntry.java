package io.qcowscope.engine.format;

/** One entry of the persistent bitmap directory (spec 2.3). */
public record BitmapDirectoryEntry(
        int index,
        long offset,
        long tableOffset,
        long tableSize,
        int flags,
        int type,
        int granularityBits,
        String name,
        long extraDataSize) {

    public static final int FLAG_IN_USE = 1;
    public static final int FLAG_AUTO = 2;
    public static final int FLAG_EXTRA_DATA_COMPATIBLE = 4;

    public boolean inUse() {
        return (flags & FLAG_IN_USE) != 0;
    }

    public boolean auto() {
        return (flags & FLAG_AUTO) != 0;
    }

    public long granularity() {
        return 1L << granularityBits;
    }
}
