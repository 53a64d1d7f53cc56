package io.qcowscope.engine.repair;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.check.FindingKind;
import io.qcowscope.engine.check.Severity;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Computes a repair plan from a check (issue 5, spec 5.4-5.6): every repair {@code qemu-img check -r all} makes, in QEMU's
 * order, and fixes for the damage QEMU 7.2 cannot mend. Nothing is written.
 */
public final class RepairPlanner {
    /** Growth beyond which extending the file to reach a past-the-end reference is not offered. */
    private static final long MAX_EXTENSION = 1L << 40;
    /** Growth up to which extending the file (not dropping the entry) is the default: at least the file's own size. */
    private static final long MODEST_EXTENSION = 64L << 20;
    /** Entries of new L2 tables (data-as-table pointers) one plan rewrites at most; past it the drop is the only fix. */
    private static final long MAX_REWRITTEN_ENTRIES = 1 << 18;

    private RepairPlanner() {
    }

    public static RepairPlan plan(Path image, ProgressMonitor monitor) throws IOException {
        try (Qcow2Image img = Qcow2Image.open(image, OpenOptions.readOnly().withCheckMode(true)
                .withBackingChain(false))) {
            return plan(image, img, Analysis.of(img, monitor), monitor);
        }
    }

    /** The plan for an image already open (the rescue planner's view of a file with its rescue fixes laid over it). */
    public static RepairPlan plan(Path image, Qcow2Image img, ProgressMonitor monitor) throws IOException {
        return plan(image, img, Analysis.of(img, monitor), monitor);
    }

    static RepairPlan plan(Path image, Qcow2Image img, Analysis a, ProgressMonitor monitor) throws IOException {
        Builder b = new Builder(img, a, Aliases.find(img, a.refs().metadata(), a.refs(), monitor));
        b.aliases();
        b.snapshotTable();
        b.entries();
        b.pastEnd();
        b.refcounts();
        b.unshare();
        b.copied(monitor);
        b.headerBits();
        return new RepairPlan(image, a.check(), b.fixes, b.unfixable());
    }

    private static final class Builder {
        private final Qcow2Image img;
        private final Analysis a;
        private final Geometry g;
        private final List<Fix> fixes = new ArrayList<>();
        private final Set<FindingKind> answered = EnumSet.noneOf(FindingKind.class);
        private final Aliases aliases;
        /** Host clusters whose aliasing data entries are copied out: their refcount needs no raise. */
        private final Set<Long> copiedOut = new java.util.HashSet<>();
        /** Offsets of past-the-end references no fix answers (structures other than L1 and L2 entries point there). */
        private final Set<Long> unplannedPastEnd = new java.util.HashSet<>();
        /** Entries of new L2 tables for data-as-table pointers so far (each may be a patch; bounded). */
        private long rewrittenEntries;
        /** Where the next cluster a fix copies lands (the end of the file, then onwards). */
        private long nextFree;

        Builder(Qcow2Image img, Analysis a, Aliases aliases) throws IOException {
            this.img = img;
            this.a = a;
            this.g = img.geometry();
            this.aliases = aliases;
            this.nextFree = g.startOfCluster(img.storage().size() + g.clusterSize() - 1);
        }

        /** A finding read through a pointer the alias fixes drop: the drop answers it (issue 15). */
        private boolean coveredByAlias(Finding f) {
            if (aliases.covers(f.path())) {
                answered.add(f.kind());
                return true;
            }
            return false;
        }

