package io.qcowscope.engine.check;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.storage.ClusterBuffers;
import io.qcowscope.engine.storage.ClusterReadAhead;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;

/**
 * On-disk refcounts read the way {@code qcow2_get_refcount} does (spec 4.1): an index past the refcount table or a zero
 * table entry reads 0; an unaligned refcount block is a read error; a block past the end of the file reads as zeros. Keeps one block, so a scan in cluster order reads
 * every block once.
 */
final class OnDiskRefcounts implements AutoCloseable {
    /** Thrown where QEMU's lookup fails (unaligned block, unreadable offset). */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable() {
            super("Input/output error", null, false, false);
        }
    }

    private static final Unreadable UNREADABLE = new Unreadable();
    private final Storage storage;
    private final Geometry geo;
    private final long[] reftable;
    /** This reader's own block buffer, made at the first block not read ahead (most scans never need it). */
    private byte[] own;
    /** The loaded block's bytes: {@link #own}, or a read-ahead buffer. */
    private byte[] block;
    private long loaded = -1;
    private int state;
    private ClusterReadAhead ahead;
    /** The refcount block index of each read-ahead cluster, in order. */
    private int[] aheadBlocks;

    OnDiskRefcounts(Storage storage, Geometry geo, long[] reftable) {
        this.storage = storage;
        this.geo = geo;
        this.reftable = reftable;
    }

    /**
     * Reads the blocks that {@link #load} would read from the file for refcount blocks {@code [0, blocks)} ahead, in
     * that order: for a scan in cluster order (the comparison). Reads throw where and as they would without this.
     */
    void readAhead(long blocks) {
        int n = (int) Math.min(blocks, reftable.length);
        long[] offsets = new long[n];
        aheadBlocks = new int[n];
        int count = 0;
        long size;
        try {
            size = storage.size();
        } catch (java.io.IOException e) {
            return; // load() meets the same error itself
        }
        for (int r = 0; r < n; r++) {
            long offset = ReftableEntry.blockOffset(reftable[r]);
            if (offset != 0 && !unreadable(offset) && offset < size) {
                offsets[count] = offset;
                aheadBlocks[count++] = r;
            }
        }
        ahead = new ClusterReadAhead(storage, (int) geo.clusterSize(), false, offsets, count, true);
    }

    @Override
    public void close() {
        if (ahead != null) {
            ahead.close();
            ahead = null;
        }
        ClusterBuffers.give(own);
        own = null;
        block = null;
    }

    private boolean unreadable(long offset) {
        return (offset & geo.clusterMask()) != 0 || offset < 0 || offset > Long.MAX_VALUE - geo.clusterSize();
    }

    long get(long cluster) throws IOException, Unreadable {
        long r = cluster >>> geo.refblockBits();
        if (r != loaded) {
            load(r);
        }
        if (state == 0) {
            return 0;
        }
        if (state == 2) {
            throw UNREADABLE;
        }
        return RefcountBlockCodec.get(block, cluster & (geo.refblockEntries() - 1), geo.refcountOrder());
    }

    /**
     * Entries {@code [from, from + out.length)} of block {@code r} decoded into {@code out}: returns 0 = no block (all
     * refcounts 0), 1 = decoded, 2 = unreadable. The block is read once for consecutive calls.
     */
    int decodeBlock(long r, int from, long[] out) throws IOException {
        if (r != loaded) {
            load(r);
        }
        if (state != 1) {
            return state;
        }
        int n = out.length;
        switch (geo.refcountOrder()) {
            case 4 -> {
                for (int j = 0, p = 2 * from; j < n; j++, p += 2) {
                    out[j] = ((block[p] & 0xFF) << 8) | (block[p + 1] & 0xFF);
                }
            }
            case 3 -> {
                for (int j = 0; j < n; j++) {
                    out[j] = block[from + j] & 0xFF;
                }
            }
            default -> {
                int order = geo.refcountOrder();
                for (int j = 0; j < n; j++) {
                    out[j] = RefcountBlockCodec.get(block, from + j, order);
                }
            }
        }
        return 1;
    }

    private byte[] own() {
        if (own == null) {
            own = ClusterBuffers.bytes((int) geo.clusterSize());
        }
        return own;
    }

    /** 0: no block (all zero), 1: block loaded, 2: unreadable. */
    private void load(long r) throws IOException {
        loaded = r;
        if (r >= reftable.length) {
            state = 0;
            return;
        }
        long offset = ReftableEntry.blockOffset(reftable[(int) r]);
        if (offset == 0) {
            state = 0;
        } else if (unreadable(offset)) {
            state = 2;
        } else if (offset >= storage.size()) {
            // QEMU's block layer reads past the end of the file as zeros, however far (the header cluster read as a
            // refcount table, iotest 060, has the magic as an entry)
            block = own();
            java.util.Arrays.fill(block, (byte) 0);
            state = 1;
        } else if (ahead != null && ahead.consumed() < ahead.count() && aheadBlocks[ahead.consumed()] == r) {
            block = ahead.next().bytes();
            state = 1;
        } else {
            block = own();
            storage.read(offset, block, 0, block.length);
            state = 1;
        }
    }
}
