package io.qcowscope.engine.write;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.storage.FileStorage;
import io.qcowscope.engine.storage.OverlayStorage;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * "What would a write do?": runs the engine's real {@link GuestWriter} on a copy-on-write scratch overlay of the image
 * file, records every call it makes on the file, and returns the plan. The file is opened read-only and never written;
 * no lock is taken. The plan's entries, bitmaps and host offsets are the ones a real write makes now.
 */
public final class WriteDryRun {
    /** The longest write planned (the overlay holds what it writes in memory). */
    public static final long MAX_LENGTH = 16L << 20;
    private static final long OVERLAY_BYTES = 256L << 20;

    private WriteDryRun() {
    }

    /** Plans writing {@code length} bytes of {@code pattern} at guest {@code offset}. */
    public static WritePlan plan(Path image, OpenOptions options, long offset, long length, byte pattern)
            throws IOException {
        if (length <= 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("a planned write is 1 byte to " + (MAX_LENGTH >> 20) + " MiB long, not "
                    + length);
        }
        Storage file = FileStorage.openReadOnly(image);
        RecordingStorage rec;
        try {
            rec = new RecordingStorage(new OverlayStorage(file, OVERLAY_BYTES));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        try {
            return plan(rec, file, image, options, offset, (int) length, pattern);
        } finally {
            rec.close();
        }
    }

    private static WritePlan plan(RecordingStorage rec, Storage file, Path image, OpenOptions options, long offset,
            int length, byte pattern) throws IOException {
        long sizeBefore = file.size();
        try (WritableImage w = WritableImage.overStorage(rec, image, options)) {
            Geometry geo = w.geometry();
            if (offset < 0 || offset > w.virtualSize() - length) {
                throw new IllegalArgumentException("guest range [" + offset + ", +" + length + ") is outside the disk of "
                        + w.virtualSize() + " bytes");
            }
            long[] l1Before = w.l2().l1().clone();
            long first = geo.startOfCluster(offset);
            int count = (int) ((offset + length - first + geo.clusterSize() - 1) >>> geo.clusterBits());
            long[][] before = new long[count][];
            for (int i = 0; i < count; i++) {
                before[i] = w.entryOf(first + ((long) i << geo.clusterBits()));
            }
            byte[] data = new byte[length];
            Arrays.fill(data, pattern);
            long cowBefore = w.cowBytesWritten();
            w.recordCowClusters();
            w.write(offset, data);
            w.flush();
            long[][] after = new long[count][];
            for (int i = 0; i < count; i++) {
                after[i] = w.entryOf(first + ((long) i << geo.clusterBits()));
            }
            long cow = w.cowBytesWritten() - cowBefore;
            WriteTrace trace = new WriteTrace(geo, file, l1Before, w.l2().l1().clone(), w.l2().l1Offset(),
                    w.refcountTable().reftable().clone(), w.refcountTable().reftableOffset(),
                    w.header().refcountTableClusters(), touchedL1(geo, offset, length));
            trace.read(rec.events());
            w.close();
            trace.read(rec.events());
            List<ClusterPlan> clusters = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long g = first + ((long) i << geo.clusterBits());
                int from = (int) Math.max(0, offset - g);
                int to = (int) Math.min(geo.clusterSize(), offset + length - g);
                clusters.add(clusterPlan(geo, g, from, to, before[i], after[i], w.hasBacking(), l1Before,
                        trace, w.cowCopiedInto(L2Entry.hostOffset(after[i][0]))));
            }
            return new WritePlan(offset, length, geo, w.hasBacking() ? backingName(w) : null, sizeBefore, rec.size(),
                    List.copyOf(clusters), trace.events(), trace.l1Changes(), trace.l2Changes(),
                    trace.refcountChanges(), cow);
        }
    }

    private static String backingName(WritableImage w) {
        return w.backing() != null ? w.backing().filename() : "the backing file";
    }

