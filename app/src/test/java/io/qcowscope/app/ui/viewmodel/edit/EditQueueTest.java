package io.qcowscope.app.ui.viewmodel.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue's view-model: ranges as the CLI takes them, what is refused, the confirmation, closing, Cancel. */
class EditQueueTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    private Path image(String size) {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "a.qcow2", size);
        return dir.resolve("a.qcow2");
    }

    @Test
    void rangesAreTypedLikeTheCliAndCheckedAgainstTheDisk() {
        MainViewModel vm = EditApplyQemuTest.editing(image("4M"));
        EditViewModel e = vm.edit();
        e.rangeOffsetProperty().set("0x3f0000");
        e.rangeLengthProperty().set("64KiB");
        assertTrue(e.queueZero(false));
        GuestEditOperation op = (GuestEditOperation) vm.operations().items().get(0);
        assertEquals(0x3f0000, op.offset());
        assertEquals(65536, op.length());
        assertEquals("Zero 64 KiB at 0x3f0000", op.title());
        e.rangeLengthProperty().set("64k1");
        assertFalse(e.queueDiscard());
        assertTrue(e.rangeProblemProperty().get().startsWith("length '64k1'"), e.rangeProblemProperty().get());
        e.rangeLengthProperty().set("128k");
        assertFalse(e.queueDiscard());
        assertTrue(e.rangeProblemProperty().get().contains("past the end of the disk"), e.rangeProblemProperty().get());
        e.rangeOffsetProperty().set("0");
        assertFalse(e.queuePattern("256"));
        assertTrue(e.rangeProblemProperty().get().contains("not a byte value"));
        assertEquals(1, vm.operations().items().size());
    }

    @Test
    void draggedClustersBecomeTheRange() {
        MainViewModel vm = EditApplyQemuTest.editing(image("4M"));
        vm.edit().selectClusters(5, 2);
        assertEquals("0x20000", vm.edit().rangeOffsetProperty().get());
        assertEquals("256k", vm.edit().rangeLengthProperty().get());
    }

    @Test
    void nothingIsQueuedReadOnlyAndTheConfirmationListsRisksInOrder() {
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(image("4M"));
        assertFalse(vm.edit().queueZero(true));
        assertTrue(vm.errorProperty().get().contains("Ctrl+E"));
        vm.edit().mode().enter();
        vm.edit().queueSnapshotCreate("s");
        vm.edit().queueDiscard();
        List<String> lines = vm.edit().confirmationLines();
        assertEquals("1. Create snapshot 's' [rewrites-metadata]", lines.get(0));
        assertTrue(lines.get(2).startsWith("2. Discard 64 KiB at 0x0 [changes-guest-data]"), lines.toString());
        assertEquals(RiskLevel.CHANGES_GUEST_DATA, vm.edit().highestRisk());
        vm.operations().remove(vm.operations().items().get(1));
        assertEquals(RiskLevel.REWRITES_METADATA, vm.edit().highestRisk());
    }

    @Test
    void openingAnotherImageAsksFirstAndKeepsTheQueueWhenRefused() throws Exception {
        MainViewModel vm = EditApplyQemuTest.editing(image("4M"));
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "b.qcow2", "1M");
        vm.edit().queueDiscard();
        List<Integer> asked = new ArrayList<>();
        vm.edit().setDiscardPrompt(n -> {
            asked.add(n);
            return false;
        });
        vm.open(dir.resolve("b.qcow2"));
        assertEquals(List.of(1), asked);
        assertTrue(vm.titleProperty().get().contains("a.qcow2"), "still the first image");
        assertEquals(1, vm.operations().items().size());
        assertTrue(vm.edit().mode().isEditing());
        vm.edit().setDiscardPrompt(n -> true);
        vm.open(dir.resolve("b.qcow2"));
        assertTrue(vm.titleProperty().get().contains("b.qcow2 (read-only)"), vm.titleProperty().get());
        assertTrue(vm.operations().isEmpty());
        assertFalse(vm.edit().mode().isEditing());
        Qemu.img(dir, "info", "a.qcow2"); // the edit lock on the first image is gone
    }

    @Test
    void cancellingALongApplyLeavesAFileQemuImgCheckAccepts() throws Exception {
        Path img = image("256M");
        byte[] before = EditApplyQemuTest.sha(img);
        MainViewModel vm = new MainViewModel(SyncTaskExecutor.cancellingAfter("apply", 3), RecentFiles.inMemory());
        vm.open(img);
        vm.edit().mode().enter();
        assertTrue(vm.edit().mode().isEditing());
        vm.edit().rangeOffsetProperty().set("1000");
        vm.edit().rangeLengthProperty().set("100M");
        vm.edit().queuePattern("0x77");
        vm.edit().rangeOffsetProperty().set("0");
        vm.edit().rangeLengthProperty().set("1M");
        vm.edit().queueZero(true);
        Path journal = dir.resolve("a.undo");
        vm.edit().runner().apply(ApplyRequest.inPlace(journal));
        assertTrue(vm.errorProperty().get().startsWith("Apply stopped (cancelled)"), vm.errorProperty().get());
        assertEquals(2, vm.operations().items().size(), "nothing counts as applied");
        vm.edit().mode().leave();
        Qemu.Result check = Qemu.imgAllowFail(dir, "check", "a.qcow2");
        assertTrue(check.exitCode() == 0 || check.exitCode() == 3, check.stdout() + check.stderr());
        assertFalse(check.stdout().contains("ERROR"), check.stdout());
        Qemu.Result map = Qemu.img(dir, "map", "--output=json", "a.qcow2");
        assertTrue(map.stdout().contains("\"data\": true"), "the pieces before Cancel were written: " + map.stdout());
        vm.edit().runner().undoFrom(journal);
        assertArrayEquals(before, EditApplyQemuTest.sha(img));
    }
}
