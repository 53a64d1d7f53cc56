package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;

/**
 * Searches the file for the L1 table of a snapshot whose entry names an unreadable one (issue 14): a cluster-aligned table
 * that no structure claims (preferably still with its refcount), whose entries are zero or point to clusters that read as L2 tables (every
 * entry zero or a valid descriptor) which the active L1 table does not own, or shares with refcount > 1. The score counts
 * that evidence; the best candidate is offered.
 */
final class SnapshotL1Search {
    /** Clusters looked at; past this the search stops (a bounded scan of untrusted input). */
    static final long MAX_SCAN_CLUSTERS = 1L << 20;

    /** A table found: where, how many entries it holds, its score and the evidence in words. */
    record Found(long offset, long entries, int score, String evidence) {
    }

    private final Qcow2Image img;
    private final Geometry g;
    private final long fileSize;
    private final BitSet claimed;
    private final BitSet activeL2 = new BitSet();

    private SnapshotL1Search(Qcow2Image img, BitSet claimed) throws IOException {
        this.img = img;
        this.g = img.geometry();
        this.fileSize = img.storage().size();
        this.claimed = claimed;
        for (long e : img.l1Table()) {
            long o = L1Entry.l2Offset(e);
            if (o != 0 && (o & g.clusterMask()) == 0 && o < fileSize) {
                activeL2.set((int) (o >>> g.clusterBits()));
            }
        }
    }

    /**
     * The best table for {@code s}, or null.
     *
     * @param claimed clusters other structures own (header, tables, the snapshot table, readable snapshots' L1 tables)
     */
    static Found search(Qcow2Image img, SnapshotEntry s, BitSet claimed, ProgressMonitor monitor) throws IOException {
        return new SnapshotL1Search(img, claimed).run(s, monitor);
    }

    /** The entries the snapshot's L1 needs: its l1_size when sane, else what its disk size needs. */
    private long entriesOf(SnapshotEntry s) {
        if (s.l1Size() > 0 && s.l1Size() <= Math.min(Limits.MAX_L1_ENTRIES, g.clusterSize() / 8 * 64)) {
            return s.l1Size();
        }
        long size = s.diskSize() > 0 ? s.diskSize() : img.virtualSize();
        return Math.max(1, g.l1EntriesFor(size));
    }

    private Found run(SnapshotEntry s, ProgressMonitor monitor) throws IOException {
        long n = entriesOf(s);
        long clusters = Math.min(g.clustersFor(fileSize), MAX_SCAN_CLUSTERS);
        int sample = (int) Math.min(n, g.clusterSize() / 8);
        Found best = null;
        boolean tie = false;
        for (long c = 1; c < clusters; c++) {
            if ((c & 0xFFF) == 0) {
                monitor.checkCancelled();
            }
            if (claimed.get((int) c) || activeL2.get((int) c)) {
                continue;
            }
            Found f = score(c << g.clusterBits(), n, sample);
            if (f == null) {
                continue;
            }
            if (best == null || f.score() > best.score()) {
                best = f;
                tie = false;
            } else if (f.score() == best.score()) {
                tie = true;
            }
        }
        return tie ? null : best;
    }

    private Found score(long at, long n, int sample) throws IOException {
        if (at + 8 * n > fileSize) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(img.storage().read(at, (int) g.clusterSize()));
        int own = 0;
        int shared = 0;
        for (int i = 0; i < g.clusterSize() / 8; i++) {
            long e = b.getLong(8 * i);
            if (e == 0) {
                continue;
            }
            if (i >= sample) {
                return null; // a snapshot's L1 is zero past its entries
            }
            long o = L1Entry.l2Offset(e);
            if ((e & L1Entry.RESERVED_MASK) != 0 || o == 0 || (o & g.clusterMask()) != 0 || o + g.clusterSize() > fileSize
                    || claimed.get((int) (o >>> g.clusterBits())) || !readsAsL2(o)) {
                return null;
            }
            if (activeL2.get((int) (o >>> g.clusterBits()))) {
                if (img.refcounts().refcount(o >>> g.clusterBits()) < 2) {
                    return null;
                }
                shared++;
            } else {
                own++;
            }
        }
        if (own + shared == 0) {
            return null;
        }
        // A table QEMU's -r leaks freed still reads the same; one with its refcount is likelier the one.
        boolean counted = img.refcounts().refcount(at >>> g.clusterBits()) > 0;
        return new Found(at, n, 2 * own + shared + (counted ? 1 : 0), String.format("cluster 0x%x (refcount %s): %d "
                + "entr(ies) point to L2 tables the active L1 does not own, %d to L2 tables it shares with refcount > 1; "
                + "the rest of the cluster is zero", at, counted ? "kept" : "0, freed", own, shared));
    }

    /** Every entry zero or a valid descriptor: aligned, inside the file, no reserved bits (spec 3.2). */
    private boolean readsAsL2(long o) throws IOException {
        ByteBuffer t = ByteBuffer.wrap(img.storage().read(o, (int) g.clusterSize()));
        int stride = g.l2EntrySize();
        for (int i = 0; i + stride <= g.clusterSize(); i += stride) {
            long w = t.getLong(i);
            if (w == 0 || (w & ~L2Entry.COPIED) == L2Entry.ZERO && !g.extendedL2()) {
                continue;
            }
            if ((w & L2Entry.COMPRESSED) != 0) {
                continue;
            }
            long h = L2Entry.hostOffset(w);
            if ((w & L2Entry.RESERVED_MASK) != 0 || (h & g.clusterMask()) != 0 || h >= fileSize) {
                return false;
            }
        }
        return true;
    }

    /** Clusters a snapshot L1 search must not take: the header, the active L1, the refcount structure, the snapshot table
     *  and the readable snapshots' L1 tables. */
    static BitSet claimed(Qcow2Image img, List<SnapshotEntry> readable) throws IOException {
        Geometry g = img.geometry();
        BitSet b = new BitSet();
        b.set(0);
        mark(b, g, img.l1Offset(), 8L * img.l1Size());
        mark(b, g, img.header().refcountTableOffset(), img.header().refcountTableClusters() << g.clusterBits());
        for (long e : img.refcounts().reftable()) {
            long o = e & ~0x1FFL;
            if (o != 0 && o < img.storage().size()) {
                mark(b, g, o, 1);
            }
        }
        long tableEnd = img.header().snapshotsOffset();
        for (SnapshotEntry s : img.snapshots()) {
            tableEnd = Math.max(tableEnd, s.offset() + s.length());
        }
        mark(b, g, img.header().snapshotsOffset(), tableEnd - img.header().snapshotsOffset());
        for (SnapshotEntry s : readable) {
            mark(b, g, s.l1TableOffset(), 8 * s.l1Size());
        }
        return b;
    }

    private static void mark(BitSet b, Geometry g, long offset, long bytes) {
        if (offset <= 0 || bytes <= 0) {
            return;
        }
        long first = offset >>> g.clusterBits();
        long last = Math.min((offset + bytes - 1) >>> g.clusterBits(), MAX_SCAN_CLUSTERS);
        for (long c = first; c <= last; c++) {
            b.set((int) c);
        }
    }
}
