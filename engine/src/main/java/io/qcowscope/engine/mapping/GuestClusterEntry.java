package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.L2Entry;

/**
 * The active-table entries that map one guest cluster (spec 3.1, 3.3): its L1 and L2 indexes, the L2 table, the entry and
 * the host cluster it names in the image file.
 *
 * @param l2Offset    the L2 table, or 0 when the L1 entry is empty (then {@code entry} and {@code type} are null)
 * @param hostCluster the host cluster of the image file holding the data (the first one of a compressed stream); null for
 *                    none, and for data in an external data file
 */
public record GuestClusterEntry(long guestCluster, int l1Index, int l2Index, long l2Offset, L2Entry entry,
        ClusterType type, ClusterIndex hostCluster) {

    public boolean hasL2Table() {
        return l2Offset != 0;
    }
}
