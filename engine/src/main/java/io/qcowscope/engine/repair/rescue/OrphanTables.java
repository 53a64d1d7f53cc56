package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.layout.HostLayout;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Lost data (issue 14): clusters no table points to (free or leaked in the layout) whose bytes read as an L2 table or a
 * refcount block, e.g. after a damaged L1 or refcount table entry, with what they would map if re-linked. Re-linking an
 * orphan L2 table into an empty L1 slot, or an orphan refcount block into the empty refcount table slot its refcounts
 * match, is offered, never by default.
 */
public final class OrphanTables {
    /** Orphans listed at most; clusters read at most. */
    static final int MAX_ORPHANS = 1000;
    static final long MAX_READS = 1L << 20;
    /** The largest refcount a cluster read as a refcount block may hold: a real one counts a few references each. */
    private static final long MAX_PLAUSIBLE_REFCOUNT = 16;

    /**
     * An orphan: where it is, what it looks like, and what it would map.
     *
     * @param l2Table true for an L2 table, false for a refcount block
     * @param entries its non-zero entries
     * @param maps    what it would map, in words
     */
    public record Orphan(long offset, boolean l2Table, int entries, String maps) {
        public String kind() {
            return l2Table ? "L2 table" : "refcount block";
        }
    }

    private OrphanTables() {
    }

    public static List<Orphan> find(Qcow2Image img, ProgressMonitor monitor) throws IOException {
        return find(img, HostLayout.build(img, monitor), monitor);
    }

    public static List<Orphan> find(Qcow2Image img, HostLayout layout, ProgressMonitor monitor) throws IOException {
        Geometry g = img.geometry();
        long fileSize = img.storage().size();
        List<Orphan> out = new ArrayList<>();
        long reads = 0;
        for (long c = 1; c < layout.clusterCount() && out.size() < MAX_ORPHANS && reads < MAX_READS; c++) {
            HostClusterRole r = layout.role(c);
            if (r != HostClusterRole.FREE && r != HostClusterRole.LEAKED) {
                continue;
            }
            if ((c & 0xFFF) == 0) {
                monitor.checkCancelled();
            }
            reads++;
            long at = c << g.clusterBits();
            ByteBuffer b = ByteBuffer.wrap(img.storage().read(at, (int) g.clusterSize()));
            Orphan o = asL2(g, b, at, fileSize);
            if (o == null) {
                o = asRefblock(g, b, at);
            }
            if (o != null) {
                out.add(o);
            }
        }
        return out;
    }

    private static Orphan asL2(Geometry g, ByteBuffer b, long at, long fileSize) {
        int n = 0;
        long first = -1;
        long last = -1;
        int stride = g.l2EntrySize();
        for (int i = 0; i + stride <= g.clusterSize(); i += stride) {
            long w = b.getLong(i);
            if (w == 0 || w == L2Entry.ZERO && !g.extendedL2()) {
                continue;
            }
            long h = L2Entry.hostOffset(w);
            boolean compressed = (w & L2Entry.COMPRESSED) != 0;
            if (!compressed && ((w & L2Entry.RESERVED_MASK) != 0 || h == 0 || (h & g.clusterMask()) != 0
                    || h >= fileSize)) {
                return null;
            }
            n++;
            if (first < 0) {
                first = i / stride;
            }
            last = i / stride;
        }
        if (n == 0) {
            return null;
        }
        return new Orphan(at, true, n, String.format("%d guest cluster(s), entries %d..%d of the L1 slot it would fill",
                n, first, last));
    }

    private static Orphan asRefblock(Geometry g, ByteBuffer b, long at) {
        int bits = g.refcountBits();
        if (bits < 8) {
            return null; // 1..4-bit refcounts read like any sparse bytes
        }
        int n = 0;
        long entries = g.clusterSize() * 8 / bits;
        for (long i = 0; i < entries; i++) {
            long v = switch (bits) {
                case 8 -> b.get((int) i) & 0xFFL;
                case 16 -> b.getShort((int) (2 * i)) & 0xFFFFL;
                case 32 -> b.getInt((int) (4 * i)) & 0xFFFFFFFFL;
                default -> b.getLong((int) (8 * i));
            };
            if (v == 0) {
                continue;
            }
            if (Long.compareUnsigned(v, MAX_PLAUSIBLE_REFCOUNT) > 0) {
                return null;
            }
            n++;
        }
        return n < 2 ? null : new Orphan(at, false, n, String.format("refcounts of %d cluster(s) of one %d-cluster "
                + "range", n, entries));
    }

    /**
     * Re-linking each orphan L2 table into an empty active L1 slot (entry 0 inside l1_size), never by default: the
     * evidence for the slot is weak (the first empty one, or the only one).
     */
    static void plan(Qcow2Image img, HostLayout layout, List<Orphan> orphans, FixList out) throws IOException {
        relinkL2Tables(img, orphans, out);
        relinkRefblocks(img, layout, orphans, out);
    }

