package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.view.lab.LabView;
import io.qcowscope.app.ui.viewmodel.lab.LabRow;
import io.qcowscope.app.ui.viewmodel.lab.LabViewModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Lab view at a tiny scale: Run fills the table and the charts, Cancel stops, nothing is elided at 1024x700. */
@ExtendWith(ApplicationExtension.class)
class LabViewUiTest {
    @TempDir
    static Path dir;
    LabViewModel vm;
    LabView view;
    Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        QcowscopeApp.applyTheme(false);
        vm = new LabViewModel(new FxTaskExecutor());
        vm.setScratchDirectory(dir);
        vm.virtualSizeProperty().set(64L << 20);
        vm.totalBytesProperty().set(256L << 10);
        for (int i = 1; i < LabViewModel.CLUSTER_SIZES.length - 1; i++) {
            vm.clusterSizeChoices().get(i).set(false); // 64 KiB and 2 MiB
        }
        vm.withBackingProperty().set(false);
        view = new LabView(vm);
        Scene scene = WindowScene.create(view, 1024, 700);
        stage.setScene(scene);
        stage.show();
    }

    @Test
    void runFillsTableAndChartsAndNothingIsElided(FxRobot robot) throws Exception {
        robot.clickOn("#labRun");
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !vm.runningProperty().get() && !vm.rows().isEmpty());
        WindowUi.settle();
        assertEquals(4, vm.rows().size());
        for (LabRow r : vm.rows()) {
            assertEquals("done", r.stateProperty().get(), vm.statusProperty().get());
        }
        TableView<?> t = robot.lookup("#labTable").queryAs(TableView.class);
        assertEquals(4, t.getItems().size());
        BarChart<?, ?> sizes = (BarChart<?, ?>) robot.lookup("#labCharts").queryAs(javafx.scene.layout.GridPane.class)
                .getChildren().get(0);
        assertEquals(2, sizes.getData().size(), "standard and extended L2");
        for (XYChart.Series<?, ?> s : sizes.getData()) {
            assertEquals(2, s.getData().size());
            for (XYChart.Data<?, ?> d : s.getData()) {
                assertTrue(((Number) d.getYValue()).doubleValue() > 0);
            }
        }
        assertTrue(vm.csv().lines().count() == 5);
        WindowUi.assertNothingElided(view, "lab at 1024x700");
        robot.interact(() -> {
            stage.setWidth(1600);
            stage.setHeight(1000);
        });
        WindowUi.settle();
        WindowUi.assertNothingElided(view, "lab at 1600x1000");
    }

    @Test
    void cancelStopsTheRun(FxRobot robot) throws Exception {
        robot.interact(() -> vm.totalBytesProperty().set(64L << 20));
        robot.clickOn("#labRun");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.rows().stream()
                .anyMatch(r -> r.progressProperty().get() > 0));
        robot.clickOn("#labCancel");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.runningProperty().get());
        WindowUi.settle();
        assertEquals("Cancelled.", vm.statusProperty().get());
        assertTrue(vm.rows().stream().anyMatch(r -> r.stateProperty().get().equals("cancelled")));
    }

}
