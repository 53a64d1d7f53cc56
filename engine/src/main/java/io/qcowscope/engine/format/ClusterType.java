package io.qcowscope.engine.format;

/** The type of a whole L2 entry, decided exactly as QEMU's qcow2_get_cluster_type (spec 3.3). */
public enum ClusterType {
    UNALLOCATED,
    ZERO_PLAIN,
    ZERO_ALLOC,
    NORMAL,
    COMPRESSED
}
