package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
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

/** The window on a qemu-made image, headless under Monocle: what the views show. */
@ExtendWith(ApplicationExtension.class)
class MainViewUiTest {
    @TempDir
    static Path dir;
    static Path image;
    static long l2Cluster;
    static long dataCluster;

    MainViewModel vm;
    MainView view;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
        try (Qcow2Image img = Qcow2Image.open(image)) {
            long l2 = L1Entry.l2Offset(img.l1Entry(0));
            l2Cluster = l2 >>> 16;
            dataCluster = img.l2Entry(l2, (int) TestImages.PARTLY_WRITTEN).hostOffset() >>> 16;
        }
    }

    @Start
    void start(Stage stage) {
        QcowscopeApp.applyTheme(false);
        vm = new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory());
        view = new MainView(vm);
        stage.setScene(new Scene(view, 1280, 800));
        stage.show();
        vm.open(image);
    }

    private void waitForScan() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.layoutReadyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void l2StripShowsThePartlyWrittenCluster(FxRobot robot) throws Exception {
        waitForScan();
        robot.clickOn("L1 / L2");
        WaitForAsyncUtils.waitForFxEvents();
        SubclusterType[] types = robot.lookup(".subcluster-strip").queryAllAs(SubclusterStripCell.class).stream()
                .filter(c -> c.getIndex() == (int) TestImages.PARTLY_WRITTEN && c.getUserData() != null)
                .map(c -> (SubclusterType[]) c.getUserData()).findFirst().orElse(null);
        assertNotNull(types, "the strip of L2[0] is drawn");
        for (int i = 0; i < 4; i++) {
            assertEquals(SubclusterType.NORMAL, types[i], "subcluster " + i);
        }
        assertEquals(SubclusterType.UNALLOCATED_ALLOC, types[4]);
        SubclusterType[] zeroed = robot.lookup(".subcluster-strip").queryAllAs(SubclusterStripCell.class).stream()
                .filter(c -> c.getIndex() == (int) TestImages.ZEROED && c.getUserData() != null)
                .map(c -> (SubclusterType[]) c.getUserData()).findFirst().orElseThrow();
        assertEquals(SubclusterType.ZERO_PLAIN, zeroed[7]);
        assertEquals(SubclusterType.UNALLOCATED_PLAIN, zeroed[8]);
    }

    @Test
    void hostMapDrawsTheL2TableClusterInTheL2Colour(FxRobot robot) throws Exception {
        waitForScan();
        robot.clickOn("Host layout");
        WaitForAsyncUtils.waitForFxEvents();
        ClusterMapView map = view.hostMapView();
        int l2Colour = Palette.hostRoles(false)[HostClusterRole.L2_TABLE.ordinal()];
        assertEquals(l2Colour, map.argbAt(l2Cluster));
        assertEquals(Palette.hostRoles(false)[HostClusterRole.HEADER.ordinal()], map.argbAt(0));
        robot.moveTo(map.cellCentreOnScreen(l2Cluster));
        WaitForAsyncUtils.waitForFxEvents();
        Label info = robot.from(map).lookup(".map-info").queryAs(Label.class);
        assertTrue(info.getText().contains("L2 table: L1[0] -> L2 table"), info.getText());
    }

    @Test
    void clickingADataClusterSelectsItsGuestClusterAndL2Entry(FxRobot robot) throws Exception {
        waitForScan();
        robot.clickOn("Host layout");
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(view.hostMapView().cellCentreOnScreen(dataCluster));
        // the selection resolves the guest cluster off the FX thread
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> vm.selection().guestClusterProperty().get() == TestImages.PARTLY_WRITTEN);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(TestImages.PARTLY_WRITTEN, vm.selection().guestClusterProperty().get());
        assertEquals(dataCluster, vm.selection().hostClusterProperty().get());
        Label summary = robot.lookup("#selectionSummary").queryAs(Label.class);
        assertTrue(summary.getText().startsWith("guest cluster 0"), summary.getText());
        robot.clickOn("L1 / L2");
        WaitForAsyncUtils.waitForFxEvents();
        TableView<?> l2 = robot.lookup("#l2Table").queryAs(TableView.class);
        assertEquals((int) TestImages.PARTLY_WRITTEN, l2.getSelectionModel().getSelectedIndex());
        long l2Offset = l2Cluster << 16;
        assertEquals(l2Offset, vm.hex().highlightStartProperty().get(), "the hex view highlights the L2 entry");
        robot.clickOn("Guest map");
        WaitForAsyncUtils.waitForFxEvents();
        ClusterMapView guest = view.guestMapView();
        assertTrue(guest.cellPixels() >= 16, "a small image is drawn with its subclusters");
        assertEquals(Palette.subclusters(false)[io.qcowscope.app.ui.viewmodel.GuestMapViewModel.SUB_BACKING],
                guest.argbAt(TestImages.PARTLY_WRITTEN), "subcluster 20 of cluster 0 is read from the backing file");
    }
}