        /**
         * Pointers into other structures (issue 15): the pointer is fixed, never the bytes it hits. An L1 entry whose L2
         * table is other metadata is dropped; a data cluster that is metadata is copied out (its reads stay the same) or,
         * as the alternative, dropped; a snapshot table inside another structure is forgotten.
         */
        void aliases() throws IOException {
            for (Aliases.Table t : aliases.tables()) {
                String path = t.path();
                if (t.l2Offset() == 0) {
                    add(FixKind.CLEAR_EMPTY_L1_ENTRY, path, t.entryOffset(),
                            List.of(Patch.word(t.role(), t.entryOffset(), t.raw(), 0)), null,
                            String.format("%s is 0x%x: no L2 table, so guest reads see an unallocated range, but "
                                    + "qemu-img check reads the header as its L2 table", path, t.raw()),
                            t.l1Index() * g.bytesPerL1Entry(), g.bytesPerL1Entry(), -1, true);
                    continue;
                }
                int copy = copyTable(t, path);
                add(FixKind.DROP_ALIASED_L2_TABLE, path, t.entryOffset(),
                        List.of(Patch.word(t.role(), t.entryOffset(), t.raw(), 0)), null,
                        String.format("%s points at 0x%x as its L2 table, but that cluster is the %s; read as L2 "
                                + "entries it maps garbage; the guest range then reads from the backing file or zeros",
                                path, t.l2Offset(), t.hit().describe()), t.l1Index() * g.bytesPerL1Entry(),
                        g.bytesPerL1Entry(), copy, copy < 0);
                answered.add(FindingKind.METADATA_OVERLAP);
            }
            for (Aliases.Data d : aliases.data()) {
                long nw = (d.word0() & ~L2Entry.OFFSET_MASK) | nextFree | L2Entry.COPIED;
                String why = String.format("%s maps guest 0x%x to host cluster 0x%x, which is the %s", d.path(),
                        d.guestOffset(), L2Entry.hostOffset(d.word0()), d.hit().describe());
                int copy = add(FixKind.COPY_ALIASED_DATA, d.path(), d.entryOffset(),
                        List.of(Patch.word(HostClusterRole.L2_TABLE, d.entryOffset(), d.word0(), nw)),
                        "a copy of cluster 0x" + Long.toHexString(L2Entry.hostOffset(d.word0())) + " at 0x"
                                + Long.toHexString(nextFree), why + "; the copy keeps what the guest reads now",
                        d.guestOffset(), g.clusterSize(), -1, true);
                nextFree += g.clusterSize();
                add(FixKind.DROP_ALIASED_DATA, d.path(), d.entryOffset(), dropEntry(d.entryOffset(), d.word0()), null,
                        why + "; the guest cluster then reads from the backing file or zeros", d.guestOffset(),
                        g.clusterSize(), copy, false);
                copiedOut.add(L2Entry.hostOffset(d.word0()) >>> g.clusterBits());
                answered.add(FindingKind.METADATA_OVERLAP);
            }
            dataTables();
            l1Trim();
            for (Aliases.SnapshotL1 s : aliases.snapshotL1s()) {
                add(FixKind.DROP_SNAPSHOT, s.path(), s.l1Offset(), List.of(), "the snapshot table without "
                        + s.path() + ", written at the end of the file; header bytes 60..71 then point at it",
                        String.format("%s has its L1 table at 0x%x, inside the %s: its entries are that structure's "
                                + "bytes, so nothing of the snapshot can be trusted", s.path(), s.l1Offset(),
                                s.hit().describe()), -1, 0, -1, true);
                answered.add(FindingKind.METADATA_OVERLAP);
            }
            Aliases.SnapshotTable st = aliases.snapshotTable();
            if (st != null) {
                ByteBuffer before = ByteBuffer.wrap(img.storage().read(60, 12));
                add(FixKind.DROP_SNAPSHOT_TABLE, "header.nb_snapshots, header.snapshots_offset", 60,
                        List.of(new Patch(60, before.array(), new byte[12], HostClusterRole.HEADER)), null,
                        String.format("the header names %d snapshot(s) at 0x%x, inside the %s; the entries read there "
                                + "are that structure's bytes", st.count(), st.offset(), st.hit().describe()), -1, 0,
                        -1, true);
                answered.add(FindingKind.METADATA_OVERLAP);
            }
        }

        /**
         * An L1 entry whose "L2 table" is a guest data cluster (issue 15): the pointer is the damage. Where dropping it
         * reads the same (every entry reads unallocated, or zeros with no backing file), the drop is the default; else a
         * new L2 table that reads what the guest reads now ({@link DataAsTable}), its data clusters copied out, is the
         * default and the drop the alternative. The data cluster itself is never written.
         */
        private void dataTables() {
            boolean backing = img.header().backingFileOffset() != 0;
            for (Aliases.DataTable t : aliases.dataTables()) {
                String path = "L1[" + t.l1Index() + "]";
                String what = String.format("%s points at 0x%x as its L2 table, but that cluster is guest data (%s; %d "
                        + "of its %d entries are invalid)", path, t.l2Offset(), t.referencedAsData()
                        ? "an L2 entry maps it" : "no L2 table looks like it", t.view().invalid(), t.view().nonzero());
                boolean same = t.view().dropReadsTheSame(backing);
                int copy = same ? -1 : dataTableCopy(t, path, what);
                add(FixKind.DROP_ALIASED_L2_TABLE, path, t.entryOffset(),
                        List.of(Patch.word(HostClusterRole.ACTIVE_L1, t.entryOffset(), t.raw(), 0)), null,
                        what + (same ? "; the range reads the same without it" : "; the guest range then reads "
                                + "from the backing file or zeros"), t.l1Index() * g.bytesPerL1Entry(),
                        g.bytesPerL1Entry(), copy, copy < 0);
                answered.add(FindingKind.METADATA_OVERLAP);
            }
        }

