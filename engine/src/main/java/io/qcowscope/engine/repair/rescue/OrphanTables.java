package io.qcowscope.engine.repair.rescue;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
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
 * refcount block, e.g. after a damaged L1 entry, with what they would map if re-linked. Re-linking an orphan L2 table into
 * an empty L1 slot is offered, never by default.
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
    static void plan(Qcow2Image img, List<Orphan> orphans, FixList out) throws IOException {
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
}