    private static long[] touchedL1(Geometry geo, long offset, int length) {
        long a = geo.l1Index(offset);
        long b = geo.l1Index(offset + length - 1);
        long[] out = new long[(int) (b - a + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = a + i;
        }
        return out;
    }

    private static ClusterPlan clusterPlan(Geometry geo, long g, int from, int to, long[] old, long[] now,
            boolean backing, long[] l1Before, WriteTrace trace, boolean cowCopied) {
        boolean ext = geo.extendedL2();
        CowPlanner.Plan p = CowPlanner.plan(geo, old[0], old[1], from, to);
        int fs = ext ? from >>> geo.subclusterBits() : 0;
        int ls = ext ? (to - 1) >>> geo.subclusterBits() : 0;
        ClusterPlan.Decision d = p.inPlace() ? ClusterPlan.Decision.IN_PLACE
                : p.keepOld() ? ClusterPlan.Decision.KEEP_CLUSTER : ClusterPlan.Decision.NEW_CLUSTER;
        ClusterPlan.CowRegion head = region(geo, old, p.inPlace() ? from : p.cowStart(), from, backing);
        ClusterPlan.CowRegion tail = region(geo, old, to, p.inPlace() ? to : p.cowEnd(), backing);
        // copied (perform_cow) rather than left to zeros (handle_alloc_space); a copy of zeros onto zeros is not
        // written to the file, but QEMU copies it, and so does the plan
        boolean cowWritten = (!head.isEmpty() || !tail.isEmpty()) && cowCopied;
        int l1i = (int) geo.l1Index(g);
        boolean newTable = L1Entry.l2Offset(l1Before[l1i]) != L1Entry.l2Offset(trace.l1After(l1i))
                || !L1Entry.copied(l1Before[l1i]);
        return new ClusterPlan(g, l1i, geo.l2Index(g), from, to, fs, ls, old[0], old[1], now[0], now[1], d,
                reason(geo, old, fs, d), head, tail, cowWritten, newTable);
    }

    private static ClusterPlan.Reason reason(Geometry geo, long[] old, int fs, ClusterPlan.Decision d) {
        boolean ext = geo.extendedL2();
        if (d == ClusterPlan.Decision.IN_PLACE) {
            return ClusterPlan.Reason.COPIED_NORMAL;
        }
        if (d == ClusterPlan.Decision.KEEP_CLUSTER) {
            return ClusterPlan.Reason.COPIED_NEEDS_BITMAP;
        }
        ClusterType t = L2Entry.clusterType(old[0], ext, false);
        if (t == ClusterType.COMPRESSED) {
            return ClusterPlan.Reason.COMPRESSED;
        }
        if (t == ClusterType.NORMAL || t == ClusterType.ZERO_ALLOC) {
            return ClusterPlan.Reason.SHARED;
        }
        SubclusterType s = L2Entry.subclusterType(old[0], old[1], fs, ext, false);
        return s.isZero() ? ClusterPlan.Reason.ZERO : ClusterPlan.Reason.UNALLOCATED;
    }

    /** {@code [start, end)} of the cluster, split into runs of subclusters whose old content has one source. */
    private static ClusterPlan.CowRegion region(Geometry geo, long[] old, int start, int end, boolean backing) {
        List<ClusterPlan.SourceRun> runs = new ArrayList<>();
        boolean ext = geo.extendedL2();
        int pos = start;
        while (pos < end) {
            int sc = ext ? pos >>> geo.subclusterBits() : 0;
            int scEnd = ext ? (int) Math.min(end, (long) (sc + 1) << geo.subclusterBits()) : end;
            CowSource src = CowSource.of(L2Entry.subclusterType(old[0], old[1], sc, ext, false), backing);
            if (!runs.isEmpty() && runs.get(runs.size() - 1).source() == src) {
                ClusterPlan.SourceRun last = runs.remove(runs.size() - 1);
                runs.add(new ClusterPlan.SourceRun(last.start(), scEnd, src));
            } else {
                runs.add(new ClusterPlan.SourceRun(pos, scEnd, src));
            }
            pos = scEnd;
        }
        return new ClusterPlan.CowRegion(start, Math.max(start, end), List.copyOf(runs));
    }
}
