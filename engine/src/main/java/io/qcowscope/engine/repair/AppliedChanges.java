package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an in-place apply changed in the active L2 tables and the refcount blocks, read from its undo journal (the bytes
 * it overwrote) against the image as it now stands: every L2 entry whose words changed, with the bits that flipped (the
 * subcluster allocation and zero bits of an extended entry, spec 3.3), and every host cluster whose refcount rose
 * (spec 2.1), also where a rebuild wrote new refcount blocks (compared with the old table's blocks as the file had them).
 * L2 tables written past the old end of the file have no journaled bytes and are not listed here (they are new
 * clusters). Both lists are bounded by {@link #MAX_LISTED}; the journal's regions read are bounded too.
 *
 * @param entryOffsets  file offsets of the changed L2 entries, ascending
 * @param word0Flips    per entry, the bits of its first word that flipped (old XOR new)
 * @param bitmapFlips   per entry, the bits of its subcluster bitmap that flipped (0 for standard L2)
 * @param raisedRefcounts host cluster indices whose refcount rose, ascending
 */
public record AppliedChanges(long[] entryOffsets, long[] word0Flips, long[] bitmapFlips, long[] raisedRefcounts) {
    /** Entries and refcounts listed at most, each. */
    public static final int MAX_LISTED = 4096;
    /** Journal regions read at most (a journal of a whole-disk rewrite is not walked to the end). */
    static final int MAX_REGIONS = 1 << 16;
    /** The old refcount table is read up to this size (8 MiB covers 1M refcount blocks). */
    static final long MAX_REFTABLE_BYTES = 8L << 20;

    public static final AppliedChanges NONE = new AppliedChanges(new long[0], new long[0], new long[0], new long[0]);

    /** The bits of the entry at {@code entryOffset} that flipped, {@code {word0, bitmap}}, or null when it did not change. */
    public long[] flipsAt(long entryOffset) {
        int i = Arrays.binarySearch(entryOffsets, entryOffset);
        return i < 0 ? null : new long[]{word0Flips[i], bitmapFlips[i]};
    }

    /** True when host cluster {@code cluster}'s refcount rose. */
    public boolean refcountRaised(long cluster) {
        return Arrays.binarySearch(raisedRefcounts, cluster) >= 0;
    }

    public boolean isEmpty() {
        return entryOffsets.length == 0 && raisedRefcounts.length == 0;
    }

    /** The changes {@code journal} records on {@code image} (open on the file as the apply left it). */
    public static AppliedChanges of(UndoJournal journal, Qcow2Image image) throws IOException {
        Geometry geo = image.geometry();
        long cluster = geo.clusterSize();
        Set<Long> l2Tables = new HashSet<>();
        for (long e : image.l1Table()) {
            long off = L1Entry.l2Offset(e);
            if (off != 0) {
                l2Tables.add(off);
            }
        }
        Set<Long> blocks = new HashSet<>();
        for (long e : image.refcounts().reftable()) {
            long off = ReftableEntry.blockOffset(e);
            if (off != 0) {
                blocks.add(off);
            }
        }
        // the original bytes of each touched L2 table, overlaid on its current bytes; the refcount blocks touched
        TreeMap<Long, byte[]> oldL2 = new TreeMap<>();
        Set<Long> touched = new HashSet<>();
        List<UndoJournal.Region> regions = journal.regions();
        // last to first: where two regions overlap, the first holds the original bytes
        for (int r = Math.min(regions.size(), MAX_REGIONS) - 1; r >= 0; r--) {
            UndoJournal.Region g = regions.get(r);
            long end = g.offset() + g.original().length;
            for (long c = g.offset() / cluster * cluster; c < end; c += cluster) {
                if (blocks.contains(c)) {
                    touched.add(c);
                }
                if (!l2Tables.contains(c)) {
                    continue;
                }
                byte[] old = oldL2.get(c);
                if (old == null) {
                    old = image.storage().read(c, (int) cluster);
                    oldL2.put(c, old);
                }
                long from = Math.max(c, g.offset());
                long to = Math.min(c + cluster, end);
                System.arraycopy(g.original(), (int) (from - g.offset()), old, (int) (from - c), (int) (to - from));
            }
        }
        long[][] e = entries(image, geo, oldL2);
        return new AppliedChanges(e[0], e[1], e[2], raised(image, geo, touched,
                new JournalBeforeView(image.storage(), journal)));
    }

    private static long[][] entries(Qcow2Image image, Geometry geo, TreeMap<Long, byte[]> oldL2) throws IOException {
        int size = geo.l2EntrySize();
        List<long[]> out = new ArrayList<>();
        for (var t : oldL2.entrySet()) {
            byte[] now = image.storage().read(t.getKey(), t.getValue().length);
            byte[] old = t.getValue();
            for (int at = 0; at + size <= now.length && out.size() < MAX_LISTED; at += size) {
                long w0 = word(old, at) ^ word(now, at);
                long bm = size == 16 ? word(old, at + 8) ^ word(now, at + 8) : 0;
                if (w0 != 0 || bm != 0) {
                    out.add(new long[]{t.getKey() + at, w0, bm});
                }
            }
        }
        long[][] cols = new long[3][out.size()];
        for (int i = 0; i < out.size(); i++) {
            for (int k = 0; k < 3; k++) {
                cols[k][i] = out.get(i)[k];
            }
        }
        return cols;
    }

    /**
     * Refcounts that rose, block by block: a block the apply wrote in place (journaled) against its original bytes, and a
     * block that is new (a rebuilt refcount structure, a block added) against the block the old refcount table had for
     * the same clusters, read from the file as it was. Blocks neither touched nor moved are not read.
     */
    private static long[] raised(Qcow2Image image, Geometry geo, Set<Long> touched, JournalBeforeView before)
            throws IOException {
        long[] reftable = image.refcounts().reftable();
        long[] oldReftable = oldReftable(before, geo);
        int cluster = (int) geo.clusterSize();
        List<Long> out = new ArrayList<>();
        for (int r = 0; r < reftable.length && out.size() < MAX_LISTED; r++) {
            long off = ReftableEntry.blockOffset(reftable[r]);
            long oldOff = r < oldReftable.length ? ReftableEntry.blockOffset(oldReftable[r]) : 0;
            if (off == 0 || (off == oldOff && !touched.contains(off))) {
                continue;
            }
            byte[] now = image.storage().read(off, cluster);
            byte[] old = oldOff == 0 || oldOff >= before.size() ? new byte[cluster] : before.read(oldOff, cluster);
            for (long i = 0; i < geo.refblockEntries() && out.size() < MAX_LISTED; i++) {
                if (RefcountBlockCodec.get(now, i, geo.refcountOrder()) > RefcountBlockCodec.get(old, i,
                        geo.refcountOrder())) {
                    out.add(((long) r << geo.refblockBits()) + i);
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** The refcount table the header had before the apply (spec 2: offset at byte 48, clusters at 56), bounded. */
    private static long[] oldReftable(JournalBeforeView before, Geometry geo) throws IOException {
        byte[] h = before.read(48, 12);
        long offset = word(h, 0);
        long clusters = ((h[8] & 0xFFL) << 24) | ((h[9] & 0xFFL) << 16) | ((h[10] & 0xFFL) << 8) | (h[11] & 0xFFL);
        long bytes = clusters * geo.clusterSize();
        if (offset <= 0 || clusters <= 0 || bytes > MAX_REFTABLE_BYTES || offset > before.size() - bytes) {
            return new long[0];
        }
        byte[] t = before.read(offset, (int) bytes);
        long[] e = new long[(int) (bytes / 8)];
        for (int i = 0; i < e.length; i++) {
            e[i] = word(t, i * 8);
        }
        return e;
    }

    private static long word(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
