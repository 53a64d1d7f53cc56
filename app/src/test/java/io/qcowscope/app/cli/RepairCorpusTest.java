package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.RepairApplier;
import io.qcowscope.engine.repair.RepairPlan;
import io.qcowscope.engine.repair.RepairPlanner;
import io.qcowscope.engine.repair.RepairReport;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5's corpus: qemu-made images damaged by byte patches. For each: the plan lists the expected fixes; after applying
 * it to a copy {@code qemu-img check} finds nothing (or only what the plan called unfixable); the guest content is unchanged
 * where every applied fix is safe or only rewrites metadata, and equals what {@code qemu-img check -r all} leaves where QEMU
 * can repair; an in-place repair undone from its journal gives back the exact original file.
 */
class RepairCorpusTest {
    private static final long COPIED = 1L << 63;

    @TempDir
    static Path root;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    interface Damage {
        void apply(Path dir, ImageBytes b) throws Exception;
    }

    /** @param remains findings qemu-img check may still report afterwards (exit code of that check), 0 = clean */
    record Case(String name, String options, String base, Damage damage, Set<FixKind> expected, int remains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("leak", "", "std", (d, b) -> b.u64(b.l2Table(0) + 8, 0), EnumSet.of(FixKind.FREE_LEAK), 0));
        c.add(new Case("refcount-too-low-shared-cluster", "", "std", (d, b) -> b.u64(b.l2Table(0) + 8, b.u64(b.l2Table(0))),
                EnumSet.of(FixKind.RAISE_REFCOUNT, FixKind.FIX_COPIED, FixKind.FREE_LEAK), 0));
        c.add(new Case("refcount-zero-on-used-cluster", "", "std", (d, b) -> b.refcount16(5, 0),
                EnumSet.of(FixKind.REBUILD_REFCOUNTS), 0));
        c.add(new Case("l2-entry-past-eof", "", "std", (d, b) -> b.u64(b.l2Table(0) + 16, COPIED | 0x10000000L),
                EnumSet.of(FixKind.DROP_PAST_EOF_REFERENCE), 0));
        c.add(new Case("unaligned-l2-table", "", "std", (d, b) -> b.u64(b.l1Offset(), b.l1(0) + 0x200),
                EnumSet.of(FixKind.DROP_UNALIGNED_ENTRY), 0));
        c.add(new Case("unaligned-data", "", "std", (d, b) -> b.u64(b.l2Table(0) + 8, b.u64(b.l2Table(0) + 8) + 0x2000),
                EnumSet.of(FixKind.DROP_UNALIGNED_ENTRY), 0));
        c.add(new Case("unaligned-prealloc-zero", "", "std", (d, b) -> b.u64(b.l2Table(0) + 8,
                b.u64(b.l2Table(0) + 8) + 0x2001), EnumSet.of(FixKind.PREALLOCATED_TO_ZERO), 0));
        c.add(new Case("wrong-copied-bits", "", "std", (d, b) -> {
            b.u64(b.l1Offset(), b.l1(0) & ~COPIED);
            b.u64(b.l2Table(0), b.u64(b.l2Table(0)) & ~COPIED);
        }, EnumSet.of(FixKind.FIX_COPIED), 0));
        c.add(new Case("two-l1-entries-one-l2", "", "big", (d, b) -> b.u64(b.l1Offset() + 8, b.l1(0)),
                EnumSet.of(FixKind.RAISE_REFCOUNT, FixKind.FIX_COPIED), 0));
        c.add(new Case("data-over-refcount-block", "", "std", (d, b) -> b.u64(b.l2Table(0) + 8, COPIED | b.refblock(0)),
                EnumSet.of(FixKind.REBUILD_REFCOUNTS), 0));
        c.add(new Case("refblock-outside-file", "", "std", (d, b) -> b.u64(b.reftableOffset() + 8, 0x100000),
                EnumSet.of(FixKind.REBUILD_REFCOUNTS), 0));
        c.add(new Case("reftable-reserved-bits", "", "std", (d, b) -> b.u64(b.reftableOffset(),
                b.u64(b.reftableOffset()) | 1), EnumSet.of(FixKind.REBUILD_REFCOUNTS), 0));
        c.add(new Case("no-reftable", "", "std", (d, b) -> {
            b.u64(48, 0);
            b.u32(56, 0);
        }, EnumSet.of(FixKind.REBUILD_REFCOUNTS), 0));
        // What a writer killed mid-way leaves with lazy refcounts (spec 4.3): the dirty bit and a stale refcount.
        c.add(new Case("dirty-lazy-refcounts", "lazy_refcounts=on", "std", (d, b) -> {
            b.u64(72, b.u64(72) | 1);
            b.refcount16(7, 0);
        }, EnumSet.of(FixKind.REBUILD_REFCOUNTS, FixKind.CLEAR_DIRTY_BIT), 0));
        // Spec 9.19: more extra data than QEMU accepts (2000 > 1024) makes the image unopenable; -r all trims it.
        c.add(new Case("snapshot-extra-data-too-large", "", "snap", (d, b) -> b.u32(b.snapshotsOffset() + 36, 2000),
                EnumSet.of(FixKind.REWRITE_SNAPSHOT_TABLE), 0));
        c.add(new Case("corrupt-bit", "", "std", (d, b) -> b.u64(72, b.u64(72) | 2), EnumSet.of(FixKind.CLEAR_CORRUPT_BIT), 0));
        c.add(new Case("snapshot-without-extra-data", "", "snap", (d, b) -> b.u32(b.snapshotsOffset() + 36, 0),
                EnumSet.of(FixKind.REWRITE_SNAPSHOT_TABLE), 0));
        c.add(new Case("extl2-alloc-and-zero", "extended_l2=on", "std", (d, b) -> b.u64(b.l2Table(0) + 8,
                0x00000001FFFFFFFFL), EnumSet.of(FixKind.SUBCLUSTERS_DATA_WINS), 0));
        c.add(new Case("extl2-alloc-bits-unallocated", "extended_l2=on", "std", (d, b) -> b.u64(b.l2Table(0) + 16 * 5 + 8,
                0x1L), EnumSet.of(FixKind.CLEAR_ALLOC_BITS), 0));
        c.add(new Case("extl2-compressed-with-bitmap", "extended_l2=on", "compressed", (d, b) -> b.u64(b.l2Table(0) + 8,
                1), EnumSet.of(FixKind.CLEAR_COMPRESSED_BITMAP), 0));
        // QEMU cannot mend this (the count does not fit one bit); copying the cluster can.
        c.add(new Case("refcount-overflow-1bit", "refcount_bits=1", "std", (d, b) -> b.u64(b.l2Table(0) + 8,
                b.u64(b.l2Table(0))), EnumSet.of(FixKind.UNSHARE_CLUSTER), 0));
        c.add(new Case("several-at-once-extl2-snapshot", "extended_l2=on", "snap", (d, b) -> {
            long l2 = b.l1(0) & 0x00FFFFFFFFFFFE00L;
            b.u64(b.l1Offset(), b.l1(0) & ~COPIED);
            b.u64(l2 + 16 * 7 + 8, 0x3L);
            b.u32(b.snapshotsOffset() + 36, 0);
        }, EnumSet.of(FixKind.CLEAR_ALLOC_BITS, FixKind.REWRITE_SNAPSHOT_TABLE, FixKind.FIX_COPIED), 0));
        c.add(new Case("overlay-on-backing-past-eof-and-leak", "", "overlay", (d, b) -> {
            b.u64(b.l2Table(0) + 8, COPIED | 0x40000000L);
            b.u64(b.l2Table(0) + 16, 0);
        }, EnumSet.of(FixKind.DROP_PAST_EOF_REFERENCE, FixKind.FREE_LEAK), 0));
        return c.stream();
    }

    static Path make(Path d, Case c) {
        String opts = c.options().isEmpty() ? "cluster_size=65536" : c.options() + ",cluster_size=65536";
        switch (c.base()) {
            case "big" -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", opts, "a.qcow2", "2G");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 64k");
            }
            case "compressed" -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", opts, "a.qcow2", "64M");
                Qemu.io(d, "a.qcow2", "write -c -P 0x11 0 64k", "write -P 0x22 64k 64k");
            }
            case "snap" -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", opts, "a.qcow2", "64M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 192k");
                Qemu.img(d, "snapshot", "-c", "s1", "a.qcow2");
                Qemu.io(d, "a.qcow2", "write -P 0x33 64k 4k");
            }
            case "overlay" -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "base.qcow2", "64M");
                Qemu.io(d, "base.qcow2", "write -P 0x77 0 1M");
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", opts, "-b", "base.qcow2", "-F", "qcow2", "a.qcow2",
                        "64M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 192k");
            }
            default -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", opts, "a.qcow2", "64M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 64k", "write -P 0x22 64k 64k", "write -P 0x33 128k 64k");
            }
        }
        return d.resolve("a.qcow2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void planApplyAndUndo(Case c) throws Exception {
        Path d = Files.createDirectories(root.resolve(c.name()));
        Path img = make(d, c);
        c.damage().apply(d, new ImageBytes(img));
        byte[] damagedFile = sha(img);
        byte[] contentBefore = content(d, img, "before.raw");

        RepairPlan plan = RepairPlanner.plan(img, ProgressMonitor.NONE);
        Set<FixKind> kinds = EnumSet.noneOf(FixKind.class);
        plan.selected().forEach(f -> kinds.add(f.kind()));
        assertTrue(kinds.containsAll(c.expected()), c.name() + ": plan " + kinds + " lacks some of " + c.expected());
        if (c.remains() != 0) {
            assertTrue(!plan.unfixable().isEmpty(), "the plan says what it cannot fix");
        }
        assertTrue(plan.fixes().stream().allMatch(f -> f.risk() != null && !f.why().isBlank()), "every fix says why");

        // To a copy: the original is untouched.
        Path copy = d.resolve("repaired.qcow2");
        RepairReport r = RepairApplier.apply(plan, new RepairApplier.ToCopy(copy), ProgressMonitor.NONE);
        assertArrayEquals(damagedFile, sha(img), "the original is never written");
        var check = Qemu.imgAllowFail(d, "check", copy.toString());
        assertEquals(c.remains(), check.exitCode(), c.name() + ": qemu-img check after repair\n" + check.stdout()
                + check.stderr());
        assertEquals(c.remains(), r.after().exitCode(), "our re-check agrees");

        boolean contentSafe = plan.selected().stream().allMatch(f -> f.risk() != RiskLevel.CHANGES_GUEST_DATA);
        byte[] contentAfter = content(d, copy, "after.raw");
        if (contentSafe && contentBefore != null) {
            assertArrayEquals(contentBefore, contentAfter, c.name() + ": guest content changed");
        }

        // Where QEMU can repair, our guest content equals what it leaves.
        Path theirs = d.resolve("qemu.qcow2");
        Files.copy(img, theirs);
        var qemu = Qemu.imgAllowFail(d, "check", "-r", "all", theirs.toString());
        if (qemu.exitCode() == 0) {
            var cmp = Qemu.imgAllowFail(d, "compare", theirs.toString(), copy.toString());
            assertEquals(0, cmp.exitCode(), c.name() + ": content differs from qemu-img check -r all: " + cmp.stdout());
        }

        // In place with a journal, then undo: bit for bit.
        Path inPlace = d.resolve("inplace.qcow2");
        Files.copy(img, inPlace, StandardCopyOption.REPLACE_EXISTING);
        RepairPlan p2 = RepairPlanner.plan(inPlace, ProgressMonitor.NONE);
        Path journal = d.resolve("inplace.undo");
        RepairApplier.apply(p2, new RepairApplier.InPlace(journal), ProgressMonitor.NONE);
        assertEquals(c.remains(), Qemu.imgAllowFail(d, "check", inPlace.toString()).exitCode());
        UndoJournal.read(journal).undo();
        assertArrayEquals(damagedFile, sha(inPlace), c.name() + ": undo restores the exact file");
    }

    @org.junit.jupiter.api.Test
    void aSharedClusterCanBeCopiedInsteadOfShared() throws Exception {
        Case c = new Case("unshare-instead-of-raise", "", "std", (d, b) -> b.u64(b.l2Table(0) + 8, b.u64(b.l2Table(0))),
                EnumSet.of(FixKind.UNSHARE_CLUSTER), 0);
        Path d = Files.createDirectories(root.resolve(c.name()));
        Path img = make(d, c);
        c.damage().apply(d, new ImageBytes(img));
        byte[] before = content(d, img, "before.raw");
        RepairPlan plan = RepairPlanner.plan(img, ProgressMonitor.NONE);
        var unshare = plan.fixes().stream().filter(f -> f.kind() == FixKind.UNSHARE_CLUSTER).findFirst().orElseThrow();
        assertTrue(unshare.alternativeTo() >= 0 && !unshare.selected(), "offered beside QEMU's refcount raise");
        RepairPlan chosen = plan.only(Set.of("unshare", "leaks", "copied"));
        Path copy = d.resolve("repaired.qcow2");
        RepairApplier.apply(chosen, new RepairApplier.ToCopy(copy), ProgressMonitor.NONE);
        assertEquals(0, Qemu.imgAllowFail(d, "check", copy.toString()).exitCode());
        assertArrayEquals(before, content(d, copy, "after.raw"), "each entry keeps its data");
        ImageBytes b = new ImageBytes(copy);
        assertTrue((b.u64(b.l2Table(0)) & 0x00FFFFFFFFFFFE00L) != (b.u64(b.l2Table(0) + 8) & 0x00FFFFFFFFFFFE00L),
                "the two entries no longer share a cluster");
    }

    /** Guest content hash through qemu-img convert, or null when QEMU cannot read the damaged image. */
    static byte[] content(Path d, Path img, String raw) throws Exception {
        var r = Qemu.imgAllowFail(d, "convert", "-O", "raw", img.toString(), d.resolve(raw).toString());
        if (r.exitCode() != 0) {
            return null;
        }
        byte[] h = sha(d.resolve(raw));
        Files.delete(d.resolve(raw));
        return h;
    }

    static byte[] sha(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

}
