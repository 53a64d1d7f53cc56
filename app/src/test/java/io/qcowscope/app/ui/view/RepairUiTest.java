package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.edit.OperationQueue;
import io.qcowscope.app.ui.viewmodel.repair.FixRow;
import io.qcowscope.app.ui.viewmodel.repair.RepairOperation;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.DamagedImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The repair workspace end to end on a qemu-made damaged image (a leak, a refcount-0 data cluster, an extended-L2
 * subcluster both allocated and zero): planned from the window, zero wins chosen by its radio button, previewed on the
 * host map and L2 table, queued, applied to a copy (qemu-img check clean, guest content as the plan promised) and in
 * place behind an undo journal (undo restores the file bit for bit), and the result card shown.
 */
@ExtendWith(ApplicationExtension.class)
class RepairUiTest {
    @TempDir
    static Path dir;
    static Path image;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = DamagedImages.leakRefcountZeroAndOverlap(dir);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    static byte[] sha(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    static byte[] raw(Path qcow2) throws Exception {
        Path out = qcow2.resolveSibling(qcow2.getFileName() + ".raw");
        Files.deleteIfExists(out);
        Qemu.img(qcow2.getParent(), "convert", "-U", "-O", "raw", qcow2.getFileName().toString(), out.getFileName().toString());
        return Files.readAllBytes(out);
    }

    @Test
    void planChooseZeroWinsPreviewQueueApplyToACopyAndInPlaceThenUndo(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 6);
        byte[] original = sha(image);
        robot.clickOn("#planRepair");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> ui.vm.repair().plannedProperty().get());
        WindowUi.settle();
        @SuppressWarnings("unchecked")
        TableView<FixRow> fixes = robot.lookup("#fixes").queryAs(TableView.class);
        FixRow zero = fixes.getItems().stream().filter(r -> r.kind() == FixKind.SUBCLUSTERS_ZERO_WINS).findFirst()
                .orElseThrow();
        FixRow data = fixes.getItems().stream().filter(r -> r.kind() == FixKind.SUBCLUSTERS_DATA_WINS).findFirst()
                .orElseThrow();
        assertTrue(data.isChosen() && !zero.isChosen(), "the engine's default is chosen");

        // the radio button of zero wins, in its row
        RadioButton radio = (RadioButton) robot.lookup("#fixes .radio-button").queryAll().stream()
                .filter(n -> rowItem(n) == zero).findFirst().orElseThrow();
        robot.clickOn(radio);
        WindowUi.settle();
        assertTrue(zero.isChosen() && !data.isChosen(), "zero wins chosen in the window");

        robot.interact(() -> fixes.getSelectionModel().select(zero));
        WindowUi.settle();
        Label diff = robot.lookup("#hexDiff .hex-new").queryAs(Label.class);
        assertEquals("00 00 00 20 ff ff ff df", diff.getText(), "the new bitmap word, shown before anything is written");
        long dataCluster = zero.facts().hostCluster();
        assertTrue(Arrays.binarySearch(ui.view.hostMapView().marked(), dataCluster) >= 0,
                "the host map hatches the data cluster the fix concerns");
        assertTrue(ui.vm.tables().previewProperty().get().marksEntry(zero.fix().byteOffset()),
                "the L2 table marks the entry");
        ui.assertNothingElided("the repair workspace at 1600x1000");

        robot.clickOn("#queueRepair");
        WindowUi.settle();
        assertEquals(1, ui.vm.operations().items().size());
        RepairOperation op = (RepairOperation) ui.vm.operations().items().get(0);
        assertTrue(op.plan().selected().stream().anyMatch(f -> f.kind() == FixKind.SUBCLUSTERS_ZERO_WINS));
        assertTrue(sha(image) != null && Arrays.equals(original, sha(image)), "queueing writes nothing");

        // applied to a copy: clean, and the guest reads what the plan promised: subcluster 5 of cluster 3 now zeros
        Path copy = dir.resolve("copy.qcow2");
        Files.copy(image, copy);
        String summary = op.apply(copy, null, ProgressMonitor.NONE);
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "copy.qcow2").exitCode(),
                Qemu.imgAllowFail(dir, "check", "copy.qcow2").stdout());
        // (qemu-img refuses to read the damaged original: "Invalid cluster entry found", so the promise is spelled out:
        // what qemu-io wrote, the leaked entry's cluster reading zeros, and zero wins' subcluster reading zeros)
        byte[] promised = new byte[4 << 20];
        int c = DamagedImages.CLUSTER;
        Arrays.fill(promised, 0, c, (byte) 0x11);
        Arrays.fill(promised, DamagedImages.REFCOUNT_ZERO * c, (DamagedImages.REFCOUNT_ZERO + 1) * c, (byte) 0x33);
        Arrays.fill(promised, DamagedImages.OVERLAP * c, (DamagedImages.OVERLAP + 1) * c, (byte) 0x44);
        int from = DamagedImages.OVERLAP * c + DamagedImages.OVERLAP_SUBCLUSTER * DamagedImages.SUBCLUSTER;
        Arrays.fill(promised, from, from + DamagedImages.SUBCLUSTER, (byte) 0);
        assertEquals(DamagedImages.LEAKED, 1, "cluster 1 (the leaked entry's) reads zeros");
        assertArrayEquals(promised, raw(copy), "guest content equals what the plan promised");
        assertTrue(Arrays.equals(original, sha(image)), "the original is untouched");

        robot.interact(() -> ui.vm.operations().applied(new OperationQueue.ApplyOutcome(copy, false, null, List.of(op),
                List.of(summary))));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.vm.repair().resultProperty().get() != null);
        WindowUi.settle();
        Node card = robot.lookup("#resultCard").query();
        assertTrue(card.isVisible());
        assertEquals("Clean by qemu-img check's rules", robot.lookup("#resultTitle").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#resultAfter").queryAs(Label.class).getText()
                .contains("0 corruptions, 0 leaked clusters, 0 check errors"));
        ui.assertNothingElidedAtBothSizes(robot, "the repair workspace with its result card");

        // in place behind one undo journal (the window holds no lock on this file), then undo: bit for bit
        Path inPlace = dir.resolve("inplace.qcow2");
        Files.copy(image, inPlace);
        Path journal = dir.resolve("inplace.undo");
        try (UndoJournal j = UndoJournal.create(inPlace, journal)) {
            op.apply(inPlace, j, ProgressMonitor.NONE);
        }
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "inplace.qcow2").exitCode());
        assertArrayEquals(promised, raw(inPlace));
        UndoJournal.read(journal).undo();
        assertArrayEquals(original, sha(inPlace), "undo restores the file bit for bit");
    }

    private static Object rowItem(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p instanceof TableRow<?> r) {
                return r.getItem();
            }
        }
        return null;
    }
}
