package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.view.repair.RepairView;
import io.qcowscope.app.ui.viewmodel.repair.FixRow;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.testkit.Qemu;
import io.qcowscope.engine.testkit.RescueCorpus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ButtonBase;
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
 * Findings &amp; Repair on an image whose backing file is missing (issue 14): the plan offers dropping the link, marked
 * changes-guest-data and not chosen; "Point at another backing file..." asks for a file (the chooser answered here),
 * and the plan made again offers re-pointing the link at it, not chosen either.
 */
@ExtendWith(ApplicationExtension.class)
class RepairBackingUiTest {
    @TempDir
    static Path dir;
    static RescueCorpus.Damaged damaged;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        damaged = RescueCorpus.damage(RescueCorpus.Damage.BACKING_MISSING, dir);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, damaged.image());
    }

    private void waitUntil(int seconds, String what, Callable<Boolean> c) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("after " + seconds + " s: " + what + " (status: "
                    + WaitForAsyncUtils.asyncFx(() -> ui.vm.repair().statusProperty().get()).get() + ")", e);
        }
        WindowUi.settle();
    }

    @Test
    void aBackingFileNamedInTheRepairTabIsOfferedNeverChosen(FxRobot robot) throws Exception {
        ui.resize(robot, 1600, 1000);
        ui.waitForScan();
        ui.show(robot, 6);
        robot.interact(() -> robot.lookup("#planRepair").queryAs(ButtonBase.class).fire());
        waitUntil(120, "no plan", () -> ui.vm.repair().plannedProperty().get());
        @SuppressWarnings("unchecked")
        TableView<FixRow> fixes = robot.lookup("#fixes").queryAs(TableView.class);
        FixRow drop = fixes.getItems().stream().filter(r -> r.kind() == FixKind.DROP_BACKING).findFirst().orElseThrow();
        assertFalse(drop.isChosen(), "dropping the link is never chosen by default");
        assertEquals(RiskLevel.CHANGES_GUEST_DATA, drop.risk());
        ButtonBase point = robot.lookup("#repairBacking").queryAs(ButtonBase.class);
        assertTrue(point.isVisible() && !point.isDisabled(), "offered for the broken link");
        ui.assertNothingElided("the repair workspace with the backing choice at 1600x1000");

        RepairView view = robot.lookup("#repairWorkspace").queryAs(RepairView.class);
        Path named = damaged.options().backingFile();
        robot.interact(() -> view.setBackingChooser(() -> named));
        // fired, not clicked: the layout scan's notification may lie over the bottom of the tab for a while
        robot.interact(point::fire);
        waitUntil(120, "no re-point offered", () -> !ui.vm.repair().planningProperty().get()
                && fixes.getItems().stream().anyMatch(r -> r.kind() == FixKind.REPOINT_BACKING));
        FixRow repoint = fixes.getItems().stream().filter(r -> r.kind() == FixKind.REPOINT_BACKING).findFirst()
                .orElseThrow();
        assertFalse(repoint.isChosen(), "never by default");
        FixRow dropAgain = fixes.getItems().stream().filter(r -> r.kind() == FixKind.DROP_BACKING).findFirst()
                .orElseThrow();
        assertFalse(dropAgain.isChosen());
        assertEquals(RiskLevel.CHANGES_GUEST_DATA, dropAgain.risk(), "dropping the link stays marked");
        assertTrue(robot.lookup("#repairBackingNote").queryLabeled().getText().contains(named.getFileName().toString()));
        ui.resize(robot, 1024, 700);
        ui.assertNothingElided("the repair workspace with the backing choice at 1024x700");
    }
}
