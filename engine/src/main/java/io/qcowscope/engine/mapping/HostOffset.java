package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.Geometry;

/** A byte offset in a host file (the image file or its external data file), never a guest offset. */
public record HostOffset(long value) {
    public HostOffset {
        if (value < 0) {
            throw new IllegalArgumentException("negative host offset " + value);
        }
    }

    public static HostOffset of(long value) {
        return new HostOffset(value);
    }

    /** The host cluster this byte lies in. */
    public ClusterIndex cluster(Geometry geo) {
        return new ClusterIndex(value >>> geo.clusterBits());
    }

    @Override
    public String toString() {
        return "host 0x" + Long.toHexString(value);
    }
}
