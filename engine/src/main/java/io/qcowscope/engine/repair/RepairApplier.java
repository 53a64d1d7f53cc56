package io.qcowscope.engine.repair;

import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.check.FindingKind;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.format.SnapshotTableCodec;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.image.RefcountReader;
import io.qcowscope.engine.io.ImageLocks;
import io.qcowscope.engine.storage.FileStorage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a repair plan (issue 5): to a copy (the original is only read), or in place behind an undo journal written and
 * synced before each change. Under QEMU's write locks. Order: entry fixes, new structures, refcounts (recomputed from the
 * references found after those), OFLAG_COPIED (against the refcounts then on disk), header bits only when the re-check
 * finds no corruption, and a final re-check that the report carries.
 *
 * <p>Two checks keep a repair from making an image worse (issue 15). Every write passes the {@link OverlapGuard}: the
 * plan's patches are all checked before the first is written, later ones before each batch. And when every selected fix
 * claims to keep the guest content ({@code safe}, {@code rewrites-metadata}), the guest content is compared before and
 * after ({@link GuestDigest}). A refused write or a changed content fails the apply: a copy is deleted, an in-place repair
 * is rolled back from its journal, and the exception names the structures or the fix.
 */
public final class RepairApplier {

    /** Where the repair writes. */
    public sealed interface Mode permits ToCopy, InPlace, Journaled {
    }

    /** Repair a copy; {@code target} must not exist. */
    public record ToCopy(Path target) implements Mode {
    }

    /** Repair the image itself; with a journal path, every overwritten byte is journaled first. */
    public record InPlace(Path journal) implements Mode {
    }

    /**
     * Repair the image itself, recording every overwritten byte first into {@code journal}, a journal the caller holds open
     * (it may already hold earlier changes of the same apply, so it is neither closed here nor undone on failure: the
     * caller undoes it). The window's apply runner uses this to put several operations behind one undo.
     */
    public record Journaled(UndoJournal journal) implements Mode {
        public Journaled {
            java.util.Objects.requireNonNull(journal, "journal");
        }
    }

    private RepairApplier() {
    }

    public static RepairReport apply(RepairPlan plan, Mode mode, ProgressMonitor monitor) throws IOException {
        return apply(plan, mode, null, false, monitor);
    }

    /**
     * @param kinds     the fix kinds allowed to act, by {@link FixKind#option()}; null allows every kind the plan selects,
     *                  plus the refcount and COPIED work the selected fixes make necessary
     * @param qemuLeaks {@code qemu-img check -r leaks}: COPIED is fixed only when nothing else is left (spec 5.4)
     */
    static RepairReport apply(RepairPlan plan, Mode mode, Set<String> kinds, boolean qemuLeaks, ProgressMonitor monitor)
            throws IOException {
        Path target;
        Path journalPath = null;
        GuestDigest before = null;
        // Only our own repair vouches for its labels; check -r does what QEMU does.
        boolean verify = kinds == null && !plan.selected().isEmpty()
                && plan.selected().stream().allMatch(f -> f.risk() != RiskLevel.CHANGES_GUEST_DATA);
        // Rescue fixes make the image openable: the guest content is what it reads as once they are written.
        List<Patch> rescue = plan.selected().stream().filter(f -> f.kind().rescue()).flatMap(f -> f.patches().stream())
                .toList();
        if (mode instanceof ToCopy c) {
            try (ImageLocks readers = ImageLocks.acquireForReading(plan.image())) {
                if (verify && rescue.isEmpty()) {
                    before = GuestDigest.of(plan.image(), monitor);
                }
                SparseCopy.copy(plan.image(), c.target());
            }
            target = c.target();
        } else {
            target = plan.image();
            journalPath = mode instanceof InPlace p ? p.journal() : null;
        }
        UndoJournal held = mode instanceof Journaled j ? j.journal() : null;
        try (ImageLocks locks = ImageLocks.acquireForWriting(target)) {
            UndoJournal owned = journalPath == null ? null : UndoJournal.create(target, journalPath);
            RepairReport report;
            try {
                writeRescue(target, owned != null ? owned : held, rescue);
                if (verify && before == null) {
                    before = GuestDigest.of(target, monitor);
                }
                report = new Run(plan, target, journalPath, owned, held, kinds, qemuLeaks, monitor).run();
            } catch (MetadataOverlapException e) {
                throw undone(mode, target, journalPath, e);
            }
            if (before != null && before.complete()) {
                GuestDigest after = GuestDigest.of(target, before, monitor);
                long at = before.firstDifference(after);
                if (at >= 0) {
                    throw undone(mode, target, journalPath, new GuestContentChangedException(at, plan.selected()));
                }
            }
            return report;
        }
    }

