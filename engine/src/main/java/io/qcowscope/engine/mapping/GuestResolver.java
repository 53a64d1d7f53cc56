package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.format.SubclusterType;
import java.io.IOException;

/**
 * The one guest-to-host resolver: QEMU's qcow2_get_host_offset (spec B.1) over an {@link L2Source}. Reads, writes, dumps and
 * the window ask it where a guest offset lives. (Not to be confused with {@code layout.GuestMapper}, which builds
 * {@code qemu-img map} extents through the whole backing chain from block status.)
 */
public final class GuestResolver {
    private final L2Source source;
    private final Geometry geo;
    private final boolean dataFile;
    private final int version;

    /**
     * @param dataFile the image has an external data file (offset 0 is a valid data offset, spec 2.5)
     * @param version  the header version (zero flags exist from version 3 on)
     */
    public GuestResolver(L2Source source, Geometry geo, boolean dataFile, int version) {
        this.source = source;
        this.geo = geo;
        this.dataFile = dataFile;
        this.version = version;
    }

    public Geometry geometry() {
        return geo;
    }

    /** The L2 table that maps guest offset {@code guest}, or null when its L1 entry is empty or beyond the table. */
    public L2Table tableFor(GuestOffset guest) throws IOException {
        long l1Index = geo.l1Index(guest.value());
        if (l1Index >= source.l1Size()) {
            return null;
        }
        long l2Offset = L1Entry.l2Offset(source.l1Entry(l1Index));
        if (l2Offset == 0) {
            return null;
        }
        if ((l2Offset & geo.clusterMask()) != 0) {
            throw new Qcow2FormatException(Structure.L1_TABLE, source.l1Offset() + l1Index * 8, "L2 table offset 0x"
                    + Long.toHexString(l2Offset) + " unaligned (L1 index: 0x" + Long.toHexString(l1Index) + ")");
        }
        return source.l2Table(l2Offset);
    }

    /** The active entries that map guest cluster {@code guestCluster} and the host cluster they name. */
    public GuestClusterEntry clusterEntry(long guestCluster) throws IOException {
        GuestOffset g = GuestOffset.ofCluster(guestCluster, geo);
        int l1 = (int) geo.l1Index(g.value());
        int l2 = geo.l2Index(g.value());
        L2Table t = tableFor(g);
        if (t == null) {
            return new GuestClusterEntry(guestCluster, l1, l2, 0, null, null, null);
        }
        ClusterType type = t.clusterType(l2);
        ClusterIndex host = null;
        if (type == ClusterType.COMPRESSED) {
            host = new HostOffset(t.compressedDescriptor(l2).hostOffset()).cluster(geo);
        } else if (t.hostOffset(l2) != 0 && !dataFile) {
            host = new HostOffset(t.hostOffset(l2)).cluster(geo);
        }
        return new GuestClusterEntry(guestCluster, l1, l2, t.offset(), t.entry(l2), type, host);
    }

    /**
     * The resolution of {@code guest} step by step, from the same {@link #tableFor} and {@link #resolve} a read uses; asks
     * for the rest of the subcluster, so the answer's length says how far that answer runs in this cluster.
     */
    public ResolutionTrace trace(GuestOffset guest) throws IOException {
        long offset = guest.value();
        long l1Index = geo.l1Index(offset);
        int l1Size = source.l1Size();
        long l1Entry = l1Index < l1Size ? source.l1Entry(l1Index) : 0;
        long l1EntryOffset = source.l1Offset() + l1Index * 8;
        int l2Index = geo.l2Index(offset);
        int sc = geo.subclusterIndex(offset);
        L2Table t = tableFor(guest);
        long l2Offset = t == null ? 0 : t.offset();
        long entryAt = t == null ? 0 : t.entryOffset(l2Index);
        long w0 = t == null ? 0 : t.word0(l2Index);
        long bm = t == null ? 0 : t.bitmap(l2Index);
        HostMapping m = null;
        Qcow2FormatException error = null;
        try {
            m = resolve(guest, geo.clusterSize() - geo.offsetInCluster(offset));
        } catch (Qcow2FormatException e) {
            error = e;
        }
        CompressedDescriptor d = m != null && m.type() == SubclusterType.COMPRESSED
                ? CompressedDescriptor.decode(m.descriptor(), geo.clusterBits()) : null;
        return new ResolutionTrace(guest, l1Index, l1Size, l1EntryOffset, l1Entry, l2Offset, l2Index, entryAt, w0, bm, sc,
                m, d, error);
    }

