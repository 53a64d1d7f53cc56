package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.Geometry;

/** A byte offset in the guest disk (what the VM sees), never a position in a host file. */
public record GuestOffset(long value) {
    public GuestOffset {
        if (value < 0) {
            throw new IllegalArgumentException("negative guest offset " + value);
        }
    }

    public static GuestOffset of(long value) {
        return new GuestOffset(value);
    }

    /** The guest offset where guest cluster {@code cluster} starts. */
    public static GuestOffset ofCluster(long cluster, Geometry geo) {
        return new GuestOffset(cluster << geo.clusterBits());
    }

    /** The guest cluster number (not a host {@link ClusterIndex}). */
    public long cluster(Geometry geo) {
        return value >>> geo.clusterBits();
    }

    public GuestOffset plus(long bytes) {
        return new GuestOffset(value + bytes);
    }

    @Override
    public String toString() {
        return "guest 0x" + Long.toHexString(value);
    }
}
