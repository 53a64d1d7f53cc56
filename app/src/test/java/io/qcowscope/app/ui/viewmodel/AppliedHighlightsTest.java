package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.viewmodel.RefcountsViewModel.RefcountRow;
import io.qcowscope.app.ui.viewmodel.TablesViewModel.L2Row;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRequest;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRunner;
import io.qcowscope.app.ui.viewmodel.edit.EditTestImages;
import io.qcowscope.engine.testkit.DamagedImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After an in-place Apply the L2 table marks the entries it changed with the subclusters whose bits flipped, and the
 * refcount block marks the refcounts it raised: for a guest write and for a repair, on qemu-made images; an Undo clears
 * the marks (synchronous executor).
 */
class AppliedHighlightsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    private static L2Row l2Row(MainViewModel vm, int index) {
        vm.tables().selectL1(0);
        return vm.tables().l2Rows().get(index);
    }

    private static RefcountRow refcountRow(MainViewModel vm, long cluster) {
        vm.refcounts().selectReftable(0);
        return vm.refcounts().block().stream().filter(r -> r.cluster() == cluster).findFirst()
                .orElseThrow(() -> new AssertionError("no refcount row for cluster " + cluster));
    }

    private static void applyInPlace(MainViewModel vm, Path img) {
        vm.edit().runner().apply(ApplyRequest.inPlace(ApplyRunner.defaultJournal(img)));
        assertEquals("", vm.errorProperty().get());
        assertTrue(vm.layoutReadyProperty().get(), "the views were refreshed from the new file");
    }

    @Test
    void aGuestWriteMarksTheSubclusterItAllocatedAndTheRefcountOfItsNewHostCluster() throws Exception {
        Path img = EditTestImages.extendedOverBacking(dir);
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(img);
        vm.edit().mode().enter();
        assertTrue(vm.edit().mode().writesAllowedProperty().get(), vm.errorProperty().get());
        vm.edit().rangeOffsetProperty().set("4k"); // cluster 0, subcluster 2 (2 KiB subclusters)
        vm.edit().rangeLengthProperty().set("2k");
        assertTrue(vm.edit().queuePattern("0x5a"));
        applyInPlace(vm, img);

        L2Row written = l2Row(vm, 0);
        assertTrue(vm.tables().changedByApply(written));
        assertEquals(1L << 2, vm.tables().flippedSubclusters(written), "exactly subcluster 2 flipped");
        L2Row other = l2Row(vm, 1); // qemu-io's write, untouched by the Apply
        assertFalse(vm.tables().changedByApply(other));
        assertEquals(0, vm.tables().flippedSubclusters(other));
        long host = written.hostOffset() >>> 16;
        assertTrue(vm.refcounts().raisedByApply(refcountRow(vm, host)), "the new host cluster's refcount rose");
        assertFalse(vm.refcounts().raisedByApply(refcountRow(vm, other.hostOffset() >>> 16)));
        assertFalse(vm.refcounts().raisedByApply(refcountRow(vm, 0)), "the header's refcount stays");

        vm.edit().runner().undoLast();
        assertEquals("", vm.errorProperty().get());
        assertFalse(vm.tables().changedByApply(l2Row(vm, 0)), "an Undo clears the marks");
        assertTrue(vm.tables().appliedProperty().get().isEmpty());
        assertTrue(vm.refcounts().appliedProperty().get().isEmpty());
    }

    @Test
    void aRepairMarksTheSubclusterBitItClearedAndTheRefcountItRaised() throws Exception {
        Path img = DamagedImages.leakRefcountZeroAndOverlap(Files.createDirectories(dir.resolve("d")));
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(img);
        long refcountZeroHost = l2Row(vm, DamagedImages.REFCOUNT_ZERO).hostOffset() >>> 16;
        vm.edit().mode().enter();
        assertTrue(vm.edit().mode().isRepairOnly(), vm.errorProperty().get());
        vm.repair().plan();
        assertNotNull(vm.repair().queueRepair()); // the engine's default: data wins for the overlap
        applyInPlace(vm, img);

        L2Row overlap = l2Row(vm, DamagedImages.OVERLAP);
        assertTrue(vm.tables().changedByApply(overlap));
        assertEquals(1L << DamagedImages.OVERLAP_SUBCLUSTER, vm.tables().flippedSubclusters(overlap),
                "the subcluster that was both allocated and zero");
        assertFalse(vm.tables().changedByApply(l2Row(vm, 0)));
        assertTrue(vm.refcounts().raisedByApply(refcountRow(vm, refcountZeroHost)),
                "the data cluster whose refcount was 0: " + refcountZeroHost + " raised "
                        + java.util.Arrays.toString(vm.refcounts().appliedProperty().get().raisedRefcounts()) + " summaries "
                        + vm.edit().runner().lastSummaries());
        assertFalse(vm.refcounts().raisedByApply(refcountRow(vm, 0)));
    }
}
