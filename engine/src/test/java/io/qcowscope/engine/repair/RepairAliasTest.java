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
import java.nio.file.Files;
import java.nio.file.Path;
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

    @TempDir
    static Path root;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    private static Path image(String name) throws Exception {
        Path d = Files.createDirectories(root.resolve(name));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "p.qcow2", "4M");
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
                yield FixKind.DROP_ALIASED_L2_TABLE;
            }
            case "l1-to-l1" -> {
                put(p, L1, COPIED | L1);
                yield FixKind.DROP_ALIASED_L2_TABLE;
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
        if (kind.equals("l2-to-l1") || kind.equals("l1-to-header") || kind.equals("snapshots-in-header")) {
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
