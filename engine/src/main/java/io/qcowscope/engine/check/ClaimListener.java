package io.qcowscope.engine.check;

import io.qcowscope.engine.host.HostClusterRole;

/** Receives every reference the check counts, cluster by cluster: the feed of the host layout (one pass for both). */
public interface ClaimListener {

    /** Host cluster {@code cluster} is referenced as {@code role} by {@code owner} (see {@link io.qcowscope.engine.host.Owner}). */
    void claim(long cluster, HostClusterRole role, long owner);

    /** A reference QEMU refuses to count because it reaches one cluster or more past the end of the file (spec 5.2). */
    void beyondEnd(long offset, long size, HostClusterRole role, long owner);

    /**
     * A reference QEMU does not count because the refcount is at its maximum (spec 5.2, "overflow"): the structure still
     * claims the cluster, which the repair's overlap guard must know (issue 15).
     */
    default void overflowed(long cluster, HostClusterRole role, long owner) {
    }
}