    /**
     * The rescue fixes' patches (issue 14), journaled and synced, before anything opens the image: they are what makes it
     * openable. No overlap guard yet (there is no image to build it from); the rescue planner places them.
     */
    private static void writeRescue(Path target, UndoJournal journal, List<Patch> rescue) throws IOException {
        if (rescue.isEmpty()) {
            return;
        }
        try (JournaledStorage s = new JournaledStorage(FileStorage.openReadWrite(target), journal)) {
            s.apply(rescue, "the rescue fixes");
            s.flush();
        }
    }

    /** Takes a failed apply back (the copy deleted, or the journal undone) and returns {@code e} to throw. */
    private static IOException undone(Mode mode, Path target, Path journal, IOException e) {
        try {
            if (mode instanceof ToCopy) {
                java.nio.file.Files.deleteIfExists(target);
                e.addSuppressed(new IOException("the copy " + target + " was deleted"));
            } else if (journal != null && java.nio.file.Files.exists(journal)) {
                UndoJournal.read(journal).undo();
                e.addSuppressed(new IOException("the image was restored from the journal " + journal));
            }
        } catch (IOException u) {
            e.addSuppressed(u);
        }
        return e;
    }

    private static final class Run {
        private final RepairPlan plan;
        private final Path target;
        private final Path journalPath;
        /** A journal the caller holds open ({@link Journaled}), or null. */
        private final UndoJournal held;
        private final Set<String> kinds;
        private final boolean qemuLeaks;
        private final ProgressMonitor monitor;
        private final Map<FixKind, Integer> applied = new EnumMap<>(FixKind.class);
        private long corruptionsFixed;
        private long leaksFixed;
        private boolean structural;

        /** The journal this apply created (closed by the run), or null. */
        private final UndoJournal owned;

        Run(RepairPlan plan, Path target, Path journalPath, UndoJournal owned, UndoJournal held, Set<String> kinds,
                boolean qemuLeaks,
                ProgressMonitor monitor) {
            this.plan = plan;
            this.target = target;
            this.journalPath = journalPath;
            this.owned = owned;
            this.held = held;
            this.kinds = kinds;
            this.qemuLeaks = qemuLeaks;
            this.monitor = monitor;
        }

        /** {@code qemu-img check -r}: the fix kinds are given only there (QemuStyleRepair), and QEMU's rules apply. */
        private boolean qemuRules() {
            return kinds != null;
        }

        private boolean enabled(FixKind k) {
            if (kinds != null) {
                return kinds.contains(k.option());
            }
            boolean inPlan = plan.fixes().stream().anyMatch(f -> f.kind() == k);
            return !inPlan || plan.selects(k);
        }

        RepairReport run() throws IOException {
            CheckResult reCheck;
            try (owned; JournaledStorage s = new JournaledStorage(FileStorage.openReadWrite(target),
                    owned != null ? owned : held)) {
                Geometry g;
                try (Qcow2Image img = open()) {
                    g = img.geometry();
                    requireUnchanged(img);
                    if (qemuRules()) {
                        refuseLikeQemu(s, img);
                    }
                    OverlapGuard guard = OverlapGuard.of(Analysis.of(img, monitor), g.clusterBits(),
                            img.storage().size());
                    s.guard(guard);
                    checkPlanned(guard);
                    if (entryFixes(s)) {
                        // The pointers the entry fixes dropped no longer claim anything.
                        s.flush();
                        try (Qcow2Image now = open()) {
                            s.guard(OverlapGuard.of(Analysis.of(now, monitor), g.clusterBits(), img.storage().size()));
                        }
                    }
                    unshare(s, img);
                    snapshotTable(s, img);
                }
                extendFile(s);
                s.flush();
                if (refcounts(s, g, true)) {
                    // The abandoned structure is now a leak; QEMU frees it without counting it (spec 5.4 step 2).
                    s.flush();
                    try (Qcow2Image now = open()) {
                        // The guard follows the switch: the old table and blocks are free clusters now.
                        s.guard(OverlapGuard.of(Analysis.of(now, monitor), g.clusterBits(), now.storage().size()));
                    }
                    refcounts(s, g, false);
                }
                s.flush();
                copied(s);
                s.flush();
                reCheck = headerBits(s);
                s.flush();
            }
            CheckResult after = reCheck;
            if (after == null) {
                try (Qcow2Image img = open()) {
                    after = Analysis.of(img, monitor).check();
                }
            }
            return new RepairReport(target, journalPath, plan.check(), after, applied, corruptionsFixed, leaksFixed,
                    null);
        }

