package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.layout.LayoutSummary;

/**
 * The host layout and check of one image as the window asks for them (spec 4.1: every host cluster has a role); built in
 * one pass by {@link EngineHostLayout}. View-models read it; views never do.
 */
public interface HostLayoutSource {
    long clusterCount();

    long clusterSize();

    /** The role of one host cluster; {@link HostClusterRole#FREE} outside the file. */
    HostClusterRole role(long cluster);

    /** Copies the role codes of clusters {@code [first, first + len)} into {@code dst}; beyond the end is FREE. */
    void fillRoles(long first, byte[] dst, int off, int len);

    /** Who owns the cluster, in words, e.g. {@code L2 table: L1[3] -> L2 table}. */
    String describeOwner(long cluster);

    /** For data and compressed clusters, the active guest cluster that references it (else the first), else -1. */
    long guestClusterOf(long cluster);

    /** For an L2 table of the active L1, the L1 index pointing at it, else -1. */
    int l1IndexOf(long cluster);

    /** How many entries the check found pointing at the cluster (spec 5.2). */
    long referencesFound(long cluster);

    /** The refcount stored on disk for the cluster, -1 when unreadable. */
    long storedRefcount(long cluster);

    /** Bytes per final role over the whole file. */
    default long bytesOf(HostClusterRole role) {
        return summary().bytesPerRole().getOrDefault(role, 0L);
    }

    LayoutSummary summary();

    /** The check run in the same pass (qemu-img check counters and findings, spec 5.7). */
    CheckResult check();
}
