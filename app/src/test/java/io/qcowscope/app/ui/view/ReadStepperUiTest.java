package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.app.ui.viewmodel.teach.ReadStep;
import io.qcowscope.app.ui.viewmodel.teach.ReadStepperViewModel;
import io.qcowscope.engine.layout.GuestExtent;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
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
 * The read stepper in the window: "Explain this offset" from the guest map's context menu starts a walk; Next walks guest
 * offset 0x1000 of the test image step by step, each step highlighting its structure (the L1 entry in the tables and the
 * hex view, the L2 entry, the host cluster in the host map with the data's bytes in the hex view), and ends with
 * qemu-img map's answer; Back goes back; Play walks an offset answered by the backing file through both layers; no label is
 * elided at either size.
 */
@ExtendWith(ApplicationExtension.class)
class ReadStepperUiTest {
    private static final long OFFSET = 0x1000;
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
    void stepsThroughAReadWithHighlightsAcrossViews(FxRobot robot) throws Exception {
        ui.waitForScan();
        ui.show(robot, 2);
        ReadStepperViewModel vm = ui.vm.readStepper();

        // Monocle makes no context-menu event of a right click: fire the one the platform makes, over the first cell.
        robot.interact(() -> {
            javafx.scene.Node canvas = firstImage(ui.view.guestMapView());
            javafx.geometry.Point2D scene = canvas.localToScene(4, 4);
            javafx.geometry.Point2D screen = canvas.localToScreen(4, 4);
            javafx.event.Event.fireEvent(canvas, new javafx.scene.input.ContextMenuEvent(
                    javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, scene.getX(), scene.getY(), screen.getX(),
                    screen.getY(), false, null));
        });
        WindowUi.settle();
        robot.clickOn((javafx.scene.Node n) -> n instanceof javafx.scene.control.Labeled l && l.getText() != null
                && l.getText().startsWith("Explain this offset") && n.isVisible());
        waitForSteps(vm);
        assertTrue(ui.view.teachShownProperty().get(), "the context menu opens the panel");
        assertEquals(ReadStep.Kind.GUEST_OFFSET, vm.currentProperty().get().kind());

        robot.interact(() -> ui.view.explainOffset(OFFSET));
        waitForSteps(vm);
        assertEquals(0, vm.indexProperty().get());
        assertEquals(2, ui.view.tabs().getSelectionModel().getSelectedIndex(), "the guest offset shows in the guest map");
        long l1Table = ui.vm.sessionProperty().get().image().header().l1TableOffset();
        boolean sawL1 = false;
        boolean sawL2 = false;
        boolean sawHost = false;
        while (!robot.lookup("#stepperNext").queryAs(Button.class).isDisabled()) {
            robot.clickOn("#stepperNext");
            WindowUi.settle();
            ReadStep s = vm.currentProperty().get();
            assertEquals(s.title(), robot.lookup("#stepperTitle").queryLabeled().getText());
            assertBitsFit(robot, "1600x1000, panel beside the views, step " + s.title());
            switch (s.kind()) {
                case L1_ENTRY -> {
                    sawL1 = true;
                    assertEquals(3, ui.view.tabs().getSelectionModel().getSelectedIndex(), "L1 entry in the tables");
                    assertEquals(0, ui.vm.tables().selectedL1Property().get());
                    assertEquals(l1Table, ui.vm.hex().highlightStartProperty().get(), "L1 entry's bytes in the hex view");
                }
                case L2_ENTRY -> {
                    sawL2 = true;
                    waitFor(() -> ui.vm.tables().selectedL2Property().get() == 0);
                    assertEquals(3, ui.view.tabs().getSelectionModel().getSelectedIndex());
                    assertEquals(16, ui.vm.hex().highlightLengthProperty().get(), "the 128-bit entry in the hex view");
                }
                case HOST_OFFSET -> {
                    sawHost = true;
                    GuestExtent a = vm.answerProperty().get();
                    assertEquals(1, ui.view.tabs().getSelectionModel().getSelectedIndex(), "host offset in the host map");
                    waitFor(() -> ui.vm.selection().hostClusterProperty().get() == a.offset() >>> 16);
                    assertEquals(a.offset(), ui.vm.hex().highlightStartProperty().get(), "the data's bytes in the hex view");
                }
                default -> {
                }
            }
        }
        assertTrue(sawL1 && sawL2 && sawHost, "walked L1, L2 and the host offset");
        assertEquals(ReadStep.Kind.ANSWER, vm.currentProperty().get().kind());
        JsonNode map = new ObjectMapper().readTree(Qemu.img(dir, "map", "--output=json", image.toString()).stdout());
        JsonNode first = map.get(0);
        assertEquals(0, first.get("start").asLong());
        assertEquals(first.get("offset").asLong() + OFFSET, vm.answerProperty().get().offset(), "qemu-img map's offset");
        int last = vm.indexProperty().get();
        robot.clickOn("#stepperBack");
        assertEquals(last - 1, vm.indexProperty().get());

        long fromBacking = TestImages.FROM_BACKING * 65536;
        robot.interact(() -> ui.view.explainOffset(fromBacking));
        waitForSteps(vm);
        robot.clickOn("#stepperPlay");
        WaitForAsyncUtils.waitFor(40, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() ->
                vm.indexProperty().get() == vm.steps().size() - 1).get());
        WindowUi.settle();
        assertFalse(vm.playingProperty().get(), "Play stops at the last step");
        assertTrue(vm.steps().stream().anyMatch(s -> s.kind() == ReadStep.Kind.BACKING), "asks the backing file");
        assertTrue(vm.steps().stream().anyMatch(s -> s.depth() == 1 && s.kind() == ReadStep.Kind.L2_ENTRY),
                "the same walk again in the backing layer");
        assertEquals(1, vm.answerProperty().get().depth());

        robot.interact(() -> ui.view.explainOffset(OFFSET));
        waitForSteps(vm);
        robot.clickOn("#stepperNext");
        ui.assertNothingElidedAtBothSizes(robot, "read stepper");
        // At 1024x700 the panel is below the views: every step's bits again, the extended L2 entry's two words too.
        robot.interact(() -> vm.go(0));
        WindowUi.settle();
        assertBitsFit(robot, "1024x700, step 1");
        while (!robot.lookup("#stepperNext").queryAs(Button.class).isDisabled()) {
            robot.clickOn("#stepperNext");
            WindowUi.settle();
            assertBitsFit(robot, "1024x700, step " + vm.currentProperty().get().title());
        }
    }

    /**
     * The stepper's bit decoder shows its whole width (no sideways scroll: the drawing is no wider than its viewport and
     * no horizontal bar shows), and no label overlaps another or leaves the drawing.
     */
    private static void assertBitsFit(FxRobot robot, String where) throws Exception {
        EntryDecoderView bits = robot.lookup("#stepperBits").queryAs(EntryDecoderView.class);
        String problem = WaitForAsyncUtils.asyncFx(() -> {
            javafx.scene.control.ScrollPane sp = (javafx.scene.control.ScrollPane) bits.lookup(".scroll-pane");
            double viewport = sp.getViewportBounds().getWidth();
            if (!bits.isVisible() || viewport <= 0) {
                return "the bits are not shown";
            }
            if (bits.drawnWidth() > viewport + 0.5) {
                return "the bits are " + Math.round(bits.drawnWidth()) + " px wide in a " + Math.round(viewport)
                        + " px viewport (" + bits.grid() + ")";
            }
            for (javafx.scene.Node n : sp.lookupAll(".scroll-bar")) {
                if (n instanceof javafx.scene.control.ScrollBar sb && sb.isVisible()
                        && sb.getOrientation() == javafx.geometry.Orientation.HORIZONTAL) {
                    return "a horizontal scroll bar shows under the bits";
                }
            }
            java.util.List<javafx.geometry.Rectangle2D> boxes = bits.labelBoxes();
            for (int i = 0; i < boxes.size(); i++) {
                javafx.geometry.Rectangle2D a = boxes.get(i);
                if (a.getMinX() < 0 || a.getMaxX() > bits.drawnWidth() + 0.5) {
                    return "label " + a + " leaves the " + Math.round(bits.drawnWidth()) + " px drawing";
                }
                for (int j = i + 1; j < boxes.size(); j++) {
                    if (a.intersects(boxes.get(j))) {
                        return "labels " + a + " and " + boxes.get(j) + " overlap";
                    }
                }
            }
            return "";
        }).get();
        assertEquals("", problem, where);
    }

    private static javafx.scene.Node firstImage(javafx.scene.Parent p) {
        for (javafx.scene.Node n : p.getChildrenUnmodifiable()) {
            if (n instanceof javafx.scene.image.ImageView) {
                return n;
            }
            if (n instanceof javafx.scene.Parent q) {
                javafx.scene.Node c = firstImage(q);
                if (c != null) {
                    return c;
                }
            }
        }
        return null;
    }

    private static void waitForSteps(ReadStepperViewModel vm) throws Exception {
        waitFor(() -> !vm.steps().isEmpty() && vm.indexProperty().get() == 0 && !vm.messageProperty().get().endsWith("..."));
        WindowUi.settle();
    }

    private static void waitFor(java.util.concurrent.Callable<Boolean> c) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(c).get());
    }
}