        /** The new L2 table for a data-as-table pointer, entries that map data copied out; the fix id or -1. */
        private int dataTableCopy(Aliases.DataTable t, String path, String what) {
            long[] clean = t.view().normalized();
            if (clean == null || t.view().dataEntries() > Aliases.MAX_DATA
                    || (rewrittenEntries += clean.length) > MAX_REWRITTEN_ENTRIES) {
                return -1;
            }
            long newTable = nextFree;
            nextFree += g.clusterSize();
            List<Patch> patches = new ArrayList<>();
            patches.add(Patch.word(HostClusterRole.ACTIVE_L1, t.entryOffset(), t.raw(), newTable | L1Entry.COPIED));
            long[] words = t.view().words();
            List<Integer> data = new ArrayList<>();
            for (int i = 0; i < clean.length; i++) {
                if (L2Entry.clusterType(clean[i], false, false) == io.qcowscope.engine.format.ClusterType.NORMAL) {
                    data.add(i);
                } else if (clean[i] != words[i]) {
                    patches.add(Patch.word(HostClusterRole.L2_TABLE, newTable + 8L * i, words[i], clean[i]));
                }
            }
            int copy = add(FixKind.COPY_ALIASED_L2_TABLE, path, t.entryOffset(), patches, "a new L2 table at 0x"
                    + Long.toHexString(newTable) + " that reads what cluster 0x" + Long.toHexString(t.l2Offset())
                    + " reads as one (" + data.size() + " data cluster(s) copied out)", what
                    + "; the new table keeps what the guest reads now", t.l1Index() * g.bytesPerL1Entry(),
                    g.bytesPerL1Entry(), -1, true);
            for (int i : data) {
                long at = newTable + 8L * i;
                long host = L2Entry.hostOffset(clean[i]);
                long guest = t.l1Index() * g.bytesPerL1Entry() + ((long) i << g.clusterBits());
                add(FixKind.COPY_ALIASED_DATA, path + " -> L2@0x" + Long.toHexString(newTable) + "[" + i + "]", at,
                        List.of(Patch.word(HostClusterRole.L2_TABLE, at, words[i], (clean[i] & ~L2Entry.OFFSET_MASK)
                                | nextFree)), "a copy of cluster 0x" + Long.toHexString(host) + " at 0x"
                                + Long.toHexString(nextFree), String.format("the new L2 table maps guest 0x%x to host "
                                + "cluster 0x%x, which other entries use; the copy keeps what the guest reads now",
                                guest, host), guest, g.clusterSize(), -1, true);
                nextFree += g.clusterSize();
            }
            return copy;
        }

        /** {@link Aliases.L1Trim}: header bytes 36..39 (l1_size) become the count the virtual size needs. */
        private void l1Trim() {
            Aliases.L1Trim trim = aliases.l1Trim();
            if (trim == null) {
                return;
            }
            add(FixKind.TRIM_L1_SIZE, "header.l1_size", 36, List.of(new Patch(36, u32(trim.l1Size()), u32(trim.needed()),
                    HostClusterRole.HEADER)), null, String.format("l1_size is %d, but the "
                    + "virtual size needs %d entries; the %d beyond lie on clusters other structures or the guest use, "
                    + "and guest reads never use them", trim.l1Size(), trim.needed(), trim.l1Size() - trim.needed()),
                    -1, 0, -1, true);
            answered.add(FindingKind.METADATA_OVERLAP);
        }

        private static byte[] u32(int v) {
            return ByteBuffer.allocate(4).putInt(v).array();
        }

