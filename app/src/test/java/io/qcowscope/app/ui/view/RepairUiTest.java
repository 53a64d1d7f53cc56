package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.repair.FixRow;
import io.qcowscope.app.ui.viewmodel.repair.RepairOperation;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.DamagedImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
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
 * host map and L2 table, queued; the queued operation applied to a copy (qemu-img check clean, guest content as the plan
 * promised); then the window's own Apply (Edit, the queue's Apply button, the confirmation) in place behind the default
 * undo journal, the result card shown, and the Undo button restoring the file bit for bit. Buttons are fired, not
 * clicked, and every wait is generous and names what did not happen, so the test holds under load.
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

    /** Waits up to {@code seconds} for {@code c} (read on the FX thread), failing with {@code what} did not happen. */
    private static void waitUntil(int seconds, String what, Callable<Boolean> c) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
        } catch (TimeoutException e) {
            throw new AssertionError("after " + seconds + " s: " + what, e);
        }
        WindowUi.settle();
    }

    /** With {@code -Dqcowscope.shotDir=DIR}, the window as a PNG there (to look at; the test does not need it). */
    private void shot(FxRobot robot, String name) throws Exception {
        String d = System.getProperty("qcowscope.shotDir");
        if (d != null) {
            WindowUi.settle();
            ShotKit.shoot(ui.stage.getScene(), Path.of(d, name));
        }
    }

    private static void fire(FxRobot robot, String id) {
        ButtonBase b = robot.lookup(id).queryAs(ButtonBase.class);
        assertFalse(b.isDisabled(), id + " is disabled");
        robot.interact(b::fire);
    }

    @Test
    void planChooseZeroWinsPreviewQueueApplyInPlaceThroughTheConfirmationThenUndo(FxRobot robot) throws Exception {
        ui.resize(robot, 1600, 1000);
        ui.waitForScan();
        ui.show(robot, 6);
        byte[] original = sha(image);
        fire(robot, "#planRepair");
        waitUntil(120, "Plan repair did not show a plan", () -> ui.vm.repair().plannedProperty().get());
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
        robot.interact(radio::fire);
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

        fire(robot, "#queueRepair");
        waitUntil(30, "Queue repair added nothing to the queue", () -> ui.vm.operations().items().size() == 1);
        RepairOperation op = (RepairOperation) ui.vm.operations().items().get(0);
        assertTrue(op.plan().selected().stream().anyMatch(f -> f.kind() == FixKind.SUBCLUSTERS_ZERO_WINS));
        assertArrayEquals(original, sha(image), "queueing writes nothing");

        // what the plan promises (qemu-img refuses to read the damaged original: "Invalid cluster entry found", so it is
        // spelled out): what qemu-io wrote, the leaked entry's cluster reading zeros, zero wins' subcluster reading zeros
        byte[] promised = new byte[4 << 20];
        int c = DamagedImages.CLUSTER;
        Arrays.fill(promised, 0, c, (byte) 0x11);
        Arrays.fill(promised, DamagedImages.REFCOUNT_ZERO * c, (DamagedImages.REFCOUNT_ZERO + 1) * c, (byte) 0x33);
        Arrays.fill(promised, DamagedImages.OVERLAP * c, (DamagedImages.OVERLAP + 1) * c, (byte) 0x44);
        int from = DamagedImages.OVERLAP * c + DamagedImages.OVERLAP_SUBCLUSTER * DamagedImages.SUBCLUSTER;
        Arrays.fill(promised, from, from + DamagedImages.SUBCLUSTER, (byte) 0);
        assertEquals(DamagedImages.LEAKED, 1, "cluster 1 (the leaked entry's) reads zeros");

        // the engine's apply on a copy: clean, and the guest reads what the plan promised
        Path copy = dir.resolve("copy.qcow2");
        Files.deleteIfExists(copy);
        Files.copy(image, copy);
        op.apply(copy, null, ProgressMonitor.NONE);
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "copy.qcow2").exitCode(),
                Qemu.imgAllowFail(dir, "check", "copy.qcow2").stdout());
        assertArrayEquals(promised, raw(copy), "guest content equals what the plan promised");
        assertArrayEquals(original, sha(image), "the original is untouched");

        // the window's own Apply: Edit, then Apply through the confirmation, in place behind the default undo journal
        fire(robot, "#editToggle");
        waitUntil(60, "Edit did not take the image's locks (" + ui.vm.edit().mode().refusalProperty().get() + ")",
                () -> ui.vm.edit().mode().isEditing());
        assertEquals("repair-only", robot.lookup("#mode").queryAs(Label.class).getText(),
                "check finds corruptions: the mode indicator says the image opens for repair only");
        // the guest map's tab joins the scene when it is first shown
        ui.show(robot, 2);
        assertFalse(robot.lookup("#guestEditBar").query().isVisible(), "no guest edits on an image to repair");
        ui.show(robot, 6);
        assertTrue(((Label) robot.lookup("#queueList").queryAs(javafx.scene.control.ListView.class).getPlaceholder())
                .getText().contains("Queue repair"),
                "the empty queue's hint points at the repair, not at guest edits");
        shot(robot, "repair-only.png");
        ButtonBase apply = robot.lookup("#applyQueue").queryAs(ButtonBase.class);
        waitUntil(30, "the queue panel's Apply stayed disabled", () -> !apply.isDisabled());
        Platform.runLater(apply::fire); // the confirmation is modal: its nested event loop must not block the robot
        waitUntil(60, "Apply showed no confirmation", () -> robot.lookup("#applyDialog").tryQuery().isPresent());
        DialogPane confirm = robot.lookup("#applyDialog").queryAs(DialogPane.class);
        String listed = robot.lookup("#applyChanges").queryAs(TextInputControl.class).getText();
        assertTrue(listed.contains("subclusters-zero") && listed.contains("changes-guest-data"), listed);
        Path journal = dir.resolve(image.getFileName() + ".undo");
        assertEquals(journal.toString(), robot.lookup("#journalPath").queryAs(TextField.class).getText());
        Button applyInDialog = (Button) confirm.lookupButton(confirm.getButtonTypes().stream()
                .filter(t -> t.getButtonData() == ButtonBar.ButtonData.OK_DONE).findFirst().orElseThrow());
        robot.interact(applyInDialog::fire);
        waitUntil(180, "the in-place Apply did not finish with the image reopened, editing, its re-check shown",
                () -> !ui.vm.edit().runner().runningProperty().get() && ui.vm.layoutReadyProperty().get()
                        && ui.vm.edit().mode().isEditing() && ui.vm.repair().resultProperty().get() != null);
        assertEquals("editing", robot.lookup("#mode").queryAs(Label.class).getText(), "repaired, it may be edited");
        assertEquals("", ui.vm.errorProperty().get());
        assertTrue(ui.vm.operations().isEmpty(), "the queue is empty after the Apply");
        assertTrue(Files.exists(journal), "the undo journal is beside the image");
        Node card = robot.lookup("#resultCard").query();
        assertTrue(card.isVisible());
        assertEquals("Clean by qemu-img check's rules", robot.lookup("#resultTitle").queryAs(Label.class).getText());
        assertTrue(robot.lookup("#resultAfter").queryAs(Label.class).getText()
                .contains("0 corruptions, 0 leaked clusters, 0 check errors"));
        assertArrayEquals(promised, raw(image), "guest content after the window's Apply equals what the plan promised");
        if (System.getProperty("qcowscope.shotDir") != null) { // what the Apply changed, highlighted
            ui.show(robot, 3);
            robot.interact(() -> ui.vm.tables().selectL1(0));
            WindowUi.settle();
            shot(robot, "applied-l2.png");
            ui.show(robot, 4);
            shot(robot, "applied-refcounts.png");
            ui.show(robot, 6);
        }
        ui.assertNothingElidedAtBothSizes(robot, "the repair workspace with its result card");

        // qemu-img needs the write lock the window holds while editing: leave Edit (Undo does not need it)
        robot.interact(() -> ui.vm.edit().mode().leave());
        waitUntil(30, "Edit was not left", () -> !ui.vm.edit().mode().isEditing());
        assertEquals(0, Qemu.imgAllowFail(dir, "check", image.getFileName().toString()).exitCode(),
                Qemu.imgAllowFail(dir, "check", image.getFileName().toString()).stdout());

        ButtonBase undo = robot.lookup("#undoApply").queryAs(ButtonBase.class);
        waitUntil(120, "Undo last apply was not enabled after the Apply (journal "
                + ui.vm.edit().runner().lastJournalProperty().get() + ")", () -> !undo.isDisabled());
        robot.interact(undo::fire);
        waitUntil(180, "the Undo did not finish with the image reopened and the journal spent",
                () -> !ui.vm.edit().runner().runningProperty().get() && ui.vm.layoutReadyProperty().get()
                        && ui.vm.edit().runner().lastJournalProperty().get() == null);
        assertEquals("", ui.vm.errorProperty().get());
        assertArrayEquals(original, sha(image), "undo restores the file bit for bit");
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
