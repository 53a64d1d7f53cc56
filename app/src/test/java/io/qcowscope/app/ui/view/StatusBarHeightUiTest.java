package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.HoldingTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The status bar keeps its height while the layout scan runs (its Cancel button shown) and after: a bar one pixel
 * taller while scanning pushed the window's content a pixel below its foot, and the window was repainted whole as each
 * scan began and ended. At 1600x1000 and at 1024x700.
 */
@ExtendWith(ApplicationExtension.class)
class StatusBarHeightUiTest {
    @TempDir
    static Path dir;
    static Path image;
    HoldingTaskExecutor holdingScan;
    MainViewModel vm;
    MainView view;
    Stage stage;
    /** The shared stage's size before this test resized it, put back after: the next test class gets the stage as it was. */
    double[] sizeBefore;

    @BeforeAll
    static void make() {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        sizeBefore = new double[] {stage.getWidth(), stage.getHeight()};
        QcowscopeApp.applyTheme(false);
        holdingScan = new HoldingTaskExecutor("host layout");
        vm = new MainViewModel(holdingScan, RecentFiles.inMemory());
        view = new MainView(vm);
        stage.setScene(WindowScene.create(view, 1600, 1000));
        stage.show();
    }

    @AfterEach
    void putTheStageBack(FxRobot robot) {
        robot.interact(() -> {
            // a stage not shown before takes the size the window tests' scenes ask for (the headless screen's)
            boolean known = sizeBefore[0] > 0 && sizeBefore[1] > 0;
            stage.setWidth(known ? sizeBefore[0] : 1600);
            stage.setHeight(known ? sizeBefore[1] : 1000);
        });
    }

    @Test
    void theBarKeepsItsHeightWhileTheScanRuns(FxRobot robot) {
        robot.interact(() -> vm.open(image));
        WindowUi.settle();
        assertEquals(1, holdingScan.held(), "the layout scan is held");
        Node bar = robot.lookup("#statusBar").query();
        Node cancel = robot.lookup("#cancel").query();
        double[][] scanning = new double[2][];
        int i = 0;
        for (double[] size : new double[][] {{1600, 1000}, {1024, 700}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            WindowUi.settle();
            assertTrue(cancel.isVisible(), "Cancel is offered while the scan runs");
            scanning[i++] = new double[] {bar.getLayoutBounds().getHeight(), view.getHeight(),
                    view.getScene().getHeight()};
        }
        robot.interact(holdingScan::runHeld);
        WindowUi.settle();
        i = 0;
        for (double[] size : new double[][] {{1600, 1000}, {1024, 700}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            WindowUi.settle();
            assertTrue(!cancel.isVisible(), "no Cancel once the scan is done");
            String at = (int) size[0] + "x" + (int) size[1];
            assertEquals(bar.getLayoutBounds().getHeight(), scanning[i][0], 0.01,
                    "the status bar's height while scanning and after, at " + at);
            assertTrue(scanning[i][1] <= scanning[i][2] + 0.01, "the window's content fits in it while scanning, at "
                    + at + ": " + scanning[i][1] + " in " + scanning[i][2]);
            assertTrue(view.getHeight() <= view.getScene().getHeight() + 0.01, "and after, at " + at);
            // the bar without Cancel has the room Cancel needs (the two sizes above can agree by luck of the fonts)
            javafx.scene.layout.Region r = (javafx.scene.layout.Region) bar;
            for (String id : new String[] {"#cancel", "#rescueOffer"}) {
                javafx.scene.control.Button b = robot.lookup(id).queryAs(javafx.scene.control.Button.class);
                double need = b.prefHeight(-1) + r.snappedTopInset() + r.snappedBottomInset();
                assertTrue(need <= r.getHeight() + 0.01, id + " fits in the bar as it is without it, at " + at + ": "
                        + need + " in " + r.getHeight());
            }
            i++;
        }
    }
}