        /**
         * The content-preserving fix for an L1 entry whose L2 table is another structure (issue 15): the cluster is copied
         * to a new cluster at the end that becomes the L2 table, so the guest reads what it reads now (QEMU's
         * {@code -r all} keeps reading through the aliased cluster). Entries of the copy that map a data cluster which is
         * metadata are copied out in turn ({@code aliased-copy}, patched inside the new table). Offered, and the default,
         * only when every entry read there is valid: aligned, inside the file, no reserved or compressed bits, and with
         * extended L2 a bitmap valid for its type (spec 3.4); otherwise the copy would not be clean and the drop stays the
         * default. Returns the fix id or -1.
         */
        private int copyTable(Aliases.Table t, String path) throws IOException {
            MetadataClaims claims = a.refs().metadata();
            long fileClusters = g.clustersFor(img.storage().size());
            ByteBuffer table = ByteBuffer.wrap(img.storage().read(t.l2Offset(), (int) g.clusterSize()));
            int size = g.l2EntrySize();
            List<long[]> nested = new ArrayList<>();
            for (int i = 0; i < g.clusterSize() / size; i++) {
                long w = table.getLong(size * i);
                long host = L2Entry.hostOffset(w);
                // Extended L2 (spec 3.4): bit 0 is reserved, and the bitmap must be valid for the entry's type.
                long bm = size == 16 ? table.getLong(size * i + 8) : 0;
                boolean badBitmap = size == 16 && ((w & L2Entry.ZERO) != 0 || (host == 0
                        ? (bm & L2Entry.ALL_ALLOC) != 0 : ((bm >>> 32) & bm) != 0));
                if (w == 0 && !badBitmap || size == 8 && w == L2Entry.ZERO) {
                    continue;
                }
                if ((w & (L2Entry.RESERVED_MASK | L2Entry.COMPRESSED)) != 0 || host == 0 || badBitmap
                        || (host & g.clusterMask()) != 0 || (host >>> g.clusterBits()) >= fileClusters) {
                    return -1;
                }
                if (claims.metadata(host >>> g.clusterBits())) {
                    nested.add(new long[] {i, w});
                }
            }
            long newTable = nextFree;
            nextFree += g.clusterSize();
            // COPIED is the active table's rule; QEMU leaves snapshot L1 entries without it (spec 4.2).
            long entry = newTable | (t.snapshot() < 0 ? L1Entry.COPIED : 0);
            int copy = add(FixKind.COPY_ALIASED_L2_TABLE, path, t.entryOffset(),
                    List.of(Patch.word(t.role(), t.entryOffset(), t.raw(), entry)),
                    "a copy of cluster 0x" + Long.toHexString(t.l2Offset()) + " at 0x" + Long.toHexString(newTable)
                            + " as the L2 table",
                    String.format("%s points at 0x%x as its L2 table, but that cluster is the %s; the copy keeps what "
                            + "the guest reads now", path, t.l2Offset(), t.hit().describe()),
                    t.l1Index() * g.bytesPerL1Entry(), g.bytesPerL1Entry(), -1, true);
            copiedOut.add(t.l2Offset() >>> g.clusterBits());
            for (long[] e : nested) {
                long at = newTable + size * e[0];
                long host = L2Entry.hostOffset(e[1]);
                long nw = (e[1] & ~L2Entry.OFFSET_MASK) | nextFree | L2Entry.COPIED;
                add(FixKind.COPY_ALIASED_DATA, path + " -> L2@0x" + Long.toHexString(newTable) + "[" + e[0] + "]", at,
                        List.of(Patch.word(HostClusterRole.L2_TABLE, at, e[1], nw)), "a copy of cluster 0x"
                                + Long.toHexString(host) + " at 0x" + Long.toHexString(nextFree),
                        String.format("the copied L2 table maps guest 0x%x to host cluster 0x%x, which is metadata; the "
                                + "copy keeps what the guest reads now", t.l1Index() * g.bytesPerL1Entry()
                                + e[0] * g.clusterSize(), host), t.l1Index() * g.bytesPerL1Entry() + e[0] * g.clusterSize(),
                        g.clusterSize(), -1, true);
                nextFree += g.clusterSize();
                copiedOut.add(host >>> g.clusterBits());
            }
            return copy;
        }

        /** Patches that make an L2 entry unallocated: both words with extended L2. */
        private List<Patch> dropEntry(long entryAt, long word0) throws IOException {
            List<Patch> drop = new ArrayList<>();
            drop.add(Patch.word(HostClusterRole.L2_TABLE, entryAt, word0, 0));
            if (g.l2EntrySize() == 16) {
                long bm = ByteBuffer.wrap(img.storage().read(entryAt + 8, 8)).getLong();
                if (bm != 0) {
                    drop.add(Patch.word(HostClusterRole.L2_TABLE, entryAt + 8, bm, 0));
                }
            }
            return drop;
        }

        private int add(FixKind kind, String path, long at, List<Patch> patches, String structure, String why,
                long guest, long length, int alternativeTo, boolean selected) {
            int id = fixes.size();
            fixes.add(new Fix(id, kind, path, at, patches, structure, why, guest, length, alternativeTo, selected));
            return id;
        }

        List<Finding> unfixable() {
            List<Finding> out = new ArrayList<>();
            for (Finding f : a.check().findings()) {
                if (f.severity() != Severity.WARNING && (!answered.contains(f.kind())
                        || f.kind() == FindingKind.REFERENCE_PAST_EOF && unplannedPastEnd.contains(f.byteOffset())
                        && !aliases.covers(f.path()))) {
                    out.add(f);
                }
            }
            return out;
        }

        void snapshotTable() {
            List<Finding> snap = a.check().findings().stream().filter(f -> f.kind() == FindingKind.SNAPSHOT_INCOMPLETE
                    || f.kind() == FindingKind.SNAPSHOT_COUNT_TOO_LARGE
                    || f.kind() == FindingKind.SNAPSHOT_TABLE_UNREADABLE && img.snapshotError() == null).toList();
            if (snap.isEmpty() || aliases.snapshotTable() != null) {
                snap.forEach(f -> answered.add(f.kind()));
                return;
            }
            answered.add(FindingKind.SNAPSHOT_INCOMPLETE);
            answered.add(FindingKind.SNAPSHOT_COUNT_TOO_LARGE);
            add(FixKind.REWRITE_SNAPSHOT_TABLE, "snapshot table", img.header().snapshotsOffset(), List.of(),
                    img.snapshots().size() + " entries with their VM state size, disk size and icount as extra data, "
                            + "written at the end of the file; header bytes 60..71 then point at it",
                    snap.size() + " snapshot table problem(s): " + snap.get(0).message(), -1, 0, -1, true);
        }