        private Qcow2Image open() throws IOException {
            return Qcow2Image.open(target, OpenOptions.readOnly().withCheckMode(true).withBackingChain(false));
        }

        private void count(FixKind k, int n) {
            if (n > 0) {
                applied.merge(k, n, Integer::sum);
            }
        }

        /** The plan's bytes must still be there: a plan made before someone else wrote is refused. */
        private void requireUnchanged(Qcow2Image img) throws IOException {
            for (Fix f : plan.selected()) {
                for (Patch p : f.patches()) {
                    if (p.offset() >= img.storage().size()) {
                        continue; // inside an L2 table the apply copies out first (aliased-table-copy)
                    }
                    byte[] now = img.storage().read(p.offset(), p.length());
                    if (!Arrays.equals(now, p.before()) && !Arrays.equals(now, p.after())) {
                        throw new Qcow2Exception(Structure.REPAIR_PLAN, p.offset(), "the image changed since the plan was made "
                                + "(fix " + f.id() + ", " + f.path() + "); make a new plan");
                    }
                }
            }
        }

        /** Fix kinds whose plan patches are recomputed or completed at apply time, not written as planned. */
        private static boolean recomputed(FixKind k) {
            return switch (k) {
                case FREE_LEAK, RAISE_REFCOUNT, FIX_COPIED, REBUILD_REFCOUNTS, REWRITE_SNAPSHOT_TABLE, DROP_SNAPSHOT,
                        EXTEND_FILE,
                        CLEAR_DIRTY_BIT, CLEAR_CORRUPT_BIT -> true;
                default -> false;
            };
        }

        /** Every patch of the plan this run writes, checked before anything is written (issue 15). */
        private void checkPlanned(OverlapGuard guard) throws MetadataOverlapException {
            for (Fix f : plan.selected()) {
                if (!recomputed(f.kind()) && !f.kind().rescue() && enabled(f.kind())) {
                    guard.check(f.patches(), name(f));
                }
            }
        }

        private static String name(Fix f) {
            return "fix " + f.id() + " (" + f.kind().option() + ", " + f.path() + ")";
        }

        /** Returns true when it wrote anything. */
        private boolean entryFixes(JournaledStorage s) throws IOException {
            List<Patch> batch = new ArrayList<>();
            for (Fix f : plan.selected()) {
                switch (f.kind()) {
                    case UNSHARE_CLUSTER, COPY_ALIASED_DATA, COPY_ALIASED_L2_TABLE -> {
                    }
                    default -> {
                        if (f.kind().rescue()) {
                            count(f.kind(), 1); // written before the open; the refcounts follow them
                            structural = true;
                            continue;
                        }
                        if (recomputed(f.kind()) || !enabled(f.kind())) {
                            continue;
                        }
                        batch.addAll(f.patches());
                        count(f.kind(), 1);
                        if (f.kind().qemuRepairs()) {
                            corruptionsFixed++;
                        }
                        structural = true;
                    }
                }
            }
            if (!batch.isEmpty()) {
                s.apply(batch, "the entry fixes");
            }
            return !batch.isEmpty();
        }

