package io.qcowscope.engine.repair;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.testkit.DamagedImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repair recorded into a journal its caller holds open (the window's one undo per apply), on a qemu-made image. */
class RepairJournaledTest {
    @TempDir
    Path dir;
    Path image;

    @BeforeEach
    void make() throws Exception {
        Qemu.requireInstalled();
        image = DamagedImages.leakRefcountZeroAndOverlap(dir);
    }

    @Test
    void journaledRepairLeavesTheImageCleanAndTheCallersJournalUndoesItBitForBit() throws Exception {
        byte[] before = UndoJournalTest.sha(image);
        assertFalse(Qemu.imgAllowFail(dir, "check", "damaged.qcow2").exitCode() == 0, "the image is damaged");
        RepairPlan plan = RepairPlanner.plan(image, io.qcowscope.engine.task.ProgressMonitor.NONE);
        Path journal = dir.resolve("apply.undo");
        try (UndoJournal j = UndoJournal.create(image, journal)) {
            RepairReport r = RepairApplier.apply(plan, new RepairApplier.Journaled(j),
                    io.qcowscope.engine.task.ProgressMonitor.NONE);
            assertEquals(0, r.after().corruptions() + r.after().leaks(), r.after().findings().toString());
            // the caller's journal stays open: a later operation of the same apply records into it too
            j.record(java.util.List.of(new long[]{0, 8}));
        }
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "damaged.qcow2").exitCode(), "qemu-img check is clean");
        assertFalse(Arrays.equals(before, UndoJournalTest.sha(image)));
        UndoJournal.read(journal).undo();
        assertArrayEquals(before, UndoJournalTest.sha(image), "undo restores the file bit for bit");
    }

    @Test
    void qemuStyleRepairWithAJournalWritesWhatQemuWritesAndUndoes() throws Exception {
        byte[] before = UndoJournalTest.sha(image);
        Files.copy(image, dir.resolve("qemu.qcow2"));
        Qemu.imgAllowFail(dir, "check", "-r", "all", "qemu.qcow2");
        Path journal = dir.resolve("qemu.undo");
        try (UndoJournal j = UndoJournal.create(image, journal)) {
            assertTrue(QemuStyleRepair.repair(image, true, j, io.qcowscope.engine.task.ProgressMonitor.NONE) != null);
        }
        // The same findings as qemu-img's own -r all leaves. Not the end offset: where the rebuilt refcount structure lands
        // differs from QEMU 7.2 on this image with or without a journal (655360 vs 720896), a known engine difference.
        assertEquals(withoutEndOffset(Qemu.imgAllowFail(dir, "check", "qemu.qcow2").stdout()),
                withoutEndOffset(Qemu.imgAllowFail(dir, "check", "damaged.qcow2").stdout()));
        UndoJournal.read(journal).undo();
        assertArrayEquals(before, UndoJournalTest.sha(image));
    }

    private static String withoutEndOffset(String checkOutput) {
        return checkOutput.replaceAll("Image end offset: \\d+", "");
    }
}
