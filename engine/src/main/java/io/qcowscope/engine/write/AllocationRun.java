package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Geometry;
import java.io.IOException;

/**
 * The host clusters one guest write request gets, as QEMU's qcow2_alloc_host_offset hands them out (spec 3.6 F): the
 * clusters that need a new host cluster and follow each other in one L2 table get one contiguous run
 * (handle_alloc + qcow2_alloc_clusters, which skips a free hole too small for the run); after the first cluster of a
 * request, the next one is placed right behind the previous host cluster when that is free (qcow2_alloc_clusters_at),
 * else a new run starts from the free index.
 */
final class AllocationRun {
    private final WritableImage img;
    private final Geometry geo;
    private final long requestEnd;
    /** Host offset the next cluster must have to extend the current host range; -1 at the start of a range. */
    private long contiguous = -1;
    private long next;
    private int left;

    /** A run for the guest request ending (exclusive) at {@code requestEnd}. */
    AllocationRun(WritableImage img, long requestEnd) {
        this.img = img;
        this.geo = img.geo();
        this.requestEnd = requestEnd;
    }

    /** A cluster written where it is (handle_copied): the range goes on behind it, or starts anew if it is elsewhere. */
    void kept(long hostOffset) {
        left = 0;
        contiguous = geo.startOfCluster(hostOffset) + geo.clusterSize();
    }

    /** The new host cluster for the guest cluster at {@code clusterGuest}, whose L2 table is already in place. */
    long take(long clusterGuest) throws IOException {
        if (left == 0) {
            int n = needingAllocation(clusterGuest);
            int got = contiguous < 0 ? 0 : img.allocator().allocateAt(contiguous, n);
            long start = got > 0 ? contiguous : img.allocator().allocate(n);
            left = got > 0 ? got : n;
            next = start;
            img.markAllocated(start, left);
        }
        long host = next;
        next += geo.clusterSize();
        left--;
        contiguous = next;
        return host;
    }

    /** count_single_write_clusters(new_alloc): clusters from here on that need a new one, up to the request and L2 end. */
    private int needingAllocation(long clusterGuest) throws IOException {
        long tableEnd = clusterGuest + ((long) (geo.l2Entries() - geo.l2Index(clusterGuest)) << geo.clusterBits());
        long end = Math.min(requestEnd, tableEnd);
        int n = 0;
        for (long g = clusterGuest; g < end; g += geo.clusterSize()) {
            if (n > 0 && !CowPlanner.needsNewCluster(img.entryOf(g)[0], geo.extendedL2())) {
                break;
            }
            n++;
        }
        return Math.max(n, 1);
    }
}
