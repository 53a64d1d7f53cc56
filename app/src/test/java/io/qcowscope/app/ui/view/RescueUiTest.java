package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.repair.RescueFixRow;
import io.qcowscope.app.ui.viewmodel.repair.RescueViewModel;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.testkit.RescueCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.RadioButton;
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
 * The rescue end to end in the window, on a corpus image (extended L2, a snapshot, the magic damaged): the open fails
 * and offers "Rescue this image...", the rescue window shows the magic's candidate chosen with its evidence, the copy is
 * written after the confirmation (qemu-img check clean, the guest as the undamaged original's, the damaged file only
 * read), and "Open the rescued copy" opens it in the window.
 */
@ExtendWith(ApplicationExtension.class)
class RescueUiTest {
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

    @Test
    void openOffersTheRescueWhichWritesACleanCopyAndOpensIt(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> ui.vm.rescuableProperty().get() != null);
        WindowUi.settle();
        assertNull(ui.vm.sessionProperty().get(), "the window cannot open the image");
        byte[] before = Files.readAllBytes(damaged.image());
        robot.clickOn("#rescueOffer");
        RescueViewModel r = ui.vm.rescue();
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() ->
                !r.planningProperty().get() && !r.fixes().isEmpty()).get());
        WindowUi.settle();
        Node root = robot.lookup("#rescueView").query();
        RadioButton magic = robot.lookup("#candidate-magic-0").queryAs(RadioButton.class);
        assertTrue(magic.isSelected(), "the default candidate is chosen");
        assertTrue(robot.lookup(".rescue-evidence").queryAll().size() >= 1, "its evidence is shown");
        @SuppressWarnings("unchecked")
        TableView<RescueFixRow> fixes = robot.lookup("#rescueFixes").queryAs(TableView.class);
        assertEquals(FixKind.RESCUE_MAGIC, fixes.getItems().get(0).kind());
        WindowUi.assertNothingElided(root, "the rescue window");
        robot.interact(() -> {
            root.getScene().getWindow().setWidth(1024);
            root.getScene().getWindow().setHeight(700);
        });
        WindowUi.settle();
        WindowUi.assertNothingElided(root, "the rescue window at 1024x700");

        robot.clickOn("#writeRescue");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#rescueConfirm").tryQuery().isPresent());
        WindowUi.settle();
        robot.clickOn(robot.lookup("#rescueConfirm .button").match((Button b) -> b.getText().equals("Write the copy"))
                .queryAs(Button.class));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> r.resultProperty().get() != null);
        WindowUi.settle();
        Path copy = r.resultProperty().get().target();
        assertTrue(r.resultProperty().get().clean(), r.statusProperty().get());
        assertEquals(0, Qemu.imgAllowFail(dir, "check", copy.toString()).exitCode(),
                Qemu.imgAllowFail(dir, "check", copy.toString()).stdout());
        assertEquals(0, Qemu.imgAllowFail(dir, "compare", damaged.original().toString(), copy.toString()).exitCode(),
                "the guest reads as the undamaged original's");
        assertArrayEquals(before, Files.readAllBytes(damaged.image()), "the damaged image is only read");
        WindowUi.assertNothingElided(root, "the rescue window with its result at 1024x700");

        robot.clickOn("#openRescued");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> ui.vm.layoutReadyProperty().get());
        assertEquals(copy, ui.vm.sessionProperty().get().path(), "the rescued copy is open in the window");
    }
}
