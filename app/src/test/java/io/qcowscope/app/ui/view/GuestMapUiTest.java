package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.List;
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
import org.testfx.util.WaitForAsyncUtils;

/**
 * The guest map of an extended-L2 image over one backing file: coloured by layer it offers exactly the chain's layers,
 * the subcluster legend only by type; keys reach the map after switching tabs; zoom keeps the selection in view.
 */
@ExtendWith(ApplicationExtension.class)
class GuestMapUiTest {
    @TempDir
    static Path dir;
    static Path image;
    static Path wide;
    /** A guest cluster in the middle of the 1 GiB image (512 MiB / 64 KiB). */
    static final long MIDDLE = 8192;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "wide.qcow2", "1G");
        Qemu.io(dir, "wide.qcow2", "write -P 0x5 512M 64k");
        wide = dir.resolve("wide.qcow2");
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void layerLegendNamesOnlyTheChainsLayers(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 2);
        Node sub = robot.lookup("#subLegend").query();
        assertTrue(sub.isVisible(), "extended L2: the subcluster legend is shown");
        robot.interact(() -> ui.vm.guestMap().colourByLayerProperty().set(true));
        WindowUi.settle();
        Legend layers = robot.lookup("#layerLegend").queryAs(Legend.class);
        assertEquals(List.of("no layer: reads zeros", "this image", "backing layer 1"), HostLayoutUiTest.labels(layers),
                "top.qcow2 over base.qcow2: two layers");
        assertTrue(!sub.isVisible(), "coloured by layer, subclusters are drawn in layer colours");
        ClusterMapView map = ui.view.guestMapView();
        assertEquals(Palette.layers(false)[2], map.argbAt(TestImages.FROM_BACKING),
                "guest cluster 1 reads from the backing file");
        ui.assertNothingElidedAtBothSizes(robot, "guest map");
    }

    /**
     * A 1 GiB image with one cluster written and no backing file: the guest legend lists the two states it has, with
     * counts (it listed all seven, "read from a backing layer" and "some subclusters allocated" among them), the rest on
     * demand.
     */
    @Test
    void guestLegendListsTheStatesPresentWithCounts(FxRobot robot) throws Exception {
        ui.waitForScan();
        robot.interact(() -> ui.vm.open(wide));
        ui.waitForScan();
        ui.show(robot, 2);
        Legend legend = robot.lookup("#guestLegend").queryAs(Legend.class);
        assertEquals(List.of("unallocated, reads zeros (16,383)", "data in this image (1)"),
                HostLayoutUiTest.labels(legend));
        javafx.scene.control.Hyperlink more = robot.from(legend).lookup(".legend-more")
                .queryAs(javafx.scene.control.Hyperlink.class);
        assertEquals("show all 7", more.getText());
        robot.interact(more::fire);
        assertEquals(7, HostLayoutUiTest.labels(legend).size(), "every state on demand");
        ui.assertNothingElided("guest map of wide.qcow2");
    }

    @Test
    void afterSwitchingTabsMapKeysZoomTheMapAroundTheSelection(FxRobot robot) throws Exception {
        ui.waitForScan();
        robot.interact(() -> ui.vm.open(wide));
        ui.waitForScan();
        robot.interact(() -> ui.vm.selection().selectGuest(MIDDLE));
        ui.show(robot, 4); // a tab with the hex view beside it (Findings & Repair has none: the workspace needs the width)
        robot.clickOn("#hexGoTo");
        ui.show(robot, 2);
        ClusterMapView map = ui.view.guestMapView();
        long perCell = map.itemsPerCell();
        int px = map.cellPixels();
        assertTrue(map.argbAt(MIDDLE) != 0, "the whole file is shown at first");
        for (int i = 0; i < 6; i++) {
            robot.type(KeyCode.PLUS);
            WindowUi.settle();
            assertTrue(map.argbAt(MIDDLE) != 0, "the selected cluster stays in view after zooming in " + (i + 1)
                    + " times (" + map.itemsPerCell() + " per cell, " + map.cellPixels() + " px)");
        }
        assertTrue(map.itemsPerCell() < perCell || map.cellPixels() > px, "the keys went to the map, not the text field");
        for (int i = 0; i < 6; i++) {
            robot.type(KeyCode.MINUS);
            WindowUi.settle();
            assertTrue(map.argbAt(MIDDLE) != 0, "and after zooming out " + (i + 1) + " times");
        }
    }

    /** A mouse event at the centre of {@code item}'s cell of the map, fired at the map's canvas (no robot drag). */
    private static void mouse(FxRobot robot, ClusterMapView map, javafx.event.EventType<javafx.scene.input.MouseEvent> type,
            long item, boolean shift) {
        robot.interact(() -> {
            javafx.scene.Node canvas = map.lookup(".image-view").getParent();
            javafx.geometry.Point2D screen = map.cellCentreOnScreen(item);
            javafx.geometry.Point2D scene = canvas.localToScene(canvas.screenToLocal(screen));
            javafx.event.Event.fireEvent(canvas, new javafx.scene.input.MouseEvent(type, scene.getX(), scene.getY(),
                    screen.getX(), screen.getY(), javafx.scene.input.MouseButton.PRIMARY, 1, shift, false, false, false,
                    type != javafx.scene.input.MouseEvent.MOUSE_RELEASED, false, false, false, false, false, null));
        });
    }

    @Test
    void shiftDragDrawsTheRangeWhileSelectingAndSetsTheEditRange(FxRobot robot) throws Exception {
        ui.resize(robot, 1600, 1000);
        ui.waitForScan();
        ui.show(robot, 2);
        ClusterMapView map = ui.view.guestMapView();
        assertEquals(1, map.itemsPerCell(), "a 4 MiB image: one cluster per cell");
        assertEquals(null, map.rangeShown(), "no range before a drag");
        mouse(robot, map, javafx.scene.input.MouseEvent.MOUSE_PRESSED, 2, true);
        mouse(robot, map, javafx.scene.input.MouseEvent.MOUSE_DRAGGED, 5, true);
        WaitForAsyncUtils.waitForFxEvents();
        long[] shown = map.rangeShown();
        assertTrue(shown != null && shown[0] == 2 && shown[1] == 5, "clusters 2..5 drawn while dragging: "
                + java.util.Arrays.toString(shown));
        assertTrue(map.rangeBands() >= 1, "at least one band is drawn");
        if (System.getProperty("qcowscope.shotDir") != null) {
            ShotKit.shoot(map.getScene(), Path.of(System.getProperty("qcowscope.shotDir"), "guest-range-drag.png"));
        }
        assertEquals("0x20000", ui.vm.edit().rangeOffsetProperty().get(), "the drag sets the edit range");
        assertEquals("256k", ui.vm.edit().rangeLengthProperty().get());
        mouse(robot, map, javafx.scene.input.MouseEvent.MOUSE_DRAGGED, 3, true);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(3, map.rangeShown()[1], "the drawn range follows the mouse");
        mouse(robot, map, javafx.scene.input.MouseEvent.MOUSE_RELEASED, 3, true);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(null, map.rangeShown(), "released, the drag draws no range");
        assertEquals(0, map.rangeBands());
        assertEquals("128k", ui.vm.edit().rangeLengthProperty().get(), "the range selected stays the edit range");
    }

    /** The notice after a scan (the bar over the bottom of the window) leaves the guest map's legends in view. */
    @Test
    void theNoticeBarCoversNoLegend(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 2);
        // the views take their new height once, not on each frame of the bar's slide (each laid out and drew the window)
        javafx.scene.layout.Region tabs = (javafx.scene.layout.Region) ui.view.lookup("#tabs");
        java.util.concurrent.atomic.AtomicInteger heights = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicLong changedAt = new java.util.concurrent.atomic.AtomicLong();
        javafx.beans.value.ChangeListener<Number> count = (o, a, b) -> {
            heights.incrementAndGet();
            changedAt.set(System.nanoTime());
        };
        robot.interact(() -> tabs.heightProperty().addListener(count));
        robot.interact(() -> ui.view.notices().show("top.qcow2: layout scanned in 1 ms, 0 findings"));
        WindowUi.settle();
        WindowUi.settle();
        Thread.sleep(500); // the slide takes 350 ms
        WindowUi.settle();
        assertEquals(1, heights.get(), "the views' height changed once as the notice slid in");
        String problem = org.testfx.util.WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.Node bar = ui.view.notices().lookup(".notification-bar");
            javafx.scene.Node legend = ui.view.lookup("#subLegend");
            double barTop = bar.localToScene(bar.getLayoutBounds()).getMinY();
            double legendBottom = legend.localToScene(legend.getLayoutBounds()).getMaxY();
            return legend.isVisible() && bar.isVisible() && legendBottom > barTop + 0.5
                    ? "the subcluster legend ends at y " + legendBottom + ", under the notice bar from y " + barTop : "";
        }).get();
        assertEquals("", problem);
        // the room is given back once the bar has slid out (its slide takes 350 ms), not as it begins to
        long hidden = System.nanoTime();
        robot.interact(() -> ui.view.notices().hide());
        WindowUi.settle();
        WindowUi.settle();
        robot.interact(() -> tabs.heightProperty().removeListener(count));
        assertEquals(2, heights.get(), "the views take their height back once the bar has slid out");
        assertTrue(changedAt.get() - hidden > 300_000_000L, "the views kept their room while the bar slid out: "
                + (changedAt.get() - hidden) / 1_000_000 + " ms");
        ui.assertNothingElided("guest map after the notice");
    }
}
