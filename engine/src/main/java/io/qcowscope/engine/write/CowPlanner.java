package io.qcowscope.engine.write;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SubclusterBitmap;
import io.qcowscope.engine.format.SubclusterType;

/**
 * QEMU's calculate_l2_meta for one cluster (spec 3.6 A, B, E): which bytes around a guest write must be copied, whether the
 * cluster is written in place or needs a new host cluster, and the new subcluster bitmap. Pure: no I/O.
 */
final class CowPlanner {
    private CowPlanner() {
    }

    /**
     * @param inPlace   no metadata change: write {@code [from, to)} straight into the existing host cluster
     * @param keepOld   the existing host cluster is kept (rule A), else a new one is allocated (rule B)
     * @param cowStart  first byte (in the cluster) of the region written: COW head is {@code [cowStart, from)}
     * @param cowEnd    end of the region written: COW tail is {@code [to, cowEnd)}
     * @param bitmap    the new subcluster bitmap (extended L2; 0 otherwise)
     */
    record Plan(boolean inPlace, boolean keepOld, int cowStart, int cowEnd, long bitmap) {
    }

    /** QEMU's cluster_needs_new_alloc: only an allocated cluster with COPIED may be written in place (spec 4.2). */
    static boolean needsNewCluster(long word0, boolean extended) {
        ClusterType t = L2Entry.clusterType(word0, extended, false);
        return switch (t) {
            case NORMAL, ZERO_ALLOC -> !L2Entry.copied(word0);
            default -> true;
        };
    }

    /** Plans a write of {@code [from, to)} bytes inside one cluster whose entry is {@code (word0, bitmap)}. */
    static Plan plan(Geometry geo, long word0, long bitmap, int from, int to) {
        boolean ext = geo.extendedL2();
        int scBits = geo.subclusterBits();
        int scSize = 1 << scBits;
        int cs = (int) geo.clusterSize();
        int fs = ext ? from >>> scBits : 0;
        int ls = ext ? (to - 1) >>> scBits : 0;
        boolean keepOld = !needsNewCluster(word0, ext);
        SubclusterType first = L2Entry.subclusterType(word0, bitmap, fs, ext, false);
        SubclusterType last = L2Entry.subclusterType(word0, bitmap, ls, ext, false);
        if (keepOld) {
            int run = L2Entry.subclusterRun(word0, bitmap, fs, ext, false);
            if (first == SubclusterType.NORMAL && fs + run > ls) {
                return new Plan(true, true, from, to, bitmap);
            }
        }
        int cowStart;
        int cowEnd;
        int alloc = (int) (bitmap & L2Entry.ALL_ALLOC);
        if (keepOld) {
            cowStart = first == SubclusterType.NORMAL ? from : fs << scBits;
            cowEnd = last == SubclusterType.NORMAL ? to : roundUp(to, scSize);
        } else {
            cowStart = switch (first) {
                case COMPRESSED -> 0;
                case NORMAL, ZERO_ALLOC, UNALLOCATED_ALLOC -> ext ? Math.min(fs, Integer.numberOfTrailingZeros(alloc))
                        << scBits : 0;
                default -> fs << scBits;
            };
            cowEnd = switch (last) {
                case COMPRESSED -> cs;
                case NORMAL, ZERO_ALLOC, UNALLOCATED_ALLOC -> ext ? cs - (Math.min(31 - ls,
                        Integer.numberOfLeadingZeros(alloc)) << scBits) : cs;
                default -> roundUp(to, scSize);
            };
        }
        long newBitmap = 0;
        if (ext) {
            int range = SubclusterBitmap.range(cowStart >>> scBits, (cowEnd - 1) >>> scBits);
            long base = L2Entry.isCompressed(word0) ? 0 : bitmap;
            newBitmap = (base | (range & 0xFFFFFFFFL)) & ~((range & 0xFFFFFFFFL) << 32);
        }
        return new Plan(false, keepOld, cowStart, cowEnd, newBitmap);
    }

    private static int roundUp(int v, int unit) {
        return (v + unit - 1) & -unit;
    }
}