    private static void relinkL2Tables(Qcow2Image img, List<Orphan> orphans, FixList out) throws IOException {
        long[] l1 = img.l1Table();
        List<Integer> empty = new ArrayList<>();
        long inFile = (img.storage().size() - img.l1Offset()) / 8; // entries past the end of the file read as zeros
        for (int i = 0; i < l1.length && i < inFile; i++) {
            if (l1[i] == 0) {
                empty.add(i);
            }
        }
        int next = 0;
        for (Orphan o : orphans) {
            if (!o.l2Table() || next >= empty.size()) {
                continue;
            }
            int slot = empty.get(next++);
            long entryAt = img.l1Offset() + 8L * slot;
            String evidence = empty.size() == 1 ? "the only empty L1 slot" : "the first free of " + empty.size()
                    + " empty L1 slots (the guest range is a guess)";
            out.add(FixKind.RELINK_ORPHAN_L2, "L1[" + slot + "]", entryAt,
                    List.of(Patch.word(HostClusterRole.ACTIVE_L1, entryAt, 0, o.offset() | L1Entry.COPIED)), null,
                    String.format("orphan L2 table at 0x%x (%s) linked into %s; the guest range 0x%x.. then reads its "
                            + "data", o.offset(), o.maps(), evidence, slot * img.geometry().bytesPerL1Entry()),
                    slot * img.geometry().bytesPerL1Entry(), img.geometry().bytesPerL1Entry(), -1, false);
        }
    }

    /** Orphan refcount blocks weighed for re-linking at most (each is compared with every empty slot's clusters). */
    static final int MAX_REFBLOCK_RELINKS = 64;

    /**
     * Re-linking each orphan refcount block into an empty refcount table slot inside the table and the file (spec 4.2:
     * entry i covers host clusters i * refblock_entries ..), never by default. A slot is offered when the block's refcounts
     * agree with the references found for every cluster it covers, the block's own cluster counted as referenced once it
     * is linked; a block no slot agrees with is left listed, not offered.
     */
    private static void relinkRefblocks(Qcow2Image img, HostLayout layout, List<Orphan> orphans, FixList out)
            throws IOException {
        Geometry g = img.geometry();
        long reftable = img.header().refcountTableOffset();
        long inTable = Math.min(img.refcounts().reftableEntries(), (img.storage().size() - reftable) / 8);
        long perBlock = g.refblockEntries();
        List<Long> empty = new ArrayList<>();
        for (long i = 0; i < inTable && i * perBlock < layout.clusterCount(); i++) {
            if (img.refcounts().reftableEntry((int) i) == 0) {
                empty.add(i);
            }
        }
        int weighed = 0;
        List<Long> taken = new ArrayList<>();
        for (Orphan o : orphans) {
            if (o.l2Table() || weighed++ >= MAX_REFBLOCK_RELINKS) {
                continue;
            }
            byte[] block = img.storage().read(o.offset(), (int) g.clusterSize());
            long self = o.offset() >>> g.clusterBits();
            for (long slot : empty) {
                if (taken.contains(slot)) {
                    continue;
                }
                long agree = agreeing(block, slot * perBlock, self, layout, g);
                if (agree < 0) {
                    continue;
                }
                taken.add(slot);
                long entryAt = reftable + 8 * slot;
                out.add(FixKind.RELINK_ORPHAN_REFBLOCK, "refcount table[" + slot + "]", entryAt,
                        List.of(Patch.word(HostClusterRole.REFCOUNT_TABLE, entryAt, 0, o.offset())), null,
                        String.format("orphan refcount block at 0x%x linked into the empty refcount table slot %d: its "
                                + "refcounts agree with the references found for all %d referenced clusters of host "
                                + "clusters %d..%d", o.offset(), slot, agree, slot * perBlock,
                                (slot + 1) * perBlock - 1), -1, 0, -1, false);
                break;
            }
        }
    }

    /**
     * How many referenced clusters the block's refcounts count right when it covers clusters from {@code first}, or -1
     * when one refcount disagrees with the references found (none found: an empty range is no evidence).
     */
    private static long agreeing(byte[] block, long first, long self, HostLayout layout, Geometry g) {
        long agree = 0;
        for (long i = 0; i < g.refblockEntries(); i++) {
            long c = first + i;
            long found = c == self ? 1 : c < layout.clusterCount() ? layout.claimCount(c) : 0;
            long stored = RefcountBlockCodec.get(block, i, g.refcountOrder());
            if (stored != found) {
                return -1;
            }
            if (found > 0) {
                agree++;
            }
        }
        return agree == 0 ? -1 : agree;
    }
}