        /**
         * Copies each shared cluster to a new cluster at the end of the file, synced, before the entry is pointed at the
         * copy (data before the entry that exposes it, spec B.3).
         */
        private void unshare(JournaledStorage s, Qcow2Image img) throws IOException {
            boolean any = false;
            for (FixKind k : List.of(FixKind.UNSHARE_CLUSTER, FixKind.COPY_ALIASED_DATA, FixKind.COPY_ALIASED_L2_TABLE)) {
                any |= plan.selects(k) && enabled(k);
            }
            if (!any) {
                return;
            }
            Geometry g = img.geometry();
            long end = s.size();
            long next = g.startOfCluster(end + g.clusterSize() - 1);
            // Planned address of a copied L2 table -> where it lands now; entries planned inside it follow it.
            Map<Long, Long> tables = new java.util.HashMap<>();
            List<Patch> entries = new ArrayList<>();
            for (Fix f : plan.selected()) {
                if (f.kind() != FixKind.UNSHARE_CLUSTER && f.kind() != FixKind.COPY_ALIASED_DATA
                        && f.kind() != FixKind.COPY_ALIASED_L2_TABLE || !enabled(f.kind())) {
                    continue;
                }
                for (int k = 0; k < f.patches().size(); k++) {
                    Patch p = f.patches().get(k);
                    long at = p.offset();
                    if (f.kind() == FixKind.COPY_ALIASED_L2_TABLE && k > 0) {
                        // An entry the new table reads differently from the copied bytes (DataAsTable): no cluster of
                        // its own to copy.
                        Long moved = tables.get(g.startOfCluster(at));
                        if (moved != null) {
                            entries.add(new Patch(moved + (at - g.startOfCluster(at)), p.before(), p.after(), p.into()));
                        }
                        continue;
                    }
                    if (at >= end) {
                        Long moved = tables.get(g.startOfCluster(at));
                        if (moved == null) {
                            continue; // an entry of a copied L2 table whose copy this run does not make
                        }
                        at = moved + (at - g.startOfCluster(at));
                    }
                    long old = ByteBuffer.wrap(p.before()).getLong();
                    byte[] data = img.storage().read(io.qcowscope.engine.format.L2Entry.hostOffset(old),
                            (int) g.clusterSize());
                    s.write(next, data, 0, data.length);
                    long nw = (ByteBuffer.wrap(p.after()).getLong() & ~io.qcowscope.engine.format.L2Entry.OFFSET_MASK)
                            | next;
                    if (f.kind() == FixKind.COPY_ALIASED_L2_TABLE) {
                        tables.put(io.qcowscope.engine.format.L2Entry.hostOffset(ByteBuffer.wrap(p.after()).getLong()),
                                next);
                    }
                    entries.add(Patch.word(p.into(), at, old, nw));
                    next += g.clusterSize();
                }
                count(f.kind(), 1);
            }
            s.flush();
            s.apply(entries, "the copied clusters' entries");
            structural = true;
        }

        /** Writes the snapshot table anew past the end, then points the header at it (spec 4.4, 5.1 phase 3). */
        private void snapshotTable(JournaledStorage s, Qcow2Image img) throws IOException {
            boolean rewrite = plan.selects(FixKind.REWRITE_SNAPSHOT_TABLE) && enabled(FixKind.REWRITE_SNAPSHOT_TABLE);
            // Snapshots whose L1 table lies inside another structure (issue 15): the table is written without them.
            Set<String> dropped = new java.util.HashSet<>();
            if (enabled(FixKind.DROP_SNAPSHOT)) {
                plan.selected().stream().filter(f -> f.kind() == FixKind.DROP_SNAPSHOT).forEach(f -> dropped.add(f.path()));
            }
            if (!rewrite && dropped.isEmpty()) {
                return;
            }
            Geometry g = img.geometry();
            List<SnapshotEntry> entries = img.snapshots().stream()
                    .filter(e -> !dropped.contains("snapshot[" + e.index() + "]")).toList();
            if (entries.size() > Limits.MAX_SNAPSHOTS) {
                entries = entries.subList(0, (int) Limits.MAX_SNAPSHOTS);
            }
            ByteArrayOutputStream table = new ByteArrayOutputStream();
            for (SnapshotEntry e : entries) {
                ByteBuffer extra = ByteBuffer.allocate(24);
                extra.putLong(e.vmStateSize()).putLong(e.diskSize()).putLong(e.icount());
                SnapshotEntry fixed = new SnapshotEntry(e.index(), 0, 0, e.l1TableOffset(), e.l1Size(), e.id(),
                        e.name(), e.dateSec(), e.dateNsec(), e.vmClockNsec(), e.vmStateSize32(), 24, e.vmStateSize(),
                        e.diskSize(), e.icount(), extra.array());
                table.writeBytes(SnapshotTableCodec.encode(fixed));
            }
            byte[] bytes = table.toByteArray();
            long at = g.startOfCluster(s.size() + g.clusterSize() - 1);
            if (bytes.length > 0) {
                s.write(at, bytes, 0, bytes.length);
            }
            s.flush();
            ByteBuffer h = ByteBuffer.allocate(12);
            h.putInt(0, entries.size()).putLong(4, bytes.length == 0 ? 0 : at);
            s.write(60, h.array(), 0, 12);
            long problems = plan.check().findings().stream().filter(f -> f.kind() == FindingKind.SNAPSHOT_INCOMPLETE
                    || f.kind() == FindingKind.SNAPSHOT_COUNT_TOO_LARGE).count();
            if (rewrite) {
                corruptionsFixed += problems;
                count(FixKind.REWRITE_SNAPSHOT_TABLE, 1);
            }
            count(FixKind.DROP_SNAPSHOT, dropped.size());
            structural = true;
        }

