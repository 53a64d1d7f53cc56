package io.qcowscope.engine.layout;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.AllocationCounter;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.storage.ClusterReadAhead;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;

/**
 * The guest disk one cluster at a time: what each guest cluster reads as ({@link GuestClusterState}) and which chain layer
 * answers it, in one byte per cluster; plus qemu-img check's allocated / fragmented / compressed figures, counted by the
 * same {@link AllocationCounter} rule as {@code check} over the same L1 entries (spec 5.2). A cluster whose data sits in a
 * hole of a metadata-preallocated host file reads as zeros, as {@code qemu-img map} reports it (spec 6.1).
 */
public final class GuestLayout {
    private final byte[] codes;
    private final AllocationCounter.Figures figures;

    private GuestLayout(byte[] codes, AllocationCounter.Figures figures) {
        this.codes = codes;
        this.figures = figures;
    }

    /** Walks the active L1 table and its L2 tables, then asks the chain (block status) what the table walk cannot tell. */
    public static GuestLayout build(Qcow2Image img, ProgressMonitor monitor) throws IOException {
        Geometry geo = img.geometry();
        long n = geo.clustersFor(img.virtualSize());
        if (n > Integer.MAX_VALUE - 16) {
            throw new IOException("virtual disk too large for the guest layout: " + n + " clusters");
        }
        byte[] codes = new byte[(int) n];
        AllocationCounter counts = new AllocationCounter(geo.clusterSize());
        try (ClusterReadAhead ahead = readAhead(img)) {
            walk(img, codes, counts, ahead, monitor);
        }
        boolean chainOpen = img.backingFileName() == null || img.backing() != null;
        if (chainOpen && (img.backing() != null || img.metadataPreallocation())) {
            applyBlockStatus(img, codes, monitor);
        }
        return new GuestLayout(codes, counts.figures());
    }

    /** The L2 tables of every non-zero L1 entry, read ahead in L1 order (the order {@link #walk} reads them in). */
    private static ClusterReadAhead readAhead(Qcow2Image img) {
        long[] offsets = new long[img.l1Size()];
        int count = 0;
        for (int i = 0; i < img.l1Size(); i++) {
            long e = img.l1Entry(i);
            if (e != 0) {
                offsets[count++] = L1Entry.l2Offset(e);
            }
        }
        return new ClusterReadAhead(img.storage(), (int) img.geometry().clusterSize(), true, offsets, count);
    }

    private static void walk(Qcow2Image img, byte[] codes, AllocationCounter counts, ClusterReadAhead ahead,
            ProgressMonitor monitor) throws IOException {
        Geometry geo = img.geometry();
        long n = codes.length;
        int entries = geo.l2Entries();
        for (int i = 0; i < img.l1Size(); i++) {
            long e = img.l1Entry(i);
            if (e == 0) {
                continue; // check_refcounts_l1 skips only all-zero entries
            }
            monitor.checkCancelled();
            long l2 = L1Entry.l2Offset(e);
            long first = (long) i * entries;
            L2Table t;
            try {
                t = L2Table.of(ahead.next().words(), geo, img.hasDataFile(), l2);
            } catch (IOException ex) {
                fill(codes, first, entries, GuestClusterState.INVALID);
                continue;
            }
            counts.startTable();
            for (int j = 0; j < entries; j++) {
                if (!t.isEmpty(j)) {
                    counts.entry(t, j);
                }
            }
            if (l2 == 0) {
                continue; // reads see no table here (spec B.1)
            }
            for (int j = 0; j < entries && first + j < n; j++) {
                codes[(int) (first + j)] = (byte) state(t, j).ordinal();
            }
            monitor.progress(i, img.l1Size());
        }
    }

