package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.TablesViewModel.L2Row;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The L1 / L2 tables of qemu-made images: host offsets as qemu-img map has them; subclusters only with extended L2. */
@ExtendWith(ApplicationExtension.class)
class TablesUiTest {
    @TempDir
    static Path dir;
    static Path image;
    static Path standard;
    static JsonNode map;
    WindowUi ui;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
        map = new ObjectMapper().readTree(Qemu.run(dir, 60, "qemu-img", "map", "--output=json", "top.qcow2").stdout());
        Path other = java.nio.file.Files.createDirectories(dir.resolve("standard"));
        standard = TestImages.withLeak(other, 7);
    }

    @Start
    void start(Stage stage) {
        ui = WindowUi.start(stage, image);
    }

    @Test
    void l2TableShowsQemuImgMapsHostOffsetAndTheSubclusterStrip(FxRobot robot) throws Exception {
        ui.waitForScan();
        robot.interact(() -> ui.vm.selection().selectGuest(TestImages.PARTLY_WRITTEN));
        ui.show(robot, 3);
        TableView<?> l2 = robot.lookup("#l2Table").queryAs(TableView.class);
        L2Row row = (L2Row) l2.getItems().get((int) TestImages.PARTLY_WRITTEN);
        long qemuOffset = -1;
        for (JsonNode e : map) {
            if (e.get("start").asLong() == 0 && e.get("depth").asInt() == 0 && e.has("offset")) {
                qemuOffset = e.get("offset").asLong();
            }
        }
        assertEquals(qemuOffset, row.hostOffset(), "qemu-img map: guest 0 at host " + Sizes.hex(qemuOffset));
        assertTrue(l2.getColumns().stream().anyMatch(c -> "stripColumn".equals(c.getId()) && c.isVisible()));
        assertTrue(robot.lookup("#decoder").query().isVisible());
        ui.assertNothingElidedAtBothSizes(robot, "L1 / L2");
    }

    /**
     * An L2 entry selected in the same event that first shows the tab (a crumb, a read step): the tab's content joins
     * the scene then, and the table scrolls to the entry once it has its skin instead of showing its top rows.
     */
    @Test
    void anEntrySelectedAsTheTabFirstShowsIsScrolledIntoView(FxRobot robot) throws Exception {
        Path d = java.nio.file.Files.createDirectories(dir.resolve("far"));
        Qemu.run(d, 60, "qemu-img", "create", "-q", "-f", "qcow2", "far.qcow2", "64M");
        Qemu.run(d, 60, "qemu-io", "-c", "write -P 0x33 60M 64k", "far.qcow2");
        robot.interact(() -> ui.vm.open(d.resolve("far.qcow2")));
        ui.waitForScan();
        int far = (int) ((60L << 20) >> 16);
        robot.interact(() -> {
            ui.view.tabs().getSelectionModel().select(3);
            ui.vm.tables().selectL2(far);
        });
        WindowUi.settle();
        TableView<?> l2 = robot.lookup("#l2Table").queryAs(TableView.class);
        assertEquals(far, l2.getSelectionModel().getSelectedIndex());
        // The tab's content joins the scene over the next pulses (LazyTabContent), and the scroll follows it.
        try {
            WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, () -> l2.lookupAll(".table-row-cell")
                    .stream().anyMatch(n -> n instanceof javafx.scene.control.TableRow<?> r && r.getIndex() == far
                            && r.isVisible() && !r.isEmpty()));
        } catch (java.util.concurrent.TimeoutException e) {
            org.junit.jupiter.api.Assertions.fail("row " + far + " of the L2 table is not shown 10 s after the tab");
        }
    }

    /**
     * A qemu-made image with two snapshots (the L1 source combo lists them, one with a name as people give them) at
     * 1024x700: the L1 and L2 tables and the decoder fit their panes without scrolling sideways, on the active L1 and on
     * a snapshot's, also while editing (the pending-operations panel takes 300 px). The combo used to widen the L1 pane
     * past its table and the L2 table scrolled.
     */
    @Test
    void twoSnapshotsFitAt1024WithoutScrollingSideways(FxRobot robot) throws Exception {
        Path d = java.nio.file.Files.createDirectories(dir.resolve("snapshots"));
        Qemu.run(d, 60, "qemu-img", "create", "-q", "-f", "qcow2", "x.qcow2", "64M");
        Qemu.run(d, 60, "qemu-io", "-c", "write -P 0x11 0 1M", "x.qcow2");
        Qemu.run(d, 60, "qemu-img", "snapshot", "-c", "s1", "x.qcow2");
        Qemu.run(d, 60, "qemu-io", "-c", "write -P 0x22 512k 1M", "x.qcow2");
        Qemu.run(d, 60, "qemu-img", "snapshot", "-c", "before-kernel-upgrade", "x.qcow2");
        ui.waitForScan();
        robot.interact(() -> ui.vm.open(d.resolve("x.qcow2")));
        ui.waitForScan();
        ui.resize(robot, 1024, 700);
        ui.show(robot, 3);
        robot.interact(() -> ui.vm.tables().selectL2(0));
        WindowUi.settle();
        assertEquals(3, ui.vm.tables().l1Sources().size(), ui.vm.tables().l1Sources().toString());
        ui.assertNothingElided("L1 / L2 of an image with two snapshots at 1024x700");
        robot.interact(() -> ui.vm.tables().selectSource(2));
        ui.waitForScan();
        robot.interact(() -> ui.vm.tables().selectL2(0));
        WindowUi.settle();
        ui.assertNothingElided("snapshot 2's L1 / L2 at 1024x700");
        // editing: the pending-operations panel lies over the right 300 px of the tabs
        robot.interact(() -> ui.vm.edit().mode().enter());
        org.testfx.util.WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS,
                () -> ui.vm.edit().mode().editingProperty().get());
        WindowUi.settle();
        ui.assertNothingElided("snapshot 2's L1 / L2 at 1024x700 while editing");
        robot.interact(() -> ui.vm.edit().mode().leave());
    }

    @Test
    void standardL2HidesTheSubclusterColumnAndLegend(FxRobot robot) throws Exception {
        ui.waitForScan();
        robot.interact(() -> ui.vm.open(standard));
        ui.waitForScan();
        ui.show(robot, 3);
        TableView<?> l2 = robot.lookup("#l2Table").queryAs(TableView.class);
        assertFalse(l2.getColumns().stream().anyMatch(c -> "stripColumn".equals(c.getId()) && c.isVisible()),
                "no subclusters without extended L2");
        ui.show(robot, 2);
        assertFalse(robot.lookup("#subLegend").query().isVisible());
        ui.assertNothingElided("guest map of a standard L2 image");
    }
}
