package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.edit.EditTestImages;
import io.qcowscope.engine.testkit.L2Dump;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.testkit.QemuHolder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The edit mode in the window, end to end under Monocle: Edit (the toolbar toggle), guest edits queued from the guest map
 * (typed range and Shift+drag), Apply through the confirmation, the result against qemu-io, Undo bit for bit; Edit refused
 * while qemu-io holds the image; closing with pending operations asks.
 */
@ExtendWith(ApplicationExtension.class)
class EditUiTest {
    @TempDir
    Path dir;
    Path image;
    Stage stage;
    WindowUi ui;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    @Start
    void start(Stage s) {
        stage = s;
    }

    @BeforeEach
    void images() {
        image = EditTestImages.extendedOverBacking(dir);
    }

    private void open(FxRobot robot) throws Exception {
        robot.interact(() -> ui = WindowUi.start(stage, image));
        ui.waitForScan();
    }

    private static byte[] sha(Path p) throws Exception {
        return EditTestImages.sha256(p);
    }

    private void edit(FxRobot robot) {
        robot.clickOn("#editToggle");
        WaitForAsyncUtils.waitForFxEvents();
        waitUntil(() -> ui.vm.edit().mode().isEditing() || !ui.vm.edit().mode().refusalProperty().get().isEmpty());
    }

