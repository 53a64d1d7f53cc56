package io.qcowscope.app.ui.viewmodel;

/**
 * The host layout as the window needs it: one role byte per host cluster, owners, and totals. The provisional
 * implementation is {@link ProvisionalHostLayout}; the engine's {@code layout.HostLayout} replaces it at merge.
 */
public interface HostLayoutSource {
    long clusterCount();

    long clusterSize();

    /** The role of one host cluster. */
    HostClusterRole role(long cluster);

    /** Copies the role bytes of clusters {@code [first, first + len)} into {@code dst}; beyond the end is FREE. */
    void fillRoles(long first, byte[] dst, int off, int len);

    /** Who owns the cluster, in words: e.g. "L2 table of L1[3] (guest 0x0..0x20000000)". */
    String describeOwner(long cluster);

    /** For data and compressed clusters, the guest cluster that references it (first found), else -1. */
    long guestClusterOf(long cluster);

    /** For an L2 table cluster, the active L1 index pointing at it (first found), else -1. */
    int l1IndexOf(long cluster);

    /** How many references the scan found to the cluster (saturating at 255). */
    int referencesFound(long cluster);

    /** The refcount stored on disk for the cluster. */
    long storedRefcount(long cluster);

    /** Bytes per role over the whole file. */
    long bytesOf(HostClusterRole role);
}
