package io.qcowscope.engine.write;

import io.qcowscope.engine.format.SubclusterType;

/** Where the bytes of a copy-on-write region come from: what the subclusters read as before the write (spec 3.6 B). */
public enum CowSource {
    /** The data of the cluster the entry pointed at. */
    OLD_CLUSTER,
    /** A compressed cluster, decompressed (spec 3.4). */
    COMPRESSED,
    /** The backing file answers unallocated subclusters (spec B.1). */
    BACKING_FILE,
    /** Zero subclusters, or unallocated ones without a backing file. */
    ZEROS;

    static CowSource of(SubclusterType t, boolean backing) {
        return switch (t) {
            case NORMAL -> OLD_CLUSTER;
            case COMPRESSED -> COMPRESSED;
            case ZERO_PLAIN, ZERO_ALLOC -> ZEROS;
            default -> backing ? BACKING_FILE : ZEROS;
        };
    }
}