    /** QEMU's qcow2_get_host_offset: the type at {@code offset} and how far it runs, at most {@code bytes}. */
    public HostMapping resolve(GuestOffset guest, long bytes) throws IOException {
        long offset = guest.value();
        long inCluster = offset & geo.clusterMask();
        long bytesNeeded = bytes + inCluster;
        int l2Index = geo.l2Index(offset);
        long bytesAvailable = ((long) (geo.l2Entries() - l2Index)) << geo.clusterBits();
        if (bytesNeeded > bytesAvailable) {
            bytesNeeded = bytesAvailable;
        }
        L2Table t = tableFor(guest);
        if (t == null) {
            return HostMapping.unallocated(bytesNeeded - inCluster, l2Index);
        }
        long l2Offset = t.offset();
        int sc = geo.subclusterIndex(offset);
        SubclusterType type = t.subclusterType(l2Index, sc);
        long entryAt = t.entryOffset(l2Index);
        if (version < 3 && type.isZero()) {
            throw new Qcow2FormatException(Structure.L2_TABLE, entryAt, "Zero cluster entry found in pre-v3 image (L2 offset: 0x"
                    + Long.toHexString(l2Offset) + ", L2 index: 0x" + Integer.toHexString(l2Index) + ")");
        }
        long host = 0;
        long descriptor = 0;
        switch (type) {
            case COMPRESSED:
                if (dataFile) {
                    throw new Qcow2FormatException(Structure.L2_TABLE, entryAt, "Compressed cluster entry found in image with "
                            + "external data file (L2 offset: 0x" + Long.toHexString(l2Offset) + ", L2 index: 0x"
                            + Integer.toHexString(l2Index) + ")");
                }
                descriptor = t.word0(l2Index);
                break;
            case ZERO_ALLOC:
            case NORMAL:
            case UNALLOCATED_ALLOC: {
                long hc = t.hostOffset(l2Index);
                host = hc + inCluster;
                if ((hc & geo.clusterMask()) != 0) {
                    throw new Qcow2FormatException(Structure.L2_TABLE, entryAt, "Cluster allocation offset 0x"
                            + Long.toHexString(hc) + " unaligned (L2 offset: 0x" + Long.toHexString(l2Offset)
                            + ", L2 index: 0x" + Integer.toHexString(l2Index) + ")");
                }
                if (dataFile && host != offset) {
                    throw new Qcow2FormatException(Structure.L2_TABLE, entryAt, "External data file host cluster offset 0x"
                            + Long.toHexString(hc) + " does not match guest cluster offset 0x"
                            + Long.toHexString(offset - inCluster));
                }
                break;
            }
            default:
                break;
        }
        int count = countContiguousSubclusters(t, (int) geo.clustersFor(bytesNeeded), sc, l2Index, type);
        if (count < 0) {
            int bad = -count - 1;
            throw new Qcow2FormatException(Structure.L2_TABLE, t.entryOffset(bad), "Invalid cluster entry found (L2 offset: 0x"
                    + Long.toHexString(l2Offset) + ", L2 index: 0x" + Integer.toHexString(bad) + ")");
        }
        long avail = ((long) count + sc) << geo.subclusterBits();
        if (avail > bytesNeeded) {
            avail = bytesNeeded;
        }
        return new HostMapping(type, host, descriptor, avail - inCluster, l2Offset, l2Index);
    }

    /**
     * {@link #countContiguousSubclusters} for standard L2 entries (one subcluster per cluster, never INVALID, a run of 1
     * each), as a tight loop over the descriptor words: the subcluster type of such an entry is its cluster type, so
     * comparing cluster types decides the same. A scan of a 1 TiB image runs this 16 million times.
     */
    private int countContiguousClusters(L2Table t, int nbClusters, int l2Index, SubclusterType first) {
        if (nbClusters <= 0) {
            return 0;
        }
        long w0 = t.word0(l2Index);
        ClusterType type = L2Entry.clusterType(w0, false, dataFile);
        boolean checkOffset = first.hasHostOffset();
        long expectedOffset = L2Entry.hostOffset(w0);
        long cs = geo.clusterSize();
        int count = 1;
        for (int idx = l2Index + 1, end = l2Index + nbClusters; idx < end; idx++) {
            long w = t.word0(idx);
            if (L2Entry.clusterType(w, false, dataFile) != type) {
                break;
            }
            if (checkOffset) {
                expectedOffset += cs;
                if (expectedOffset != L2Entry.hostOffset(w)) {
                    break;
                }
            }
            count++;
        }
        return count;
    }

    /** QEMU's count_contiguous_subclusters; returns -(index+1) of an INVALID entry. */
    private int countContiguousSubclusters(L2Table t, int nbClusters, int scIndex, int l2Index, SubclusterType first) {
        int spc = geo.subclustersPerCluster();
        boolean ext = geo.extendedL2();
        if (!ext && first != SubclusterType.COMPRESSED) {
            return countContiguousClusters(t, nbClusters, l2Index, first);
        }
        int count = 0;
        long expectedOffset = 0;
        boolean checkOffset = false;
        for (int i = 0; i < nbClusters; i++) {
            int idx = l2Index + i;
            int firstSc = i == 0 ? scIndex : 0;
            long w0 = t.word0(idx);
            long bm = t.bitmap(idx);
            SubclusterType type = L2Entry.subclusterType(w0, bm, firstSc, ext, dataFile);
            int run = L2Entry.subclusterRun(w0, bm, firstSc, ext, dataFile);
            if (run < 0) {
                return -(idx + 1);
            }
            if (i == 0) {
                if (type == SubclusterType.COMPRESSED) {
                    return run;
                }
                expectedOffset = L2Entry.hostOffset(w0);
                checkOffset = type.hasHostOffset();
            } else if (type != first) {
                break;
            } else if (checkOffset) {
                expectedOffset += geo.clusterSize();
                if (expectedOffset != L2Entry.hostOffset(w0)) {
                    break;
                }
            }
            count += run;
            if (firstSc + run < spc) {
                break;
            }
        }
        return count;
    }
}