        void entries() throws IOException {
            for (Finding f : a.check().findings()) {
                if (coveredByAlias(f)) {
                    continue;
                }
                switch (f.kind()) {
                    case L1_RESERVED_BITS -> wordFix(f, l1Role(f), FixKind.CLEAR_RESERVED_BITS,
                            w -> w & ~L1Entry.RESERVED_MASK);
                    case L2_RESERVED_BITS -> wordFix(f, HostClusterRole.L2_TABLE, FixKind.CLEAR_RESERVED_BITS,
                            w -> w & ~L2Entry.RESERVED_MASK);
                    case COMPRESSED_COPIED -> {
                        if (compressedPastEnd(f)) {
                            answered.add(f.kind()); // the drop below answers it
                        } else {
                            wordFix(f, HostClusterRole.L2_TABLE, FixKind.CLEAR_COMPRESSED_COPIED,
                                    w -> w & ~L2Entry.COPIED);
                        }
                    }
                    case L2_TABLE_UNALIGNED -> wordFix(f, l1Role(f), FixKind.DROP_UNALIGNED_ENTRY, w -> 0L);
                    case DATA_UNALIGNED -> entryFix(f, FixKind.DROP_UNALIGNED_ENTRY, (w, bm) -> new long[]{0, 0}, -1);
                    case PREALLOCATED_UNALIGNED -> entryFix(f, FixKind.PREALLOCATED_TO_ZERO, g.extendedL2()
                            ? (w, bm) -> new long[]{0, ((bm >>> 32) | (bm & L2Entry.ALL_ALLOC)) << 32}
                            : (w, bm) -> new long[]{L2Entry.ZERO, bm}, -1);
                    case COMPRESSED_WITH_BITMAP -> entryFix(f, compressedPastEnd(f) ? FixKind.DROP_PAST_EOF_REFERENCE
                            : FixKind.CLEAR_COMPRESSED_BITMAP, compressedPastEnd(f) ? (w, bm) -> new long[]{0, 0}
                            : (w, bm) -> new long[]{w, 0}, -1);
                    case UNALLOCATED_WITH_ALLOC_BITS -> entryFix(f, FixKind.CLEAR_ALLOC_BITS,
                            (w, bm) -> new long[]{w, bm & ~L2Entry.ALL_ALLOC}, -1);
                    case SUBCLUSTER_ALLOC_ZERO_OVERLAP -> {
                        int dataWins = entryFix(f, FixKind.SUBCLUSTERS_DATA_WINS,
                                (w, bm) -> new long[]{w, bm & ~((bm & L2Entry.ALL_ALLOC) << 32)}, -1);
                        entryFix(f, FixKind.SUBCLUSTERS_ZERO_WINS, (w, bm) -> new long[]{w, bm & ~(bm >>> 32)},
                                dataWins);
                    }
                    default -> {
                    }
                }
            }
        }

        /**
         * An extended compressed entry with a bitmap whose stream lies past the end of the file: QEMU's check stops at the
         * bitmap and never counts the reference (spec 5.2), so clearing the bitmap would reveal it; the entry is dropped.
         */
        private boolean compressedPastEnd(Finding f) throws IOException {
            if (!g.extendedL2() || f.byteOffset() < 0) {
                return false;
            }
            long w = l2Word0(f.byteOffset());
            if (!L2Entry.isCompressed(w)) {
                return false;
            }
            io.qcowscope.engine.format.CompressedDescriptor d = io.qcowscope.engine.format.CompressedDescriptor.decode(w,
                    g.clusterBits());
            return d.hostOffset() + d.compressedSize() - img.storage().size() >= g.clusterSize();
        }

        private interface EntryChange {
            long[] apply(long word0, long bitmap);
        }

        /** The L1 table a finding's entry lies in: a snapshot's when its path says so. */
        private static HostClusterRole l1Role(Finding f) {
            return f.path() != null && f.path().startsWith("snapshot") ? HostClusterRole.SNAPSHOT_L1
                    : HostClusterRole.ACTIVE_L1;
        }

        /** A fix of one 8-byte word at the finding's offset (an L1 entry or a standard L2 descriptor). */
        private void wordFix(Finding f, HostClusterRole into, FixKind kind, java.util.function.LongUnaryOperator change)
                throws IOException {
            if (f.byteOffset() < 0) {
                return;
            }
            long w = ByteBuffer.wrap(img.storage().read(f.byteOffset(), 8)).getLong();
            long nw = change.applyAsLong(w);
            if (nw == w) {
                return;
            }
            answered.add(f.kind());
            add(kind, f.path(), f.byteOffset(), List.of(Patch.word(into, f.byteOffset(), w, nw)), null, f.message(),
                    f.guestOffset(), f.guestLength(), -1, true);
        }

