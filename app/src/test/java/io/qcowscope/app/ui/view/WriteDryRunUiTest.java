package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.app.ui.viewmodel.lab.PlanStep;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Parent;
import javafx.scene.chart.BarChart;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
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

/** The dry-run window from the guest map's context menu: steps, the side-by-side chart and figures, the file intact. */
@ExtendWith(ApplicationExtension.class)
class WriteDryRunUiTest {
    @TempDir
    static Path dir;
    static Path image;
    WindowUi ui;

    @BeforeAll
    static void make() {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void contextMenuOpensDryRunWhosePlanShowsStepsAndComparison(FxRobot robot) throws Exception {
        ui.waitForScan();
        String sha = sha(image);
        ui.vm.writeDryRun().setScratchDirectory(dir);
        Stage[] shown = new Stage[1];
        robot.interact(() -> {
            List<MenuItem> items = ui.view.labWindows().guestMapItems(65536);
            items.get(0).fire();
            shown[0] = ui.view.labWindows().showDryRun();
        });
        WindowUi.settle();
        assertEquals("0x10000", ui.vm.writeDryRun().offsetProperty().get());
        robot.interact(() -> ui.vm.writeDryRun().lengthProperty().set("3k"));
        robot.clickOn("#dryPlan");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !ui.vm.writeDryRun().steps().isEmpty()
                && !ui.vm.writeDryRun().busyProperty().get());
        WindowUi.settle();
        assertEquals(sha, sha(image), "the dry run wrote to the image");
        ListView<?> steps = robot.lookup("#drySteps").queryAs(ListView.class);
        assertTrue(steps.getItems().size() >= 8, steps.getItems().toString());
        assertEquals(PlanStep.Kind.RANGE, ((PlanStep) steps.getItems().get(0)).kind());
        TableView<?> figures = robot.lookup("#dryFigures").queryAs(TableView.class);
        assertEquals(5, figures.getItems().size());
        BarChart<?, ?> chart = robot.lookup("#dryChart").queryAs(BarChart.class);
        assertEquals(2, chart.getData().size());
        assertEquals(3, chart.getData().get(0).getData().size());
        Parent root = shown[0].getScene().getRoot();
        WindowUi.assertNothingElided(root, "dry run at " + shown[0].getWidth());
        robot.interact(() -> {
            shown[0].setWidth(1024);
            shown[0].setHeight(700);
        });
        WindowUi.settle();
        WindowUi.assertNothingElided(root, "dry run at 1024x700");
    }

    private static String sha(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
