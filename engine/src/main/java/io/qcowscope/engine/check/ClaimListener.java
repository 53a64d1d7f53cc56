package io.qcowscope.engine.check;

import io.qcowscope.engine.host.HostClusterRole;

/** Receives every reference the check counts, cluster by cluster: the feed of the host layout (one pass for both). */
public interface ClaimListener {

    /** Host cluster {@code cluster} is referenced as {@code role} by {@code owner} (see {@link io.qcowscope.engine.host.Owner}). */
    void claim(long cluster, HostClusterRole role, long owner);

    /** A reference QEMU refuses to count because it reaches one cluster or more past the end of the file (spec 5.2). */
    void beyondEnd(long offset, long size, HostClusterRole role, long owner);
}