        /** A fix of an L2 entry: both words with extended L2. */
        private int entryFix(Finding f, FixKind kind, EntryChange change, int alternativeTo) throws IOException {
            if (f.byteOffset() < 0) {
                return -1;
            }
            int len = g.l2EntrySize();
            L2Table t = tableHolding(f.byteOffset());
            int i = indexIn(t, f.byteOffset());
            long w = t.word0(i);
            long bm = t.bitmap(i);
            long[] n = change.apply(w, bm);
            List<Patch> p = new ArrayList<>();
            if (n[0] != w) {
                p.add(Patch.word(HostClusterRole.L2_TABLE, f.byteOffset(), w, n[0]));
            }
            if (len == 16 && n[1] != bm) {
                p.add(Patch.word(HostClusterRole.L2_TABLE, f.byteOffset() + 8, bm, n[1]));
            }
            if (p.isEmpty()) {
                return -1;
            }
            answered.add(f.kind());
            return add(kind, f.path(), f.byteOffset(), p, null, f.message(), f.guestOffset(),
                    Math.max(f.guestLength(), g.clusterSize()), alternativeTo, alternativeTo < 0);
        }

        /** The L2 table (read through the mapping layer) holding the entry at host offset {@code entryAt}. */
        private L2Table tableHolding(long entryAt) throws IOException {
            return img.l2Table(g.startOfCluster(entryAt));
        }

        private int indexIn(L2Table t, long entryAt) {
            return (int) ((entryAt - t.offset()) / g.l2EntrySize());
        }

        /** The descriptor word of the L2 entry at host offset {@code entryAt}. */
        private long l2Word0(long entryAt) throws IOException {
            L2Table t = tableHolding(entryAt);
            return t.word0(indexIn(t, entryAt));
        }

        /** References QEMU refuses to count because they reach past the end of the file (spec 5.2, 9.21). */
        void pastEnd() throws IOException {
            long fileLength = img.storage().size();
            for (ReferenceCollector.PastEnd r : a.refs().pastEnd()) {
                if (aliases.covers(Owner.describe(r.role(), r.owner()))) {
                    answered.add(FindingKind.REFERENCE_PAST_EOF);
                    continue;
                }
                if (snapshotPastEnd(r)) {
                    answered.add(FindingKind.REFERENCE_PAST_EOF);
                    continue;
                }
                long entryAt = entryOffset(r.role(), r.owner());
                boolean isTable = r.role() == HostClusterRole.L2_TABLE || r.role() == HostClusterRole.SNAPSHOT_L2_TABLE;
                // An "L2 entry" inside exclusive metadata was read through a bad L1 entry: that entry is the damage.
                if (entryAt < 0 || !isTable && a.refs().metadata().exclusive(entryAt >>> g.clusterBits())) {
                    if (entryAt < 0) {
                        unplannedPastEnd.add(r.offset()); // a snapshot table or L1, a refcount block, ...: no fix here
                    }
                    continue;
                }
                List<Patch> drop = isTable ? List.of(Patch.word(Owner.table(r.owner()) == 0 ? HostClusterRole.ACTIVE_L1
                        : HostClusterRole.SNAPSHOT_L1, entryAt, ByteBuffer.wrap(img.storage().read(entryAt, 8)).getLong(),
                        0)) : dropEntry(entryAt, l2Word0(entryAt));
                long guest = guestOf(r.owner(), isTable);
                long guestLen = isTable ? g.bytesPerL1Entry() : g.clusterSize();
                String path = Owner.describe(r.role(), r.owner());
                String why = String.format("%s points at 0x%x, %d bytes past the end of the file", path, r.offset(),
                        r.offset() + r.size() - fileLength);
                answered.add(FindingKind.REFERENCE_PAST_EOF);
                long end = g.startOfCluster(r.offset() + r.size() - 1) + g.clusterSize();
                String drops = why + "; reads then fall through to the backing file or zeros";
                if (end - fileLength > MAX_EXTENSION) {
                    add(FixKind.DROP_PAST_EOF_REFERENCE, path, entryAt, drop, null, drops, guest, guestLen, -1, true);
                    continue;
                }
                // A file cut short (the common case): growing it keeps what the guest reads (zeros, as QEMU reads past
                // the end), so that is the default; far past the end, dropping the entry is (issue 15).
                boolean extendFirst = end - fileLength <= Math.max(MODEST_EXTENSION, fileLength);
                String grows = "the file grows to " + end + " bytes with zeros (sparse)";
                String keeps = why + "; the range keeps reading zeros";
                if (extendFirst) {
                    int id = add(FixKind.EXTEND_FILE, path, fileLength, List.of(), grows, keeps, guest, guestLen, -1, true);
                    add(FixKind.DROP_PAST_EOF_REFERENCE, path, entryAt, drop, null, drops, guest, guestLen, id, false);
                } else {
                    int id = add(FixKind.DROP_PAST_EOF_REFERENCE, path, entryAt, drop, null, drops, guest, guestLen, -1,
                            true);
                    add(FixKind.EXTEND_FILE, path, fileLength, List.of(), grows, keeps, guest, guestLen, id, false);
                }
            }
        }

