package io.qcowscope.app.ui.viewmodel.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.engine.testkit.DamagedImages;
import io.qcowscope.engine.testkit.Qemu;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images that need a repair before they may be written open for repair only: a qemu-made image with a leak and its dirty
 * bit set by a byte patch, and a corrupt one (corruptions by check, with and without the corrupt bit). Edit takes QEMU's
 * locks, the mode says "repair-only", guest edits and snapshots are refused, and the window's repair, applied in place,
 * leaves the file as qemu-img check calls clean; the window can then edit it.
 */
class RepairOnlyModeQemuTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    private static void orIncompatible(Path img, int bits) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(72);
            long incompatible = f.readLong();
            f.seek(72);
            f.writeLong(incompatible | bits);
        }
    }

    /** A lazy-refcounts image written by qemu-io, its second data cluster's L2 entry cleared (a leak), dirty bit set. */
    private Path leakedAndDirty() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "lazy_refcounts=on", "d.qcow2", "4M");
        Qemu.io(dir, "d.qcow2", "write -q -P 0x11 0 64k", "write -q -P 0x22 64k 64k");
        Path img = dir.resolve("d.qcow2");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.seek(40);
            f.seek(f.readLong()); // L1[0]
            long l2 = f.readLong() & 0x00FFFFFFFFFFFE00L;
            f.seek(l2 + 8);
            f.writeLong(0);
        }
        orIncompatible(img, 1);
        return img;
    }

    /** Edit on {@code img}: asserts the repair-only mode and that guest edits and snapshots are refused. */
    private static MainViewModel repairOnly(Path img, String reason) {
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(img);
        assertNotNull(vm.sessionProperty().get(), vm.errorProperty().get());
        EditMode mode = vm.edit().mode();
        mode.enter();
        assertTrue(mode.isEditing() && mode.isRepairOnly(), "repair-only: " + vm.errorProperty().get());
        assertEquals("repair-only", mode.labelProperty().get());
        assertTrue(vm.titleProperty().get().endsWith("(repair-only)"), vm.titleProperty().get());
        assertTrue(mode.detailProperty().get().contains(reason), mode.detailProperty().get());
        assertFalse(mode.writesAllowedProperty().get());
        Qemu.Result held = Qemu.imgAllowFail(img.getParent(), "info", img.getFileName().toString());
        assertTrue(held.exitCode() != 0 && held.stderr().contains("lock"), "the window holds the lock: " + held.stderr());
        vm.edit().rangeOffsetProperty().set("0");
        vm.edit().rangeLengthProperty().set("4k");
        assertFalse(vm.edit().queuePattern("1"), "no guest write is queued");
        assertTrue(vm.errorProperty().get().contains("repair only"), vm.errorProperty().get());
        assertFalse(vm.edit().queueSnapshotCreate("s1"), "no snapshot is queued");
        assertTrue(vm.operations().isEmpty());
        return vm;
    }

    /** Plans, queues and applies the window's repair in place; then check is clean and the image may be edited. */
    private static void repairInPlace(MainViewModel vm, Path img) {
        vm.repair().plan();
        assertTrue(vm.repair().plannedProperty().get(), vm.repair().statusProperty().get());
        assertNotNull(vm.repair().queueRepair(), "the repair is queued in repair-only mode");
        vm.edit().runner().apply(ApplyRequest.inPlace(ApplyRunner.defaultJournal(img)));
        assertEquals("", vm.errorProperty().get());
        assertTrue(vm.operations().isEmpty());
        EditMode mode = vm.edit().mode();
        assertTrue(mode.isEditing() && !mode.isRepairOnly(), "repaired, the image may be edited: "
                + mode.labelProperty().get());
        assertEquals("editing", mode.labelProperty().get());
        mode.leave(); // qemu-img needs the lock
        Qemu.Result r = Qemu.imgAllowFail(img.getParent(), "check", img.getFileName().toString());
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    }

    @Test
    void aDirtyImageWithALeakOpensRepairOnlyAndTheWindowsRepairMakesItClean() throws Exception {
        Path img = leakedAndDirty();
        MainViewModel vm = repairOnly(img, "dirty bit");
        repairInPlace(vm, img);
        Qemu.Result info = Qemu.img(dir, "info", "d.qcow2");
        assertFalse(info.stdout().contains("corrupt: true"), info.stdout());
        Qemu.io(dir, "d.qcow2", "read -q -P 0x11 0 64k", "read -q -P 0 64k 64k");
    }

    @Test
    void aCorruptImageOpensRepairOnlyWithAndWithoutTheCorruptBitAndTheWindowsRepairMakesItClean() throws Exception {
        Path damaged = DamagedImages.leakRefcountZeroAndOverlap(Files.createDirectories(dir.resolve("by-check")));
        MainViewModel vm = repairOnly(damaged, "corruption");
        repairInPlace(vm, damaged);

        Path flagged = DamagedImages.leakRefcountZeroAndOverlap(Files.createDirectories(dir.resolve("by-bit")));
        orIncompatible(flagged, 2);
        vm = repairOnly(flagged, "corrupt bit");
        repairInPlace(vm, flagged);
    }
}