        private void extendFile(JournaledStorage s) throws IOException {
            long end = -1;
            for (Fix f : plan.selected()) {
                if (f.kind() == FixKind.EXTEND_FILE && enabled(f.kind())) {
                    String d = f.newStructure();
                    end = Math.max(end, Long.parseLong(d.substring(d.indexOf("to ") + 3, d.indexOf(" bytes"))));
                }
            }
            if (end > s.size()) {
                s.truncate(end);
                count(FixKind.EXTEND_FILE, 1);
                structural = true;
            }
        }

        /** Refcounts from the references found now: entry by entry, or a whole new structure (spec 5.3-5.5). */
        /** Returns true when it rebuilt the structure; {@code counted} false frees leaks without counting them. */
        private boolean refcounts(JournaledStorage s, Geometry g, boolean counted) throws IOException {
            boolean leaks = enabled(FixKind.FREE_LEAK) || structural || !counted;
            boolean raise = counted && (enabled(FixKind.RAISE_REFCOUNT) || structural);
            boolean rebuild = counted && (enabled(FixKind.REBUILD_REFCOUNTS) || structural && kinds == null);
            if (!leaks && !raise && !rebuild) {
                return false;
            }
            try (Qcow2Image img = open()) {
                Analysis a = Analysis.of(img, monitor);
                RefcountReader rc = img.refcounts();
                // The check's count reaches past a last partial cluster where a reference overhangs the end (spec 5.2).
                long clusters = Math.max(g.clustersFor(img.storage().size()), a.refs().clusterCount());
                java.util.LinkedHashMap<Long, byte[]> blocks = new java.util.LinkedHashMap<>();
                long raised = 0;
                long lowered = 0;
                FreedClusters freed = new FreedClusters();
                // A refcount block outside the file: QEMU grows the file there; a rebuild mends it as well.
                boolean needRebuild = a.check().rebuildNeeded() || a.check().findings().stream()
                        .anyMatch(f -> f.kind() == FindingKind.REFBLOCK_OUTSIDE_IMAGE);
                for (long c = 0; c < clusters && !needRebuild; c++) {
                    long d = rc.refcount(c);
                    long r = a.refs().get(c);
                    if (d == r || Long.compareUnsigned(r, g.refcountMax()) > 0) {
                        continue;
                    }
                    if (d < r ? !raise : !leaks) {
                        continue;
                    }
                    long block = RefcountEntryPatch.blockOf(rc, g, c);
                    if (block <= 0) {
                        needRebuild = true;
                        break;
                    }
                    byte[] work = blocks.computeIfAbsent(block, b -> {
                        try {
                            return rc.block(b).clone();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                    io.qcowscope.engine.format.RefcountBlockCodec.set(work, c & (g.refblockEntries() - 1),
                            g.refcountOrder(), r);
                    if (d < r) {
                        raised++;
                    } else {
                        lowered++;
                        if (r == 0 && qemuRules()) {
                            freed.add(c);
                        }
                    }
                    if ((c & 0xFFFF) == 0) {
                        monitor.checkCancelled();
                    }
                }
                List<Patch> batch = new ArrayList<>();
                for (Map.Entry<Long, byte[]> e : blocks.entrySet()) {
                    batch.add(new Patch(e.getKey(), rc.block(e.getKey()), e.getValue(),
                            io.qcowscope.engine.host.HostClusterRole.REFCOUNT_BLOCK));
                }
                if (needRebuild) {
                    if (!rebuild || qemuLeaks) {
                        return false;
                    }
                    if (qemuRules()) {
                        List<Long> grown = growOverOutsideBlocks(s, g, a.check());
                        corruptionsFixed += grown.size();
                        // first free clusters, as qemu-img places them
                        QemuRefcountRebuild.rebuild(s, g, withGrownBlocks(a.refs(), grown, g.clustersFor(s.size())));
                    } else {
                        RefcountRebuilder.rebuild(s, g, a.refs()); // past the end: our own repair's safer placement
                    }
                    corruptionsFixed += a.check().findings().stream().filter(f -> isRefcountCorruption(f)).count();
                    leaksFixed += a.check().leaks();
                    count(FixKind.REBUILD_REFCOUNTS, 1);
                    return true;
                }
                // Whole refcount blocks, a few at a time so the journal batches stay bounded.
                for (int i = 0; i < batch.size(); i += 64) {
                    s.apply(batch.subList(i, Math.min(batch.size(), i + 64)), "the refcount update");
                }
                if (!freed.isEmpty()) {
                    s.flush();
                    freed.discard(s, g);
                }
                if (counted) {
                    corruptionsFixed += raised;
                    leaksFixed += lowered;
                    count(FixKind.RAISE_REFCOUNT, (int) raised);
                    count(FixKind.FREE_LEAK, (int) lowered);
                }
                return false;
            }
        }

        /**
         * QEMU's check_refblocks with BDRV_FIX_ERRORS: a refcount block past the end of the file is mended by growing the
         * file over it (bdrv_truncate to the block's end, a sparse hole), and each growth that succeeds counts as one
         * more corruption fixed; where it fails (too large for the file system, or past 2^63) QEMU rebuilds instead.
         */
        private List<Long> growOverOutsideBlocks(JournaledStorage s, Geometry g, CheckResult r) throws IOException {
            List<Long> grown = new ArrayList<>();
            for (Finding f : r.findings()) {
                if (f.kind() != FindingKind.REFBLOCK_OUTSIDE_IMAGE || f.found() == null) {
                    continue;
                }
                long offset = f.found();
                if (offset < 0 || offset > Long.MAX_VALUE - g.clusterSize() || offset < s.size()) {
                    continue;
                }
                try {
                    s.truncate(offset + g.clusterSize());
                    grown.add(offset >>> g.clusterBits());
                } catch (IOException e) {
                    // "ERROR could not resize image": the rebuild mends it alone
                }
            }
            return grown;
        }

        /**
         * The references QEMU's rebuild starts from after such growths: the file's clusters, and one reference on each
         * grown block (check_refblocks counts it once the file covers it), so no new block lands there.
         */
        private static ReferenceCounts withGrownBlocks(ReferenceCounts refs, List<Long> grown, long fileClusters) {
            if (grown.isEmpty()) {
                return refs;
            }
            java.util.Set<Long> blocks = new java.util.HashSet<>(grown);
            long count = Math.max(refs.clusterCount(), fileClusters);
            return new ReferenceCounts() {
                @Override
                public long clusterCount() {
                    return count;
                }

                @Override
                public long get(long index) {
                    return refs.get(index) + (blocks.contains(index) ? 1 : 0);
                }
            };
        }

        private static boolean isRefcountCorruption(Finding f) {
            return switch (f.kind()) {
                case REFCOUNT_ZERO, REFCOUNT_TOO_LOW, REFTABLE_RESERVED_BITS, REFBLOCK_UNALIGNED, REFBLOCK_OUTSIDE_IMAGE,
                        REFBLOCK_SHARED -> true;
                default -> false;
            };
        }

        /** OFLAG_COPIED against the refcounts now on disk (spec 5.4 step 4). */
        private void copied(JournaledStorage s) throws IOException {
            if (!enabled(FixKind.FIX_COPIED)) {
                return;
            }
            try (Qcow2Image img = open()) {
                if (qemuLeaks) {
                    CheckResult now = Analysis.of(img, monitor).check();
                    long others = now.findings().stream().filter(f -> f.severity() == io.qcowscope.engine.check
                            .Severity.CORRUPTION && f.kind() != FindingKind.COPIED_L1
                            && f.kind() != FindingKind.COPIED_L2).count();
                    if (others > 0 || now.leaks() > 0 || now.checkErrors() > 0) {
                        return;
                    }
                }
                RefcountReader rc = img.refcounts();
                List<CopiedPatches.Flip> flips = CopiedPatches.compute(img, c -> {
                    try {
                        return rc.refcount(c);
                    } catch (IOException e) {
                        return -1;
                    }
                }, monitor, qemuRules());
                List<Patch> batch = flips.stream().map(CopiedPatches.Flip::patch).toList();
                if (!batch.isEmpty()) {
                    s.apply(batch, "the OFLAG_COPIED update");
                }
                corruptionsFixed += batch.size();
                count(FixKind.FIX_COPIED, batch.size());
            }
        }

        /**
         * QEMU's check_oflag_copied writes the L1 entries it fixes through the overlap check: where an L1 entry with
         * COPIED points into the active L1 table (iotest 060 "L2 reference into L1"), its cluster has two references,
         * the bit must go, and that check refuses the write: QEMU marks the image corrupt and the check fails. Its
         * refcount fixes were still in its cache then and never reach the disk, so nothing else is written here either.
         */
        private void refuseLikeQemu(JournaledStorage s, Qcow2Image img) throws IOException {
            Geometry g = img.geometry();
            long l1Start = g.startOfCluster(img.header().l1TableOffset());
            long l1End = img.header().l1TableOffset() + img.l1Table().length * 8L;
            for (long e : img.l1Table()) {
                long l2 = io.qcowscope.engine.format.L1Entry.l2Offset(e);
                if (l2 != 0 && io.qcowscope.engine.format.L1Entry.copied(e) && l2 + g.clusterSize() > l1Start
                        && l2 < l1End) {
                    long features = img.header().incompatibleFeatures();
                    if ((features & 2) == 0 && img.header().version() >= 3) {
                        s.apply(List.of(Patch.word(io.qcowscope.engine.host.HostClusterRole.HEADER, 72, features,
                                features | 2)), "the corrupt bit");
                        s.flush();
                    }
                    throw new QemuCheckFailure(Structure.L1_TABLE, img.header().l1TableOffset(), "Preventing invalid write on "
                            + "metadata (overlaps with active L2 table at 0x" + Long.toHexString(l2) + "): "
                            + "Input/output error");
                }
            }
        }

        /**
         * Dirty and corrupt bits go only when no corruption and no check error is left (spec 5.1 phase 4). Returns the
         * check it made when it wrote nothing, so that check can serve as the final re-check; null otherwise.
         */
        private CheckResult headerBits(JournaledStorage s) throws IOException {
            boolean dirty = enabled(FixKind.CLEAR_DIRTY_BIT);
            boolean corrupt = enabled(FixKind.CLEAR_CORRUPT_BIT);
            if (!dirty && !corrupt) {
                return null;
            }
            try (Qcow2Image img = open()) {
                if (img.header().version() < 3) {
                    return null;
                }
                long before = img.header().incompatibleFeatures();
                long after = before;
                if (dirty && img.header().dirty()) {
                    after &= ~1L;
                }
                if (corrupt && img.header().corrupt()) {
                    after &= ~2L;
                }
                if (after == before) {
                    return null;
                }
                CheckResult now = Analysis.of(img, monitor).check();
                if (now.corruptions() > 0 || now.checkErrors() > 0) {
                    return now;
                }
                s.apply(List.of(Patch.word(io.qcowscope.engine.host.HostClusterRole.HEADER, 72, before, after)),
                        "the header bits");
                if ((before & 1) != (after & 1)) {
                    count(FixKind.CLEAR_DIRTY_BIT, 1);
                }
                if ((before & 2) != (after & 2)) {
                    count(FixKind.CLEAR_CORRUPT_BIT, 1);
                }
                return null;
            }
        }
    }
}