        /**
         * A snapshot table or snapshot L1 table past the end of the file: nothing there to read, so the snapshot table is
         * forgotten, or that one snapshot (changes-guest-data: snapshots are lost, the active disk reads as before).
         */
        private boolean snapshotPastEnd(ReferenceCollector.PastEnd r) throws IOException {
            String why = String.format("%s lies at 0x%x, past the end of the file", r.role() == HostClusterRole
                    .SNAPSHOT_TABLE ? "the snapshot table" : Owner.describe(r.role(), r.owner()) + " of the snapshot",
                    r.offset());
            if (r.role() == HostClusterRole.SNAPSHOT_TABLE && aliases.snapshotTable() == null) {
                if (fixes.stream().noneMatch(f -> f.kind() == FixKind.DROP_SNAPSHOT_TABLE)) {
                    add(FixKind.DROP_SNAPSHOT_TABLE, "header.nb_snapshots, header.snapshots_offset", 60,
                            List.of(new Patch(60, img.storage().read(60, 12), new byte[12], HostClusterRole.HEADER)),
                            null, why + "; its snapshots cannot be read", -1, 0, -1, true);
                }
                return true;
            }
            int snapshot = Owner.table(r.owner()) - 1;
            if (r.role() == HostClusterRole.SNAPSHOT_L1 && snapshot >= 0 && snapshot < img.snapshots().size()
                    && aliases.snapshotTable() == null) {
                String path = "snapshot[" + img.snapshots().get(snapshot).index() + "]";
                if (fixes.stream().noneMatch(f -> f.kind() == FixKind.DROP_SNAPSHOT && f.path().equals(path))) {
                    add(FixKind.DROP_SNAPSHOT, path, r.offset(), List.of(), "the snapshot table without " + path
                            + ", written at the end of the file; header bytes 60..71 then point at it", why, -1, 0,
                            -1, true);
                }
                return true;
            }
            return false;
        }

        private long entryOffset(HostClusterRole role, long owner) throws IOException {
            int table = Owner.table(owner);
            long l1Offset;
            long l1Size;
            if (table == 0) {
                l1Offset = img.header().l1TableOffset();
                l1Size = img.l1Size();
            } else {
                if (table - 1 >= img.snapshots().size()) {
                    return -1;
                }
                SnapshotEntry s = img.snapshots().get(table - 1);
                l1Offset = s.l1TableOffset();
                l1Size = s.l1Size();
            }
            long l1Index = Owner.l1Index(owner);
            if (l1Index >= l1Size) {
                return -1;
            }
            long l1At = l1Offset + 8 * l1Index;
            int l2Index = Owner.l2Index(owner);
            if (role == HostClusterRole.L2_TABLE || role == HostClusterRole.SNAPSHOT_L2_TABLE) {
                return l1At;
            }
            if (role != HostClusterRole.DATA && role != HostClusterRole.COMPRESSED || l2Index < 0) {
                return -1;
            }
            long l2 = L1Entry.l2Offset(ByteBuffer.wrap(img.storage().read(l1At, 8)).getLong());
            return l2 == 0 || (l2 & g.clusterMask()) != 0 ? -1 : l2 + (long) l2Index * g.l2EntrySize();
        }

        private long guestOf(long owner, boolean table) {
            long base = Owner.l1Index(owner) * g.bytesPerL1Entry();
            return table ? base : base + ((long) Owner.l2Index(owner) << g.clusterBits());
        }

        /** Leaks, too-low refcounts, or a rebuild (spec 5.3-5.5); recomputed at apply time after the entry fixes. */
        void refcounts() throws IOException {
            CheckResult r = a.check();
            if (r.rebuildNeeded()) {
                for (FindingKind k : List.of(FindingKind.REFCOUNT_ZERO, FindingKind.REFCOUNT_TOO_LOW,
                        FindingKind.LEAKED_CLUSTER, FindingKind.REFTABLE_RESERVED_BITS, FindingKind.REFBLOCK_UNALIGNED,
                        FindingKind.REFBLOCK_OUTSIDE_IMAGE, FindingKind.REFBLOCK_SHARED)) {
                    answered.add(k);
                }
                long problems = r.findings().stream().filter(f -> answered.contains(f.kind())).count();
                add(FixKind.REBUILD_REFCOUNTS, "refcount table", img.header().refcountTableOffset(), List.of(),
                        "new refcount blocks and table past the end of the file, computed from the references found; "
                                + "header bytes 48..59 then point at them; the old structure is abandoned",
                        problems + " refcount problem(s) that only a rebuild mends", -1, 0, -1, true);
                return;
            }
            for (Finding f : r.findings()) {
                if (f.kind() != FindingKind.LEAKED_CLUSTER && f.kind() != FindingKind.REFCOUNT_TOO_LOW
                        && f.kind() != FindingKind.REFBLOCK_OUTSIDE_IMAGE) {
                    continue;
                }
                if (f.kind() == FindingKind.REFBLOCK_OUTSIDE_IMAGE) {
                    answered.add(f.kind());
                    add(FixKind.REBUILD_REFCOUNTS, f.path(), f.byteOffset(), List.of(), "new refcount blocks and table "
                            + "past the end of the file", f.message(), -1, 0, -1, true);
                    continue;
                }
                if (f.kind() == FindingKind.REFCOUNT_TOO_LOW && copiedOut.contains(f.hostCluster())) {
                    answered.add(f.kind());
                    continue;
                }
                long refs = a.refs().get(f.hostCluster());
                Patch p = RefcountEntryPatch.of(img.refcounts(), g, f.hostCluster(), refs);
                if (p == null) {
                    continue;
                }
                answered.add(f.kind());
                add(f.kind() == FindingKind.LEAKED_CLUSTER ? FixKind.FREE_LEAK : FixKind.RAISE_REFCOUNT,
                        "refcount of " + f.path(), p.offset(), List.of(p), null, f.message(), -1, 0, -1, true);
            }
        }

