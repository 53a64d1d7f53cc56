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
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * While an image opens (the open task held), at 1024x700: the Overview shows its parts and says which image opens
 * (under load the Overview stood blank, or said how to open an image, for seconds).
 */
@ExtendWith(ApplicationExtension.class)
class OverviewOpeningUiTest {
    @TempDir
    static Path dir;
    static Path image;
    HoldingTaskExecutor holdingOpen;
    MainViewModel vm;
    MainView view;

    @BeforeAll
    static void make() {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
    }

    @Start
    void start(Stage stage) {
        QcowscopeApp.applyTheme(false);
        holdingOpen = new HoldingTaskExecutor("open");
        vm = new MainViewModel(holdingOpen, RecentFiles.inMemory());
        view = new MainView(vm);
        stage.setScene(WindowScene.create(view, 1024, 700));
        stage.show();
    }

    @Test
    void overviewSaysWhichImageOpensAt1024(FxRobot robot) {
        robot.interact(() -> vm.open(image));
        WindowUi.settle();
        assertEquals(1, holdingOpen.held(), "the open is held");
        Label hint = robot.lookup("#headerTable .placeholder .label").queryAs(Label.class);
        assertEquals("Opening top.qcow2...", hint.getText());
        assertShown(hint, view);
        assertShown(robot.lookup("Header (cluster 0)").query(), view);
        WindowUi.assertNothingElided(view, "the Overview while opening at 1024x700");
        robot.interact(holdingOpen::runHeld);
        WindowUi.settle();
        assertTrue(robot.lookup("#headerTable").queryAs(javafx.scene.control.TableView.class).getItems().size() > 10);
    }

    /** {@code n} is visible, has a size and lies inside {@code root}'s bounds on screen. */
    private static void assertShown(Node n, Node root) {
        for (Node x = n; x != null; x = x.getParent()) {
            assertTrue(x.isVisible(), x + " hidden");
        }
        Bounds b = n.localToScene(n.getLayoutBounds());
        Bounds r = root.localToScene(root.getLayoutBounds());
        assertTrue(b.getWidth() > 0 && b.getHeight() > 0, n + " has no size: " + b);
        assertTrue(r.contains(b.getMinX(), b.getMinY()) && b.getMinY() < r.getMaxY() - 30, n + " at " + b + " not in " + r);
    }
}
