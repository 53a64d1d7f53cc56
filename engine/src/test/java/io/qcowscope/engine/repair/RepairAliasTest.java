package io.qcowscope.engine.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15's hand-made aliasing cases, on {@code qemu-img create -f qcow2 p.qcow2 4M; write -P 0x11 0 64k} (64 KiB
 * clusters: header 0x0, refcount table 0x10000, refcount block 0x20000, L1 0x30000, L2 0x40000, data 0x50000): the plan
 * fixes the pointer, never the structure it hits; the repaired copy opens and {@code qemu-img check} finds it clean. And
 * the two safety nets: the overlap guard refuses a patch into foreign metadata before anything is written, and a fix
 * labelled safe that changes the guest is undone.
 */
class RepairAliasTest {
    private static final long COPIED = 1L << 63;
    private static final long L1 = 0x30000;
    private static final long L2 = 0x40000;
    private static final long DATA = 0x50000;

    @TempDir
    static Path root;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    private static Path image(String name) throws Exception {
        return image(name, "4M");
    }

    private static Path image(String name, String size) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "p.qcow2", size);
        Qemu.io(d, "p.qcow2", "write -P 0x11 0 64k");
        Path p = d.resolve("p.qcow2");
        assertEquals(L1, u64(p, 40), "the layout this test assumes");
        assertEquals(COPIED | L2, u64(p, L1));
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"l1-to-header", "l1-to-reftable", "l1-to-l1", "l2-to-l1", "snapshots-in-header"})
    void thePointerIsFixedAndTheCopyIsClean(String kind) throws Exception {
        Path p = image(kind);
        FixKind expected = switch (kind) {
            case "l1-to-header" -> {
                // The minimal case: offset 0 with COPIED; qemu-img check walks the header as the L2 table.
                put(p, L1, COPIED);
                yield FixKind.CLEAR_EMPTY_L1_ENTRY;
            }
            case "l1-to-reftable" -> {
                put(p, L1, COPIED | 0x10000);
                yield FixKind.COPY_ALIASED_L2_TABLE;
            }
            case "l1-to-l1" -> {
                put(p, L1, COPIED | L1);
                yield FixKind.COPY_ALIASED_L2_TABLE;
            }
            case "l2-to-l1" -> {
                put(p, L2 + 8, COPIED | L1);
                yield FixKind.COPY_ALIASED_DATA;
            }
            default -> {
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.seek(60);
                    f.writeInt(0x20);
                    f.writeLong(0);
                }
                yield FixKind.DROP_SNAPSHOT_TABLE;
            }
        };
        byte[] headerBefore = bytes(p, 0, 48);
        RepairPlan plan = RepairPlanner.plan(p, ProgressMonitor.NONE);
        Set<FixKind> kinds = plan.selected().stream().map(Fix::kind).collect(Collectors.toSet());
        assertTrue(kinds.contains(expected), kind + ": plan " + kinds);
        for (Fix f : plan.fixes()) {
            for (Patch patch : f.patches()) {
                assertFalse(patch.into() != HostClusterRole.HEADER && patch.offset() < 0x10000,
                        kind + ": fix " + f.id() + " patches the header cluster as " + patch.into());
            }
        }
        Path copy = p.resolveSibling("fixed.qcow2");
        RepairReport r = RepairApplier.apply(plan, new RepairApplier.ToCopy(copy), ProgressMonitor.NONE);
        assertArrayEquals(headerBefore, bytes(copy, 0, 48), kind + ": magic, version, backing and cluster_bits kept");
        var check = Qemu.imgAllowFail(p.getParent(), "check", copy.toString());
        assertEquals(0, check.exitCode(), kind + ": qemu-img check of the copy\n" + check.stdout() + check.stderr());
        assertEquals(0, r.after().exitCode(), kind + ": our re-check agrees");
        assertFalse(kinds.contains(FixKind.DROP_ALIASED_L2_TABLE), kind + ": the copy, not the drop, is the default");
        {
            GuestDigest before = GuestDigest.of(p, ProgressMonitor.NONE);
            assertEquals(-1, before.firstDifference(GuestDigest.of(copy, before, ProgressMonitor.NONE)),
                    kind + ": the guest reads as before");
        }
        if (kind.equals("l2-to-l1")) {
            long moved = u64(copy, L2 + 8) & 0x00FFFFFFFFFFFE00L;
            assertTrue(moved >= 0x60000, "guest cluster 1 no longer aliases the L1 table: 0x" + Long.toHexString(moved));
            assertArrayEquals(bytes(p, L1, 65536), bytes(copy, moved, 65536), "it reads the bytes it read before");
        }
    }

    /**
     * L1[0] -> the refcount table: QEMU's {@code check -r all} keeps the guest reading through that cluster as an L2
     * table (its entry 0x20000 maps guest 0 to the refcount block). Our default copies the cluster out as the L2 table and
     * the refcount block out as data: the guest reads byte for byte what QEMU's repair leaves, and both are clean. The drop
     * stays on offer ({@code --only aliased-table}) and is clean too, with guest 0..64k then unallocated.
     */
    @Test
    void theTableCopyKeepsTheGuestAsQemuDoesAndTheDropStaysTheAlternative() throws Exception {
        Path p = image("reftable-vs-qemu");
        put(p, L1, COPIED | 0x10000);
        Path q = p.resolveSibling("qemu.qcow2");
        Files.copy(p, q);
        Qemu.imgAllowFail(p.getParent(), "check", "-r", "all", q.toString());
        assertEquals(0, Qemu.imgAllowFail(p.getParent(), "check", q.toString()).exitCode(), "QEMU's repair is clean");
        Path ours = p.resolveSibling("ours.qcow2");
        RepairApplier.apply(RepairPlanner.plan(p, ProgressMonitor.NONE), new RepairApplier.ToCopy(ours),
                ProgressMonitor.NONE);
        assertEquals(0, Qemu.imgAllowFail(p.getParent(), "check", ours.toString()).exitCode(), "ours is clean");
        Qemu.img(p.getParent(), "convert", "-O", "raw", q.toString(), "qemu.raw");
        Qemu.img(p.getParent(), "convert", "-O", "raw", ours.toString(), "ours.raw");
        Qemu.img(p.getParent(), "convert", "-O", "raw", p.toString(), "before.raw");
        byte[] before = Files.readAllBytes(p.resolveSibling("before.raw"));
        assertArrayEquals(before, Files.readAllBytes(p.resolveSibling("qemu.raw")), "QEMU keeps the guest");
        assertArrayEquals(before, Files.readAllBytes(p.resolveSibling("ours.raw")), "so do we");
        assertEquals(0x0001, ByteBuffer.wrap(before).getShort(), "guest 0 reads the refcount block, as the damage has it");

        RepairPlan drop = RepairPlanner.plan(p, ProgressMonitor.NONE).only(Set.of("aliased-table", "leaks",
                "refcounts", "copied", "rebuild", "header-bits"));
        Set<FixKind> kinds = drop.selected().stream().map(Fix::kind).collect(Collectors.toSet());
        assertTrue(kinds.contains(FixKind.DROP_ALIASED_L2_TABLE), "the drop on request: " + kinds);
        assertFalse(kinds.contains(FixKind.COPY_ALIASED_L2_TABLE), "instead of the copy: " + kinds);
        Path dropped = p.resolveSibling("dropped.qcow2");
        RepairApplier.apply(drop, new RepairApplier.ToCopy(dropped), ProgressMonitor.NONE);
        var check = Qemu.imgAllowFail(p.getParent(), "check", dropped.toString());
        assertEquals(0, check.exitCode(), "the drop is clean\n" + check.stdout() + check.stderr());
        Qemu.img(p.getParent(), "convert", "-O", "raw", dropped.toString(), "dropped.raw");
        assertArrayEquals(new byte[65536], Arrays.copyOf(Files.readAllBytes(p.resolveSibling("dropped.raw")), 65536),
                "and guest 0..64k reads zeros");
    }

    /**
     * L1[1] of a 1 GiB image pointed at guest 0's data cluster (fuzz mutant tiny-clusters-1bit #47's shape): read as L2
     * entries, 0x11 bytes are zero flags with reserved bits and offsets far past the end. The pointer is dropped, the data
     * cluster is never written, guest 0 keeps its bytes and the L1[1] range reads zeros before and after. (QEMU's
     * {@code -r all} "repairs" those entries in place, which rewrites guest 0's data.)
     */
    @Test
    void anL1EntryIntoGuestDataIsDroppedWhereTheRangeReadsTheSame() throws Exception {
        Path p = image("l1-to-data", "1G");
        Path undamaged = Files.copy(p, p.resolveSibling("undamaged.qcow2"));
        put(p, L1 + 8, COPIED | DATA);
        RepairPlan plan = RepairPlanner.plan(p, ProgressMonitor.NONE);
        Fix drop = only(plan, FixKind.DROP_ALIASED_L2_TABLE);
        assertEquals("L1[1]", drop.path());
        assertTrue(drop.why().contains("guest data") && drop.why().contains("reads the same"), drop.why());
        assertEquals(Set.of(FixKind.DROP_ALIASED_L2_TABLE), plan.selected().stream().map(Fix::kind)
                .filter(k -> k != FixKind.FREE_LEAK && k != FixKind.FIX_COPIED).collect(Collectors.toSet()),
                "no fix inside the data cluster");
        assertFalse(keptAndClean(p, plan, undamaged), "QEMU's -r all rewrites the unaligned \"zero entries\" inside the data "
                + "cluster, so guest 0 changes there: ours is better");
    }

    /**
     * The same pointer into a data cluster whose first word is a valid entry (it maps guest 0's cluster): dropping the
     * pointer would lose what that entry reads, so the default is a new L2 table that reads the same (that cluster copied
     * out, the zero words as plain zero entries), and the drop the alternative.
     */
    @Test
    void anL1EntryIntoGuestDataThatReadsDataGetsANewTableThatReadsTheSame() throws Exception {
        Path p = image("l1-to-data-copy", "1G");
        Qemu.io(p.getParent(), "p.qcow2", "write -P 0x11 64k 64k");
        long second = u64(p, L2 + 8) & 0x00FFFFFFFFFFFE00L;
        put(p, second, COPIED | DATA);
        put(p, L1 + 8, COPIED | second);
        RepairPlan plan = RepairPlanner.plan(p, ProgressMonitor.NONE);
        Fix copy = only(plan, FixKind.COPY_ALIASED_L2_TABLE);
        assertTrue(copy.selected(), "the new table is the default");
        assertTrue(copy.patches().size() > 1, "the zero words become plain zero entries in the new table");
        Fix drop = only(plan, FixKind.DROP_ALIASED_L2_TABLE);
        assertEquals(copy.id(), drop.alternativeTo(), "the drop is the alternative");
        assertFalse(drop.selected());
        assertTrue(plan.selected().stream().anyMatch(f -> f.kind() == FixKind.COPY_ALIASED_DATA
                && f.path().startsWith("L1[1] -> ")), "the data cluster it maps is copied out");
        byte[] before = bytes(p, second, 65536);
        assertFalse(keptAndClean(p, plan, null), "QEMU's -r all rewrites entries inside the data cluster");
        assertArrayEquals(before, bytes(p.resolveSibling("fixed.qcow2"), second, 65536), "the data cluster is untouched");
    }

    /**
     * l1_size grown so the table runs over the L2 table and the data after it (mutant tiny-clusters-1bit #55's shape): the
     * entries past the virtual size are never read for the guest, so l1_size goes back to what the size needs; nothing is
     * written inside the L2 table or the data.
     */
    @Test
    void anL1SizeRunningIntoOtherStructuresIsTrimmed() throws Exception {
        Path p = image("l1-size", "4M");
        Path undamaged = Files.copy(p, p.resolveSibling("undamaged.qcow2"));
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(36);
            f.writeInt(8192 + 16);
        }
        RepairPlan plan = RepairPlanner.plan(p, ProgressMonitor.NONE);
        Fix trim = only(plan, FixKind.TRIM_L1_SIZE);
        assertTrue(trim.selected());
        assertEquals(List.of(FixKind.TRIM_L1_SIZE), plan.selected().stream().map(Fix::kind)
                .filter(k -> k != FixKind.FREE_LEAK && k != FixKind.FIX_COPIED && k != FixKind.RAISE_REFCOUNT).toList(),
                "only the size is fixed");
        byte[] tables = bytes(p, L2, 2 * 65536);
        assertFalse(keptAndClean(p, plan, undamaged), "QEMU's -r all stops at a metadata overlap and marks the image corrupt");
        Path copy = p.resolveSibling("fixed.qcow2");
        assertEquals(1, (int) (u64(copy, 32) & 0xFFFFFFFFL), "l1_size is 1 again");
        assertArrayEquals(tables, bytes(copy, L2, 2 * 65536), "the L2 table and data are untouched");
    }

    /**
     * Snapshot L1 aliases (issue 15): a snapshot's L1 entry whose L2 table is the refcount table gets the table copied out
     * (the snapshot reads what it read), and a snapshot whose L1 table lies on the header is forgotten (changes-guest-data:
     * that snapshot is lost; the active disk reads as before). Neither writes inside the structure hit.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"snapshot-l1-entry-to-reftable", "snapshot-l1-table-on-header"})
    void snapshotL1PointersAreFixedNotTheStructuresTheyHit(String kind) throws Exception {
        Path p = image(kind);
        Qemu.img(p.getParent(), "snapshot", "-c", "s1", p.toString());
        long table = u64(p, 64);
        long snapshotL1 = u64(p, table);
        assertTrue(snapshotL1 > 0 && snapshotL1 % 65536 == 0, "a snapshot L1 table: 0x" + Long.toHexString(snapshotL1));
        boolean entry = kind.equals("snapshot-l1-entry-to-reftable");
        if (entry) {
            put(p, snapshotL1, 0x10000);
        } else {
            put(p, table, 0);
        }
        byte[] header = bytes(p, 0, 0x10000);
        byte[] reftable = bytes(p, 0x10000, 0x10000);
        RepairPlan plan = RepairPlanner.plan(p, ProgressMonitor.NONE);
        Fix fix = only(plan, entry ? FixKind.COPY_ALIASED_L2_TABLE : FixKind.DROP_SNAPSHOT);
        assertTrue(fix.selected(), fix.kind() + " is the default");
        assertEquals(entry ? "snapshot[0] L1[0]" : "snapshot[0]", fix.path());
        Path copy = p.resolveSibling("fixed.qcow2");
        RepairApplier.apply(plan, new RepairApplier.ToCopy(copy), ProgressMonitor.NONE);
        var check = Qemu.imgAllowFail(p.getParent(), "check", copy.toString());
        assertEquals(0, check.exitCode(), kind + ": qemu-img check of the copy\n" + check.stdout() + check.stderr());
        GuestDigest before = GuestDigest.of(p, ProgressMonitor.NONE);
        assertEquals(-1, before.firstDifference(GuestDigest.of(copy, before, ProgressMonitor.NONE)),
                "the active disk reads as before");
        assertArrayEquals(reftable, bytes(copy, 0x10000, 0x10000), "the refcount table cluster is not patched as a table");
        String list = Qemu.img(p.getParent(), "snapshot", "-l", copy.toString()).stdout();
        if (entry) {
            assertTrue(list.contains("s1"), "the snapshot stays: " + list);
            long moved = u64(copy, u64(copy, u64(copy, 64)));
            assertTrue(moved >= header.length && moved != 0x10000, "its L1 entry names the copy: 0x"
                    + Long.toHexString(moved));
            Qemu.img(p.getParent(), "convert", "-l", "snapshot.name=s1", "-O", "raw", p.toString(), "s1-before.raw");
            Qemu.img(p.getParent(), "convert", "-l", "snapshot.name=s1", "-O", "raw", copy.toString(), "s1-after.raw");
            assertArrayEquals(Files.readAllBytes(p.resolveSibling("s1-before.raw")),
                    Files.readAllBytes(p.resolveSibling("s1-after.raw")), "qemu-img reads the snapshot as before");
        } else {
            assertFalse(list.contains("s1"), "the snapshot is forgotten: " + list);
            assertArrayEquals(Arrays.copyOf(header, 60), bytes(copy, 0, 60), "the header before the snapshot fields");
        }
    }

    private static Fix only(RepairPlan plan, FixKind kind) {
        List<Fix> found = plan.fixes().stream().filter(f -> f.kind() == kind).toList();
        assertEquals(1, found.size(), kind + " in " + plan.fixes().stream().map(f -> f.kind().option()).toList());
        return found.get(0);
    }

    /**
     * Applies the plan to fixed.qcow2: clean by qemu-img check, and the guest reads as before (our reader: QEMU's cannot
     * read these damaged images; and {@code qemu-img compare} with the image before the damage, where that reads the same).
     * Returns whether {@code qemu-img check -r all} on another copy kept the guest.
     */
    private static boolean keptAndClean(Path p, RepairPlan plan, Path undamaged) throws Exception {
        Path copy = p.resolveSibling("fixed.qcow2");
        RepairApplier.apply(plan, new RepairApplier.ToCopy(copy), ProgressMonitor.NONE);
        var check = Qemu.imgAllowFail(p.getParent(), "check", copy.toString());
        assertEquals(0, check.exitCode(), "qemu-img check of the copy\n" + check.stdout() + check.stderr());
        GuestDigest before = GuestDigest.of(p, ProgressMonitor.NONE);
        assertEquals(-1, before.firstDifference(GuestDigest.of(copy, before, ProgressMonitor.NONE)),
                "our copy reads as before");
        if (undamaged != null) {
            assertEquals(0, compare(undamaged, copy), "qemu-img compare: the copy reads as the image before the damage");
        }
        Path q = p.resolveSibling("qemu.qcow2");
        Files.copy(p, q);
        Qemu.imgAllowFail(p.getParent(), "check", "-r", "all", q.toString());
        GuestDigest theirs;
        try {
            theirs = GuestDigest.of(q, before, ProgressMonitor.NONE);
        } catch (java.io.IOException e) {
            return false;
        }
        return before.firstDifference(theirs) < 0;
    }

    private static int compare(Path a, Path b) {
        return Qemu.imgAllowFail(a.getParent(), "compare", "-f", "qcow2", "-F", "qcow2", a.toString(), b.toString())
                .exitCode();
    }

    /**
     * The two safety nets on each hand-made aliasing case: the write the planner made before issue 15 (an entry fix inside
     * the structure the bad pointer hits, labelled safe) is refused by the guard, naming both structures, before anything
     * is written; and dropping the bad pointer mislabelled as safe is undone by the guest check wherever the guest read
     * through it (not for the snapshot table, which the guest never reads).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"l1-to-header", "l1-to-reftable", "l1-to-l1", "l2-to-l1", "snapshots-in-header"})
    void theGuardAndTheLabelCheckCatchTheOldPlansOnEveryAliasingCase(String kind) throws Exception {
        Path p = image("nets-" + kind);
        long hit;
        long pointer;
        String hitName;
        HostClusterRole as = HostClusterRole.L2_TABLE;
        switch (kind) {
            case "l1-to-header" -> {
                pointer = L1;
                hit = 0x10;
                hitName = "header";
                put(p, L1, COPIED);
            }
            case "l1-to-reftable" -> {
                pointer = L1;
                hit = 0x10000;
                hitName = "refcount";
                put(p, L1, COPIED | 0x10000);
            }
            case "l1-to-l1" -> {
                pointer = L1;
                hit = L1;
                hitName = "L1 table";
                put(p, L1, COPIED | L1);
            }
            case "l2-to-l1" -> {
                pointer = L2 + 8;
                hit = L1;
                hitName = "L1 table";
                put(p, L2 + 8, COPIED | L1);
            }
            default -> {
                pointer = 60;
                hit = 0x48;
                hitName = "header";
                as = HostClusterRole.SNAPSHOT_TABLE;
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.seek(60);
                    f.writeInt(0x20);
                    f.writeLong(0);
                }
            }
        }
        RepairPlan real = RepairPlanner.plan(p, ProgressMonitor.NONE);
        long old = u64(p, hit);
        Fix naive = new Fix(0, FixKind.CLEAR_RESERVED_BITS, "the old plan", hit,
                List.of(Patch.word(as, hit, old, old ^ 0x02)), null, "test", -1, 0, -1, true);
        byte[] before = Files.readAllBytes(p);
        Path copy = p.resolveSibling("fixed.qcow2");
        MetadataOverlapException e = assertThrows(MetadataOverlapException.class, () -> RepairApplier.apply(
                new RepairPlan(p, real.check(), List.of(naive), List.of()), new RepairApplier.ToCopy(copy),
                ProgressMonitor.NONE));
        assertTrue(e.getMessage().contains("fix 0") && e.getMessage().toLowerCase().contains(hitName.toLowerCase()),
                kind + ": names the fix and the " + hitName + ": " + e.getMessage());
        assertFalse(Files.exists(copy), kind + ": no copy left");
        assertThrows(MetadataOverlapException.class, () -> RepairApplier.apply(new RepairPlan(p, real.check(),
                List.of(naive), List.of()), new RepairApplier.InPlace(p.resolveSibling("j.undo")), ProgressMonitor.NONE));
        assertArrayEquals(before, Files.readAllBytes(p), kind + ": in place, nothing was written");

        if (as == HostClusterRole.SNAPSHOT_TABLE || kind.equals("l1-to-header")) {
            return; // the guest never read through these pointers: dropping them changes nothing it reads
        }
        HostClusterRole role = kind.equals("l2-to-l1") ? HostClusterRole.L2_TABLE : HostClusterRole.ACTIVE_L1;
        Fix lie = new Fix(0, FixKind.CLEAR_RESERVED_BITS, "the pointer", pointer,
                List.of(Patch.word(role, pointer, u64(p, pointer), 0)), null, "test", 0, 65536, -1, true);
        GuestContentChangedException g = assertThrows(GuestContentChangedException.class, () -> RepairApplier.apply(
                new RepairPlan(p, real.check(), List.of(lie), List.of()), new RepairApplier.ToCopy(copy),
                ProgressMonitor.NONE));
        assertTrue(g.getMessage().contains("fix 0 (reserved-bits, the pointer)"), g.getMessage());
        assertFalse(Files.exists(copy), kind + ": the copy is deleted");
        assertThrows(GuestContentChangedException.class, () -> RepairApplier.apply(new RepairPlan(p, real.check(),
                List.of(lie), List.of()), new RepairApplier.InPlace(p.resolveSibling("j2.undo")), ProgressMonitor.NONE));
        assertArrayEquals(before, Files.readAllBytes(p), kind + ": in place, the journal rolled it back");
    }

    @Test
    void theGuardRefusesAPatchIntoTheHeaderBeforeWritingAnything() throws Exception {
        Path p = image("guard");
        RepairPlan clean = RepairPlanner.plan(p, ProgressMonitor.NONE);
        // A planner bug made by hand: a "reserved bits" fix of an L2 table at cluster 0, and a good fix before it.
        Fix good = new Fix(0, FixKind.CLEAR_RESERVED_BITS, "L1[0] -> L2@0x40000[5]", L2 + 40,
                List.of(Patch.word(HostClusterRole.L2_TABLE, L2 + 40, 0, 0)), null, "test", -1, 0, -1,
                true);
        Fix bad = new Fix(1, FixKind.CLEAR_RESERVED_BITS, "L1[0] -> L2@0x0[2]", 0x10,
                List.of(Patch.word(HostClusterRole.L2_TABLE, 0x10, u64(p, 0x10), 0)), null, "test", -1, 0, -1, true);
        RepairPlan plan = new RepairPlan(p, clean.check(), List.of(good, bad), List.of());
        byte[] before = Files.readAllBytes(p);
        Path copy = p.resolveSibling("fixed.qcow2");
        MetadataOverlapException e = assertThrows(MetadataOverlapException.class,
                () -> RepairApplier.apply(plan, new RepairApplier.ToCopy(copy), ProgressMonitor.NONE));
        assertTrue(e.getMessage().contains("fix 1") && e.getMessage().contains("L2@0x0")
                && e.getMessage().contains("header"), "names the fix, its structure and the header: " + e.getMessage());
        assertFalse(Files.exists(copy), "the copy is deleted");
        Path journal = p.resolveSibling("j.undo");
        assertThrows(MetadataOverlapException.class,
                () -> RepairApplier.apply(plan, new RepairApplier.InPlace(journal), ProgressMonitor.NONE));
        assertArrayEquals(before, Files.readAllBytes(p), "in place, nothing was written");
    }

    @Test
    void aSafeFixThatChangesTheGuestIsUndone() throws Exception {
        Path p = image("label");
        RepairPlan clean = RepairPlanner.plan(p, ProgressMonitor.NONE);
        // A wrong label made by hand: "safe" but it unmaps guest cluster 0.
        Fix lie = new Fix(0, FixKind.CLEAR_RESERVED_BITS, "L1[0] -> L2@0x40000[0]", L2,
                List.of(Patch.word(HostClusterRole.L2_TABLE, L2, u64(p, L2), 0)), null, "test", 0, 65536, -1, true);
        RepairPlan plan = new RepairPlan(p, clean.check(), List.of(lie), List.of());
        Path copy = p.resolveSibling("fixed.qcow2");
        GuestContentChangedException e = assertThrows(GuestContentChangedException.class,
                () -> RepairApplier.apply(plan, new RepairApplier.ToCopy(copy), ProgressMonitor.NONE));
        assertTrue(e.getMessage().contains("fix 0 (reserved-bits, L1[0] -> L2@0x40000[0])"), e.getMessage());
        assertFalse(Files.exists(copy), "the copy is deleted");
        byte[] before = Files.readAllBytes(p);
        Path journal = p.resolveSibling("j.undo");
        assertThrows(GuestContentChangedException.class,
                () -> RepairApplier.apply(plan, new RepairApplier.InPlace(journal), ProgressMonitor.NONE));
        assertArrayEquals(before, Files.readAllBytes(p), "in place, the journal rolled it back");
    }

    private static long u64(Path p, long at) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            f.seek(at);
            return f.readLong();
        }
    }

    private static void put(Path p, long at, long v) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(at);
            f.writeLong(v);
        }
    }

    private static byte[] bytes(Path p, long at, int n) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            byte[] b = new byte[n];
            f.seek(at);
            f.readFully(b);
            return b;
        }
    }
}