        /**
         * A data cluster two active entries share while its refcount says one (or cannot say two: refcount overflow):
         * copying it gives each entry its own cluster with the same bytes. The alternative to raising the refcount; the
         * only fix when the refcount width cannot hold the count.
         */
        void unshare() throws IOException {
            java.util.Map<Long, Finding> targets = new java.util.HashMap<>();
            // References past the refcount width are not counted (spec 5.2): add them back.
            java.util.Map<Long, Long> overflowed = new java.util.HashMap<>();
            for (Finding f : a.check().findings()) {
                if ((f.kind() == FindingKind.REFCOUNT_TOO_LOW || f.kind() == FindingKind.REFCOUNT_OVERFLOW)
                        && f.hostCluster() >= 0) {
                    targets.put(f.hostCluster(), f);
                }
                if (f.kind() == FindingKind.REFCOUNT_OVERFLOW && f.hostCluster() >= 0) {
                    overflowed.merge(f.hostCluster(), 1L, Long::sum);
                }
            }
            if (targets.isEmpty() || !img.snapshots().isEmpty()) {
                return;
            }
            java.util.Map<Long, List<SharedClusters.EntryRef>> users = SharedClusters.find(img, targets.keySet());
            long next = nextFree;
            for (java.util.Map.Entry<Long, List<SharedClusters.EntryRef>> e : users.entrySet()) {
                List<SharedClusters.EntryRef> refs = e.getValue();
                long found = a.refs().get(e.getKey()) + overflowed.getOrDefault(e.getKey(), 0L);
                if (refs.size() < 2 || refs.size() != found) {
                    continue;
                }
                Finding f = targets.get(e.getKey());
                int raise = -1;
                for (Fix x : fixes) {
                    if (x.kind() == FixKind.RAISE_REFCOUNT && x.why().equals(f.message())) {
                        raise = x.id();
                    }
                }
                List<Patch> patches = new ArrayList<>();
                for (SharedClusters.EntryRef r : refs.subList(1, refs.size())) {
                    long nw = (r.word0() & ~L2Entry.OFFSET_MASK) | next | L2Entry.COPIED;
                    patches.add(Patch.word(HostClusterRole.L2_TABLE, r.entryOffset(), r.word0(), nw));
                    next += g.clusterSize();
                }
                answered.add(f.kind());
                add(FixKind.UNSHARE_CLUSTER, refs.get(1).path(), refs.get(1).entryOffset(), patches,
                        (refs.size() - 1) + " copy(ies) of cluster " + e.getKey() + " at the end of the file",
                        f.message() + "; shared by " + refs.size() + " active entries", refs.get(1).guestOffset(),
                        g.clusterSize(), raise, raise < 0);
            }
        }

        /** COPIED judged against the references found, which is what the refcounts will be after the fixes above. */
        void copied(ProgressMonitor monitor) throws IOException {
            boolean reported = a.check().findings().stream().anyMatch(f -> f.kind() == FindingKind.COPIED_L1
                    || f.kind() == FindingKind.COPIED_L2);
            List<CopiedPatches.Flip> flips = CopiedPatches.compute(img, c -> a.refs().get(c), monitor);
            if (reported) {
                answered.add(FindingKind.COPIED_L1);
                answered.add(FindingKind.COPIED_L2);
            }
            for (CopiedPatches.Flip f : flips) {
                if (aliases.covers(f.path())) {
                    continue;
                }
                add(FixKind.FIX_COPIED, f.path(), f.patch().offset(), List.of(f.patch()), null,
                        "OFLAG_COPIED must be " + ((f.patch().after()[0] & 0x80) != 0 ? "set" : "clear")
                                + ": the cluster has " + (((f.patch().after()[0] & 0x80) != 0) ? "one reference"
                                : "other references"), f.guestOffset(), f.guestLength(), -1, true);
            }
        }

        void headerBits() {
            if (img.header().dirty()) {
                add(FixKind.CLEAR_DIRTY_BIT, "header.incompatible_features bit 0", 72, List.of(), null,
                        "the dirty bit is set (lazy refcounts); cleared once the re-check finds no corruption", -1, 0,
                        -1, true);
            }
            if (img.header().corrupt()) {
                add(FixKind.CLEAR_CORRUPT_BIT, "header.incompatible_features bit 1", 72, List.of(), null,
                        "the corrupt bit is set; cleared once the re-check finds no corruption", -1, 0, -1, true);
            }
        }
    }
}
