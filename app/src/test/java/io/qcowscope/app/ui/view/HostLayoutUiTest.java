package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The host layout of a qemu-made image with one leaked cluster: the legend lists the roles present, with counts. */
@ExtendWith(ApplicationExtension.class)
class HostLayoutUiTest {
    @TempDir
    static Path dir;
    static Path image;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.withLeak(dir, 7);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void legendListsTheRolesPresentWithCountsAndTheRestOnDemand(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 1);
        Legend legend = robot.lookup("#hostLegend").queryAs(Legend.class);
        List<String> shown = labels(legend);
        assertTrue(shown.contains("header (1)"), shown.toString());
        assertTrue(shown.contains("leaked (1)"), "qemu-img check finds one leaked cluster: " + shown);
        assertTrue(shown.contains("guest data (1)"), "cluster 0 written, cluster 7's entry zeroed: " + shown);
        assertFalse(shown.stream().anyMatch(s -> s.startsWith("bitmap")), "no bitmaps in this image: " + shown);
        Hyperlink more = robot.from(legend).lookup(".legend-more").queryAs(Hyperlink.class);
        robot.interact(more::fire);
        assertEquals(17, labels(legend).size(), "every role on demand");
        javafx.scene.Node focus = ui.view.getScene().getFocusOwner();
        boolean inMap = false;
        for (javafx.scene.Node n = focus; n != null; n = n.getParent()) {
            inMap |= n == ui.view.hostMapView();
        }
        assertTrue(inMap, "the map tab gives the map the keyboard focus, not " + focus);
        ui.assertNothingElidedAtBothSizes(robot, "host layout");
    }

    /**
     * Typing into the hex view's search field on one tab, then Ctrl+2: the map keys (-, arrows) zoom and move the map's
     * selection, and none of them lands in the search field.
     */
    @Test
    void mapKeysGoToTheMapAfterSwitchingTabsFromTheHexSearch(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 4);
        javafx.scene.control.TextField search = robot.lookup("#hexGoTo").queryAs(javafx.scene.control.TextField.class);
        robot.clickOn(search).write("12");
        WindowUi.settle();
        assertEquals("12", search.getText());
        robot.press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.DIGIT2)
                .release(javafx.scene.input.KeyCode.CONTROL);
        WindowUi.settle();
        assertEquals(1, ui.view.tabs().getSelectionModel().getSelectedIndex(), "Ctrl+2 shows the host layout");
        ClusterMapView map = ui.view.hostMapView();
        long perCell = map.itemsPerCell();
        int cellPx = map.cellPixels();
        // the whole (small) file is shown in the biggest cells: zoom out
        robot.type(javafx.scene.input.KeyCode.MINUS);
        WindowUi.settle();
        assertTrue(map.itemsPerCell() > perCell || map.cellPixels() < cellPx, "- zooms the map out");
        long before = ui.vm.selection().hostClusterProperty().get();
        robot.type(javafx.scene.input.KeyCode.RIGHT);
        WindowUi.settle();
        assertTrue(ui.vm.selection().hostClusterProperty().get() != before, "Right moves the map's selection");
        assertEquals("12", search.getText(), "no map key went into the hex search field");
    }

    static List<String> labels(Legend legend) {
        return legend.getChildren().stream().filter(n -> n instanceof Label).map(n -> ((Label) n).getText()).toList();
    }
}
