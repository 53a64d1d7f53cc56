package io.qcowscope.engine.repair;

/** The references found for each host cluster (QEMU's in-memory refcount table, spec 5.2): what refcounts should be. */
public interface ReferenceCounts {

    /** Clusters described (the image file's length in clusters). */
    long clusterCount();

    /** References to cluster {@code index}; 0 past {@link #clusterCount()}. */
    long get(long index);
}
