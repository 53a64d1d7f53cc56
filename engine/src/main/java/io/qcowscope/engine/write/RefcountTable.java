package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The refcount table and the refcount blocks in memory (spec 4.1), written back by {@link WriteOrdering}. Increments are
 * applied at once; decrements wait in {@link #pendingDecrements} until the L2 entries that dropped the references are on
 * disk (spec B.3 step 4), so a freed cluster is never reused while an on-disk table still points at it. A decrement made
 * for a guest discard or zero-with-unmap also gives the host space back once the cluster is free (QEMU passes those
 * discards through to the file: pass-discard-request), which is safe then for the same reason.
 */
final class RefcountTable {
    private final Storage storage;
    private final Geometry geo;
    private long[] reftable;
    private long reftableOffset;
    private final Map<Long, byte[]> blocks = new HashMap<>();
    private final Set<Long> dirtyBlocks = new LinkedHashSet<>();
    private final List<long[]> pendingDecrements = new ArrayList<>();
    /** Runs {@code {firstCluster, count}} freed by {@link #applyDecrements} whose host space is to be punched. */
    private final List<long[]> freedToPunch = new ArrayList<>();

    RefcountTable(Storage storage, Geometry geo, long[] reftable, long reftableOffset) {
        this.storage = storage;
        this.geo = geo;
        this.reftable = reftable;
        this.reftableOffset = reftableOffset;
    }

    long[] reftable() {
        return reftable;
    }

    long reftableOffset() {
        return reftableOffset;
    }

    /** Installs a grown refcount table (the header already points at it). */
    void replaceTable(long[] table, long offset) {
        this.reftable = table;
        this.reftableOffset = offset;
    }

    int clusterBits() {
        return geo.clusterBits();
    }

    int reftableIndex(long clusterIndex) {
        return (int) (clusterIndex >>> geo.refblockBits());
    }

    /** True when a refcount block covers this cluster. */
    boolean hasBlock(long clusterIndex) {
        long r = clusterIndex >>> geo.refblockBits();
        return r < reftable.length && ReftableEntry.blockOffset(reftable[(int) r]) != 0;
    }

    /** Where the refcount of a cluster sits in its refcount block (spec 4.1), or -1 without a block. */
    private long entryOffset(long clusterIndex) {
        long r = clusterIndex >>> geo.refblockBits();
        long off = r < reftable.length ? ReftableEntry.blockOffset(reftable[(int) r]) : 0;
        long bits = (clusterIndex & (geo.refblockEntries() - 1)) << geo.refcountOrder();
        return off == 0 ? -1 : off + (bits >>> 3);
    }

    long get(long clusterIndex) throws IOException {
        long r = clusterIndex >>> geo.refblockBits();
        if (r >= reftable.length) {
            return 0;
        }
        long off = ReftableEntry.blockOffset(reftable[(int) r]);
        if (off == 0) {
            return 0;
        }
        return RefcountBlockCodec.get(block(off, (int) r), clusterIndex & (geo.refblockEntries() - 1),
                geo.refcountOrder());
    }

    /** Sets a refcount; a block must cover the cluster. */
    void set(long clusterIndex, long value) throws IOException {
        int r = reftableIndex(clusterIndex);
        long off = r < reftable.length ? ReftableEntry.blockOffset(reftable[r]) : 0;
        if (off == 0) {
            throw new IllegalStateException("no refcount block covers host cluster 0x"
                    + Long.toHexString(clusterIndex << geo.clusterBits()));
        }
        RefcountBlockCodec.set(block(off, r), clusterIndex & (geo.refblockEntries() - 1), geo.refcountOrder(), value);
        dirtyBlocks.add(off);
    }

    void increment(long clusterIndex) throws IOException {
        long v = get(clusterIndex);
        if (v == geo.refcountMax()) {
            throw new RefcountOverflowException(clusterIndex << geo.clusterBits(), geo.refcountMax());
        }
        set(clusterIndex, v + 1);
    }

    /** Records that a reference to {@code count} clusters from {@code clusterIndex} was dropped. */
    void decrementLater(long clusterIndex, long count) {
        decrementLater(clusterIndex, count, false);
    }

    /**
     * As {@link #decrementLater(long, long)}; with {@code discard} the clusters that become free are listed for
     * {@link #takeFreedToPunch()} (QEMU's QCOW2_DISCARD_REQUEST).
     */
    void decrementLater(long clusterIndex, long count, boolean discard) {
        pendingDecrements.add(new long[]{clusterIndex, count, discard ? 1 : 0});
    }

    /** The freed runs to punch since the last call, adjacent runs merged (qcow2_process_discards). */
    List<long[]> takeFreedToPunch() {
        List<long[]> out = new ArrayList<>(freedToPunch);
        freedToPunch.clear();
        return out;
    }

    private void punchLater(long c) {
        long[] last = freedToPunch.isEmpty() ? null : freedToPunch.get(freedToPunch.size() - 1);
        if (last != null && last[0] + last[1] == c) {
            last[1]++;
        } else {
            freedToPunch.add(new long[]{c, 1});
        }
    }

    boolean hasPendingDecrements() {
        return !pendingDecrements.isEmpty();
    }

    /** Applies the waiting decrements; returns the lowest cluster freed, or -1. */
    long applyDecrements() throws IOException {
        long lowestFreed = -1;
        for (long[] d : pendingDecrements) {
            for (long c = d[0]; c < d[0] + d[1]; c++) {
                long v = get(c);
                if (v == 0) {
                    throw new Qcow2FormatException(Structure.REFCOUNT_BLOCK, entryOffset(c), "refcount of host cluster 0x"
                            + Long.toHexString(c << geo.clusterBits()) + " would drop below 0");
                }
                set(c, v - 1);
                if (v == 1 && (lowestFreed < 0 || c < lowestFreed)) {
                    lowestFreed = c;
                }
                if (v == 1 && d[2] != 0) {
                    punchLater(c);
                }
            }
        }
        pendingDecrements.clear();
        return lowestFreed;
    }

    /** Registers a brand new, zero-filled refcount block for reftable index {@code r} (entry set in memory). */
    void installBlock(int r, long blockOffset) {
        blocks.put(blockOffset, new byte[(int) geo.clusterSize()]);
        reftable[r] = blockOffset;
        dirtyBlocks.add(blockOffset);
    }

    private byte[] block(long offset, int r) throws IOException {
        byte[] b = blocks.get(offset);
        if (b == null) {
            if ((offset & geo.clusterMask()) != 0) {
                throw new Qcow2FormatException(Structure.REFCOUNT_TABLE, reftableOffset + 8L * r, "Refblock offset 0x"
                        + Long.toHexString(offset) + " unaligned (reftable index: 0x" + Integer.toHexString(r) + ")");
            }
            b = storage.read(offset, (int) geo.clusterSize());
            blocks.put(offset, b);
        }
        return b;
    }

    boolean dirty() {
        return !dirtyBlocks.isEmpty();
    }

    /** Writes every modified refcount block. */
    void writeDirtyBlocks() throws IOException {
        List<long[]> ranges = new ArrayList<>(dirtyBlocks.size());
        for (long off : dirtyBlocks) {
            ranges.add(new long[]{off, geo.clusterSize()});
        }
        storage.willWrite(ranges); // a journal records the whole stage with one sync
        for (long off : dirtyBlocks) {
            byte[] b = blocks.get(off);
            storage.write(off, b, 0, b.length);
        }
        dirtyBlocks.clear();
    }
}
