package io.qcowscope.engine.check;

import java.io.IOException;

/**
 * On-disk refcounts as {@code check_oflag_copied} needs them (spec 5.4 step 4): "is it exactly 1" answered from a bit set
 * filled by one sequential scan, the real value read only when it is needed for a finding.
 */
final class CopiedOracle {
    private final ClusterBitSet one;
    private final long scanned;
    private final OnDiskRefcounts random;

    CopiedOracle(ClusterBitSet one, long scanned, OnDiskRefcounts random) {
        this.one = one;
        this.scanned = scanned;
        this.random = random;
    }

    /** The on-disk refcount, or -1 where QEMU's lookup fails (the entry is then skipped silently). */
    long refcount(long cluster) throws IOException {
        if (cluster < scanned && one.get(cluster)) {
            return 1;
        }
        try {
            return random.get(cluster);
        } catch (OnDiskRefcounts.Unreadable e) {
            return -1;
        }
    }
}
