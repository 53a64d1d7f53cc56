package io.qcowscope.app.ui.viewmodel.edit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.engine.testkit.L2Dump;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.testkit.QemuHolder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The edit mode and the Apply runner on qemu-made images, through the window's view-model on the synchronous executor:
 * a queued write / zero / discard sequence equals the same sequence done by qemu-io (content and L2 entries), an in-place
 * Apply is undone bit for bit, a copy leaves the original alone, a lock held by qemu-io refuses Edit. Images that need
 * a repair first are in {@link RepairOnlyModeQemuTest}.
 */
class EditApplyQemuTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    static byte[] sha(Path p) throws Exception {
        return EditTestImages.sha256(p);
    }

    private Path images() {
        return EditTestImages.extendedOverBacking(dir);
    }

    static MainViewModel editing(Path image) {
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(image);
        vm.edit().mode().enter();
        assertTrue(vm.edit().mode().isEditing(), vm.errorProperty().get());
        assertTrue(vm.titleProperty().get().endsWith("(editing)"), vm.titleProperty().get());
        return vm;
    }

    private static void range(EditViewModel e, String offset, String length) {
        e.rangeOffsetProperty().set(offset);
        e.rangeLengthProperty().set(length);
    }

    @Test
    void queuedWriteZeroDiscardEqualQemuIoAndUndoGivesTheOriginalSha256() throws Exception {
        Path img = images();
        byte[] original = sha(img);
        MainViewModel vm = editing(img);
        EditViewModel e = vm.edit();
        range(e, "4k", "2k");
        assertTrue(e.queuePattern("0x5a"));
        range(e, "0x10800", "1k");
        assertTrue(e.queueZero(false));
        range(e, "128k", "64k");
        assertTrue(e.queueZero(true));
        range(e, "512k", "128k");
        assertTrue(e.queueDiscard());
        range(e, "1M", "100k");
        assertTrue(e.queuePattern("7"));
        assertEquals(5, vm.operations().items().size());
        Qemu.io(dir, "theirs.qcow2", "write -P 0x5a 4k 2k", "write -z 0x10800 1k", "write -z -u 128k 64k",
                "discard 512k 128k", "write -P 7 1M 100k");

        Path journal = ApplyRunner.defaultJournal(img);
        assertEquals(dir.resolve("ours.qcow2.undo"), journal);
        e.runner().apply(ApplyRequest.inPlace(journal));

        assertEquals("", vm.errorProperty().get());
        assertTrue(vm.operations().isEmpty());
        assertNotNull(vm.operations().lastOutcomeProperty().get());
        List<String> summaries = vm.operations().lastOutcomeProperty().get().summaries();
        assertEquals(5, summaries.size());
        // 4k + 2k with 2 KiB subclusters: exactly subcluster 2 is written, nothing is copied
        assertTrue(summaries.get(0).startsWith("1 subcluster allocated, 0 bytes copied"), summaries.get(0));
        assertTrue(summaries.get(0).contains("1 L2 entry updated"), summaries.get(0));
        assertTrue(summaries.get(0).contains("1 new host cluster"), summaries.get(0));
        assertTrue(e.mode().isEditing(), "still editing after the apply");
        assertTrue(vm.layoutReadyProperty().get(), "the views were refreshed from the new file");
        e.mode().leave(); // qemu-img needs the lock the window holds while editing
        Qemu.img(dir, "compare", "ours.qcow2", "theirs.qcow2");
        assertEquals(L2Dump.of(dir.resolve("theirs.qcow2")), L2Dump.of(img));
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "ours.qcow2").exitCode());

        assertEquals(journal, e.runner().lastJournalProperty().get());
        e.mode().enter();
        e.runner().undoLast();
        assertEquals("", vm.errorProperty().get());
        assertArrayEquals(original, sha(img));
        assertNull(e.runner().lastJournalProperty().get());
        assertTrue(e.mode().isEditing());
    }

    @Test
    void applyToACopyLeavesTheOriginalAndOffersTheCopy() throws Exception {
        Path img = images();
        byte[] original = sha(img);
        MainViewModel vm = editing(img);
        range(vm.edit(), "0", "64k");
        vm.edit().queuePattern("0xee");
        assertTrue(vm.edit().queueSnapshotCreate("before-zero"));
        range(vm.edit(), "64k", "64k");
        vm.edit().queueZero(true);
        Path copy = ApplyRunner.defaultCopy(img);
        assertEquals(dir.resolve("ours-edited.qcow2"), copy);
        vm.edit().runner().apply(ApplyRequest.toCopy(copy));
        assertEquals("", vm.errorProperty().get());
        assertArrayEquals(original, sha(img));
        assertEquals(copy, vm.edit().runner().copyToOfferProperty().get());
        assertEquals(0, Qemu.imgAllowFail(dir, "check", copy.toString()).exitCode());
        Qemu.io(dir, "theirs.qcow2", "write -P 0xee 0 64k");
        Qemu.img(dir, "snapshot", "-c", "before-zero", "theirs.qcow2");
        Qemu.io(dir, "theirs.qcow2", "write -z -u 64k 64k");
        Qemu.img(dir, "compare", copy.toString(), "theirs.qcow2");
        assertTrue(Qemu.img(dir, "snapshot", "-l", copy.toString()).stdout().contains("before-zero"));
        assertTrue(vm.edit().mode().isEditing());
        assertTrue(vm.titleProperty().get().contains("ours.qcow2"));
    }

    @Test
    void snapshotCreateRevertDeleteQueuedLikeQemuImgSnapshot() throws Exception {
        Path img = images();
        MainViewModel vm = editing(img);
        assertTrue(vm.edit().queueSnapshotCreate("one"));
        assertFalse(vm.edit().queueSnapshotCreate("one"), "a name queued once is taken");
        range(vm.edit(), "0", "64k");
        vm.edit().queuePattern("0x33");
        vm.edit().runner().apply(ApplyRequest.inPlace(ApplyRunner.defaultJournal(img)));
        var one = vm.snapshots().snapshots().stream().filter(s -> s.name().equals("one")).findFirst().orElseThrow();
        assertTrue(vm.edit().queueSnapshotRevert(one));
        assertTrue(vm.edit().queueSnapshotDelete(one));
        vm.edit().runner().apply(ApplyRequest.inPlace(ApplyRunner.defaultJournal(img)));
        assertEquals("", vm.errorProperty().get());
        assertTrue(vm.snapshots().snapshots().isEmpty());
        vm.edit().mode().leave();
        Qemu.img(dir, "snapshot", "-c", "one", "theirs.qcow2");
        Qemu.io(dir, "theirs.qcow2", "write -P 0x33 0 64k");
        Qemu.img(dir, "snapshot", "-a", "one", "theirs.qcow2");
        Qemu.img(dir, "snapshot", "-d", "one", "theirs.qcow2");
        Qemu.img(dir, "compare", "ours.qcow2", "theirs.qcow2");
        assertEquals(L2Dump.of(dir.resolve("theirs.qcow2")), L2Dump.of(img));
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "ours.qcow2").exitCode());
    }

    @Test
    void editIsRefusedNamingTheLockWhileQemuIoHoldsTheImage() throws Exception {
        Path img = images();
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        try (QemuHolder holder = QemuHolder.open(img)) {
            vm.open(img);
            assertNotNull(vm.sessionProperty().get(), "opening read-only works while QEMU holds the image");
            vm.edit().mode().enter();
            assertFalse(vm.edit().mode().isEditing());
            String why = vm.edit().mode().refusalProperty().get();
            assertTrue(why.contains("byte 101") && why.contains("write") && why.contains("read-only"), why);
            assertEquals(why, vm.errorProperty().get());
            assertTrue(vm.titleProperty().get().endsWith("(read-only)"));
            range(vm.edit(), "0", "4k");
            assertFalse(vm.edit().queuePattern("1"), "nothing is queued while read-only");
            assertTrue(vm.layoutReadyProperty().get(), "the window stays usable read-only");
        }
        vm.edit().mode().enter();
        assertTrue(vm.edit().mode().isEditing(), vm.errorProperty().get());
        Qemu.Result r = Qemu.imgAllowFail(dir, "info", "ours.qcow2");
        assertTrue(r.exitCode() != 0 && r.stderr().contains("lock"), "the window now holds the lock: " + r.stderr());
        vm.edit().mode().leave();
        Qemu.img(dir, "info", "ours.qcow2");
    }
}
