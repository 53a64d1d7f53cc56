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

    static List<String> labels(Legend legend) {
        return legend.getChildren().stream().filter(n -> n instanceof Label).map(n -> ((Label) n).getText()).toList();
    }
}