    /**
     * qemu-img map's view of what the table walk cannot tell: which backing layer answers unallocated clusters, and which
     * data clusters of a preallocated image lie in host-file holes (data and zero, spec 6.1).
     */
    private static void applyBlockStatus(Qcow2Image img, byte[] codes, ProgressMonitor monitor) throws IOException {
        long cs = img.geometry().clusterSize();
        GuestMapper.map(img, 0, img.virtualSize(), e -> {
            if (e.depth() == 0) {
                if (e.zero() && e.data()) {
                    long from = (e.start() + cs - 1) / cs;
                    long to = Math.min(codes.length, e.end() == img.virtualSize() ? codes.length : e.end() / cs);
                    for (long c = from; c < to; c++) {
                        if (GuestClusterState.of(codes[(int) c]) == GuestClusterState.DATA) {
                            codes[(int) c] = (byte) GuestClusterState.ZERO.ordinal();
                        }
                    }
                }
                return;
            }
            if (!e.present()) {
                return;
            }
            long first = e.start() / cs;
            long last = (e.end() - 1) / cs;
            int depth = Math.min(15, e.depth()) << 4;
            for (long c = first; c <= last; c++) {
                byte b = codes[(int) c];
                GuestClusterState s = GuestClusterState.of(b);
                if (s == GuestClusterState.UNALLOCATED) {
                    codes[(int) c] = (byte) (GuestClusterState.BACKING.ordinal() | depth);
                } else if (s == GuestClusterState.PARTIAL && GuestClusterState.depthOf(b) == 0) {
                    codes[(int) c] = (byte) (b | depth);
                }
            }
        }, monitor);
    }

    private static void fill(byte[] codes, long first, int count, GuestClusterState s) {
        for (long c = first; c < first + count && c < codes.length; c++) {
            codes[(int) c] = (byte) s.ordinal();
        }
    }

    /** What entry {@code i} of an L2 table reads as, over all its subclusters. */
    public static GuestClusterState state(L2Table t, int i) {
        return state(t.word0(i), t.bitmap(i), t.geometry().extendedL2(), t.dataFile());
    }

    /** What an entry with these words reads as, over all its subclusters (spec 3.3, 3.5). */
    public static GuestClusterState state(long word0, long bitmap, boolean extended, boolean dataFile) {
        ClusterType ct = L2Entry.clusterType(word0, extended, dataFile);
        if (!extended) {
            return switch (ct) {
                case UNALLOCATED -> GuestClusterState.UNALLOCATED;
                case ZERO_PLAIN, ZERO_ALLOC -> GuestClusterState.ZERO;
                case NORMAL -> GuestClusterState.DATA;
                case COMPRESSED -> GuestClusterState.COMPRESSED;
            };
        }
        if (ct == ClusterType.COMPRESSED) {
            return GuestClusterState.COMPRESSED;
        }
        int alloc = (int) bitmap;
        int zero = (int) (bitmap >>> 32);
        if ((alloc & zero) != 0 || (ct == ClusterType.UNALLOCATED && alloc != 0)) {
            return GuestClusterState.INVALID;
        }
        if (alloc == -1) {
            return GuestClusterState.DATA;
        }
        if (zero == -1) {
            return GuestClusterState.ZERO;
        }
        if (alloc == 0 && zero == 0) {
            return GuestClusterState.UNALLOCATED;
        }
        return GuestClusterState.PARTIAL;
    }

    /** Guest clusters in the disk. */
    public int clusters() {
        return codes.length;
    }

    /** The code byte of guest cluster {@code c}: {@link GuestClusterState#of} and {@link GuestClusterState#depthOf}. */
    public byte code(long c) {
        return codes[(int) c];
    }

    /** Copies the codes of clusters {@code [first, first + len)} that exist; returns how many were copied. */
    public int copyCodes(long first, byte[] dst, int off, int len) {
        int n = (int) Math.max(0, Math.min(len, codes.length - first));
        if (n > 0) {
            System.arraycopy(codes, (int) first, dst, off, n);
        }
        return n;
    }

    /** qemu-img check's allocated / fragmented / compressed clusters (active L1), counted as the check counts them. */
    public AllocationCounter.Figures figures() {
        return figures;
    }
}
