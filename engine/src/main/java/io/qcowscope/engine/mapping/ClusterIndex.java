package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.Geometry;

/** The number of a host cluster (host offset >> cluster_bits), as refcounts index it (spec 4.1). */
public record ClusterIndex(long value) {
    public ClusterIndex {
        if (value < 0) {
            throw new IllegalArgumentException("negative cluster index " + value);
        }
    }

    public HostOffset offset(Geometry geo) {
        return new HostOffset(value << geo.clusterBits());
    }

    @Override
    public String toString() {
        return "host cluster " + value;
    }
}
