package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.repair.RescueViewModel;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.testkit.RescueCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
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
 * The rescue in place from the rescue window (issue 14), on a corpus image the window cannot open (extended L2, a
 * snapshot, the magic damaged): "This file in place" shows the undo journal beside it, the confirmation names the file
 * and the journal, the file is then clean by {@code qemu-img check} with the undamaged original's guest content, and
 * "Undo the rescue" puts it back: its sha256 is the damaged file's again.
 */
@ExtendWith(ApplicationExtension.class)
class RescueInPlaceUiTest {
    @TempDir
    static Path dir;
    static RescueCorpus.Damaged damaged;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        damaged = RescueCorpus.damage(RescueCorpus.Damage.MAGIC_EXTL2_SNAPSHOT, dir);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, damaged.image());
    }

    static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }

    @Test
    void rescuedInPlaceIsCleanThenUndoPutsTheDamagedFileBack(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.vm.rescuableProperty().get() != null);
        WindowUi.settle();
        byte[] damagedSha = sha256(damaged.image());
        robot.clickOn("#rescueOffer");
        RescueViewModel r = ui.vm.rescue();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() ->
                !r.planningProperty().get() && r.readyProperty().get()).get());
        WindowUi.settle();
        Node root = robot.lookup("#rescueView").query();
        TextField name = robot.lookup("#rescueTarget").queryAs(TextField.class);
        assertEquals(damaged.image().resolveSibling("damaged-rescued.qcow2").toString(), name.getText(),
                "a new copy is the default");

        robot.clickOn("#rescueInPlace");
        WindowUi.settle();
        Path journal = damaged.image().resolveSibling("damaged.qcow2.undo");
        assertEquals("Undo journal:", robot.lookup("#rescueTargetLabel").queryAs(Label.class).getText());
        assertEquals(journal.toString(), name.getText(), "the journal beside the image, its name shown");
        WindowUi.assertNothingElided(root, "the rescue window, in place");

        robot.clickOn("#writeRescue");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#rescueConfirm").tryQuery().isPresent());
        WindowUi.settle();
        DialogPane confirm = robot.lookup("#rescueConfirm").queryAs(DialogPane.class);
        assertEquals("Rescue damaged.qcow2 in place, with the undo journal damaged.qcow2.undo?",
                confirm.getHeaderText(), "the confirmation names the file written and its journal");
        robot.clickOn(robot.lookup("#rescueConfirm .button").match((Button b) -> b.getText().equals("Rescue in place"))
                .queryAs(Button.class));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> r.resultProperty().get() != null);
        WindowUi.settle();
        assertTrue(r.resultProperty().get().inPlace() && r.resultProperty().get().clean(), r.statusProperty().get());
        assertTrue(Files.exists(journal));
        Qemu.Result check = Qemu.imgAllowFail(dir, "check", damaged.image().toString());
        assertEquals(0, check.exitCode(), check.stdout());
        assertEquals(0, Qemu.imgAllowFail(dir, "compare", damaged.original().toString(), damaged.image().toString())
                .exitCode(), "the guest reads as the undamaged original's");
        assertFalse(Files.exists(damaged.image().resolveSibling("damaged-rescued.qcow2")), "no copy in place");
        robot.interact(() -> {
            root.getScene().getWindow().setWidth(1024);
            root.getScene().getWindow().setHeight(700);
        });
        WindowUi.settle();
        WindowUi.assertNothingElided(root, "the rescue window with its in-place result at 1024x700");

        robot.clickOn("#undoRescue");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() ->
                r.lastJournalProperty().get() == null && !r.writingProperty().get()).get());
        WindowUi.settle();
        assertArrayEquals(damagedSha, sha256(damaged.image()), "Undo puts the damaged file back bit for bit: "
                + r.statusProperty().get());
        assertTrue(r.statusProperty().get().startsWith("undone"), r.statusProperty().get());
    }
}