    private static void waitUntil(java.util.concurrent.Callable<Boolean> c) {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting", e);
        }
        WindowUi.settle();
    }

    /** Waits for a dialog to show (a nested event loop started by runLater). */
    private static void dialogShown(FxRobot robot) {
        try {
            waitUntil(() -> robot.lookup(".dialog-pane").tryQuery().isPresent());
        } catch (AssertionError e) {
            throw new AssertionError("no dialog; windows: " + robot.listWindows(), e);
        }
    }

    private static void type(FxRobot robot, String field, String text) {
        TextField f = robot.lookup(field).queryAs(TextField.class);
        // set, not typed: under load the robot's key events can reach the field before its focus does
        robot.interact(() -> f.setText(text));
        assertEquals(text, f.getText());
    }

    /** Clicks a queueing button and waits for the queue to reach {@code size} entries. */
    private static void queueBy(FxRobot robot, String button, int size) {
        robot.clickOn(button);
        ListView<?> queue = robot.lookup("#queueList").queryAs(ListView.class);
        try {
            waitUntil(() -> queue.getItems().size() >= size);
        } catch (AssertionError e) {
            throw new AssertionError(button + " queued nothing; queue " + queue.getItems(), e);
        }
    }

    private static void clickDialogButton(FxRobot robot, String text) {
        robot.clickOn(robot.lookup(".dialog-pane .button").match((Button b) -> b.getText().equals(text))
                .queryAs(Button.class));
    }

    @Test
    void guestEditsQueuedFromTheGuestMapApplyLikeQemuIoAndUndo(FxRobot robot) throws Exception {
        byte[] original = sha(image);
        open(robot);
        assertEquals("read-only", robot.lookup("#mode").queryAs(Label.class).getText());
        assertTrue(ui.vm.titleProperty().get().endsWith("(read-only)"), ui.vm.titleProperty().get());
        ui.show(robot, 2);
        assertFalse(robot.lookup("#guestEditBar").query().isVisible(), "no edit controls while read-only");
        edit(robot);
        assertEquals("editing", robot.lookup("#mode").queryAs(Label.class).getText());
        assertTrue(ui.vm.titleProperty().get().endsWith("(editing)"), ui.vm.titleProperty().get());
        assertTrue(robot.lookup("#queuePanel").query().isVisible());

        // the range as Shift+drag on the map sets it (the drag itself depends on where the shared stage was left)
        robot.interact(() -> ui.vm.edit().selectClusters(3, 2));
        assertEquals("0x20000", ui.vm.edit().rangeOffsetProperty().get());
        assertEquals("128k", ui.vm.edit().rangeLengthProperty().get());
        queueBy(robot, "#discard", 1);

        type(robot, "#rangeOffset", "4k");
        type(robot, "#rangeLength", "2k");
        robot.clickOn("#writePattern");
        dialogShown(robot);
        TextField byteField = robot.lookup("#patternDialog .text-field").queryAs(TextField.class);
        robot.interact(() -> byteField.setText("0x5a"));
        clickDialogButton(robot, "OK");
        ListView<?> queued = robot.lookup("#queueList").queryAs(ListView.class);
        waitUntil(() -> queued.getItems().size() >= 2);
        type(robot, "#rangeOffset", "0x10800");
        type(robot, "#rangeLength", "1k");
        queueBy(robot, "#zero", 3);
        type(robot, "#rangeOffset", "1M");
        type(robot, "#rangeLength", "64k");
        queueBy(robot, "#zeroUnmap", 4);
        ListView<?> queue = robot.lookup("#queueList").queryAs(ListView.class);
        assertEquals(4, queue.getItems().size(), ui.vm.errorProperty().get() + ui.vm.edit().rangeProblemProperty().get());
        Qemu.io(dir, "theirs.qcow2", "discard 128k 128k", "write -P 0x5a 4k 2k", "write -z 0x10800 1k",
                "write -z -u 1M 64k");

        robot.clickOn("#applyQueue");
        dialogShown(robot);
        DialogPane confirm = robot.lookup("#applyDialog").queryAs(DialogPane.class);
        String listed = robot.lookup("#applyChanges").queryAs(javafx.scene.control.TextInputControl.class).getText();
        assertTrue(listed.contains("1. Discard 128 KiB at 0x20000 [changes-guest-data]"), listed);
        assertTrue(listed.contains("4. Zero 64 KiB at 0x100000 (unmap)"), listed);
        String journal = robot.lookup("#journalPath").queryAs(TextField.class).getText();
        assertEquals(dir.resolve("ours.qcow2.undo").toString(), journal);
        assertTrue(confirm.isVisible());
        clickDialogButton(robot, "Apply");
        waitUntil(() -> !ui.vm.edit().runner().runningProperty().get() && ui.vm.layoutReadyProperty().get()
                && ui.vm.edit().mode().isEditing());
        assertEquals("", ui.vm.errorProperty().get());
        assertEquals(0, queue.getItems().size());
        Node summaries = robot.lookup("#lastApply").query();
        assertTrue(summaries.isVisible());
        assertEquals(4, ui.vm.edit().runner().lastSummaries().size());
        ui.assertNothingElided("guest map while editing, after an apply at 1600x1000");

        robot.interact(() -> ui.vm.edit().mode().leave()); // qemu-img needs the lock
        waitUntil(() -> !ui.vm.edit().mode().isEditing());
        Qemu.img(dir, "compare", "ours.qcow2", "theirs.qcow2");
        assertEquals(L2Dump.of(dir.resolve("theirs.qcow2")), L2Dump.of(image));
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "ours.qcow2").exitCode());

        robot.clickOn("#undoApply");
        waitUntil(() -> !ui.vm.edit().runner().runningProperty().get() && ui.vm.layoutReadyProperty().get());
        assertEquals("", ui.vm.errorProperty().get());
        assertArrayEquals(original, sha(image));
    }

    @Test
    void editIsRefusedNamingTheLockWhileQemuIoHoldsTheImage(FxRobot robot) throws Exception {
        try (QemuHolder holder = QemuHolder.open(image)) {
            open(robot);
            edit(robot);
            assertFalse(ui.vm.edit().mode().isEditing());
            String status = robot.lookup("#statusBar").queryAs(org.controlsfx.control.StatusBar.class).getText();
            assertTrue(status.contains("another process holds QEMU's lock") && status.contains("byte 101"), status);
            assertEquals("read-only", robot.lookup("#mode").queryAs(Label.class).getText());
            // said in the window's own notice bar, not in a popup window (drawn half, off the window, without a compositor)
            org.controlsfx.control.NotificationPane bar = robot.lookup("#notices")
                    .queryAs(org.controlsfx.control.NotificationPane.class);
            assertTrue(bar.isShowing() && bar.getText().contains("byte 101"), bar.getText());
            assertEquals(1, robot.listWindows().size(), "no popup window: " + robot.listWindows());
            assertFalse(robot.lookup("#editToggle").queryAs(javafx.scene.control.ToggleButton.class).isSelected());
            // still usable read-only: views switch and show the image
            robot.clickOn("Host layout");
            WindowUi.settle();
            assertEquals(1, ui.view.tabs().getSelectionModel().getSelectedIndex());
            assertFalse(ui.view.tabs().isDisabled());
        }
    }

    @Test
    void closingTheWindowWithPendingOperationsAsksFirst(FxRobot robot) throws Exception {
        open(robot);
        edit(robot);
        ui.show(robot, 2);
        robot.clickOn("#discard");
        assertEquals(1, ui.vm.operations().items().size());
        Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        dialogShown(robot); // a question is asked
        clickDialogButton(robot, "Cancel");
        WindowUi.settle();
        assertTrue(stage.isShowing(), "the window stays open");
        assertEquals(1, ui.vm.operations().items().size(), "the queue is kept");
        assertTrue(ui.vm.edit().mode().isEditing());

        Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
        dialogShown(robot);
        clickDialogButton(robot, "Drop them");
        WindowUi.settle();
        assertFalse(stage.isShowing(), "the close request went through: the window closed");
        assertTrue(ui.vm.operations().isEmpty());
        assertFalse(ui.vm.edit().mode().isEditing(), "the edit lock is released when the window closes");
        Qemu.img(dir, "info", "ours.qcow2");
    }
}
