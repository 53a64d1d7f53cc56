package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.L2Entry;

/**
 * qemu-img check's allocation figures over the active L1 table (QEMU's CHECK_FRAG_INFO in check_refcounts_l2, spec 5.2):
 * every NORMAL or ZERO_ALLOC entry is allocated, and fragmented when its host cluster does not follow the previous one of
 * the same L2 table (the run restarts at each table); a compressed entry is allocated, compressed and always fragmented
 * and leaves the run alone. The one routine behind both {@code check} and the window's guest layout.
 */
public final class AllocationCounter {
    private final long clusterSize;
    private long allocated;
    private long fragmented;
    private long compressed;
    private long nextContiguous;

    public AllocationCounter(long clusterSize) {
        this.clusterSize = clusterSize;
    }

    /** A new L2 table starts: QEMU's next_contiguous_offset is local to one table. */
    public void startTable() {
        nextContiguous = 0;
    }

    /**
     * A NORMAL entry already known to be one (a scan's hot path: an aligned standard descriptor without flags), at host
     * cluster offset {@code hostOffset}; the same count as {@link #entry} gives it.
     */
    public void normalCluster(long hostOffset) {
        hostCluster(hostOffset);
    }

    /**
     * A whole L2 table of NORMAL entries counted elsewhere (the check's parallel scan): {@link #startTable()} then
     * {@code allocated} entries of which {@code fragmented} did not follow the previous one, the last ending at
     * {@code nextContiguous}; the same figures as counting them one by one.
     */
    public void normalTable(long allocated, long fragmented, long nextContiguous) {
        this.allocated += allocated;
        this.fragmented += fragmented;
        this.nextContiguous = nextContiguous;
    }

    /** A NORMAL or ZERO_ALLOC entry at host cluster offset {@code hostOffset}. */
    private void hostCluster(long hostOffset) {
        allocated++;
        if (nextContiguous != 0 && hostOffset != nextContiguous) {
            fragmented++;
        }
        nextContiguous = hostOffset + clusterSize;
    }

    /** A compressed entry: fragmented by nature (QEMU re-reads shared sectors even for neighbours). */
    private void compressedCluster() {
        allocated++;
        compressed++;
        fragmented++;
    }

    /**
     * Counts entry {@code i} of an active L2 table by its cluster type. A compressed entry that check_refcounts_l2 rejects
     * (with an external data file, or with a non-zero subcluster bitmap) is not counted, as in QEMU.
     */
    public void entry(L2Table table, int i) {
        long word0 = table.word0(i);
        ClusterType t = L2Entry.clusterType(word0, table.geometry().extendedL2(), table.dataFile());
        if (t == ClusterType.COMPRESSED) {
            if (!table.dataFile() && table.bitmap(i) == 0) {
                compressedCluster();
            }
        } else if (t == ClusterType.NORMAL || t == ClusterType.ZERO_ALLOC) {
            hostCluster(L2Entry.hostOffset(word0));
        }
    }

    /** The figures counted so far. */
    public Figures figures() {
        return new Figures(allocated, fragmented, compressed);
    }

    /** qemu-img check's allocated, fragmented and compressed cluster counts (its BlockFragInfo). */
    public record Figures(long allocated, long fragmented, long compressed) {
    }
}
