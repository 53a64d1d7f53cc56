package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * With the Explain panel open the tab headers stay on the strip at 1600x1000 (the panel beside the views), and at
 * 1024x700 (the panel below them) each map's zoom bar lies wholly inside its tab, above a map
 * that keeps room to show clusters; the legends below scroll instead (ShrinkingScroll). Before, the guest map's pane was
 * taller than its tab and its zoom bar was cut off at the top.
 */
@ExtendWith(ApplicationExtension.class)
class MapZoomBarFitUiTest {
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
    void zoomBarsFitAt1024x700WithTheExplainPanel(FxRobot robot) throws Exception {
        ui.waitForScan();
        robot.type(KeyCode.F1);
        WindowUi.settle();
        assertTrue(ui.view.teachShownProperty().get());
        ui.assertTabsFit(robot); // 1600x1000, the panel beside the views
        ui.resize(robot, 1024, 700);
        for (int tab : new int[]{2, 1}) {
            ui.show(robot, tab);
            Node content = ui.view.tabs().getSelectionModel().getSelectedItem().getContent();
            Node map = robot.lookup(tab == 2 ? "#guestMap" : "#hostMap").query();
            Node bar = map.lookup(".map-toolbar");
            Bounds area = content.localToScene(content.getLayoutBounds());
            Bounds b = bar.localToScene(bar.getLayoutBounds());
            String where = (tab == 2 ? "guest" : "host") + " map: zoom bar " + b + " in tab content " + area;
            assertTrue(b.getMinY() >= area.getMinY() - 0.5 && b.getMaxY() <= area.getMaxY() + 0.5, where);
            assertTrue(b.getHeight() >= 28, where);
            Bounds m = map.localToScene(map.getLayoutBounds());
            assertTrue(m.getMinY() >= area.getMinY() - 0.5, "the map pane starts inside its tab: " + m + " in " + area);
            assertTrue(m.getHeight() - b.getHeight() >= 100, "the map keeps room for clusters: " + m);
        }
        ui.assertNothingElided("maps at 1024x700 with the explain panel");
    }
}
