package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.render.MapFrame;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.testkit.Qemu;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
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
        stage.setScene(WindowScene.create(view, 1280, 800));
        stage.show();
        vm.open(image);
    }

    private void waitForScan() throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.layoutReadyProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Waits until {@code condition}, read on the FX thread, holds: lookups land there off the lookup thread. */
    private static void waitOnFx(java.util.function.BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> WaitForAsyncUtils.asyncFx(condition::getAsBoolean).get());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void l2StripShowsThePartlyWrittenCluster(FxRobot robot) throws Exception {
        waitForScan();
        robot.clickOn("L1 / L2");
        // the L2 table is read off the FX thread; its rows appear when it lands
        waitOnFx(() -> !vm.tables().l2LoadingProperty().get() && !vm.tables().l2Rows().isEmpty());
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
        Label info = robot.from(map).lookup(".map-info").queryAs(Label.class);
        // The cell's place on screen is read again on each try: under load the map can still be laid out (the legend's
        // counts arrive) between reading a cell's centre and the mouse reaching it, and the hover then names a neighbour.
        String wanted = "host cluster " + l2Cluster + " ";
        for (int attempt = 0; attempt < 5 && !info.getText().startsWith(wanted); attempt++) {
            robot.moveTo(map.cellCentreOnScreen(l2Cluster));
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertTrue(info.getText().startsWith(wanted), info.getText());
        assertTrue(info.getText().contains("L2 table: L1[0] -> L2 table"), info.getText());
    }

    @Test
    void clickingADataClusterSelectsItsGuestClusterAndL2Entry(FxRobot robot) throws Exception {
        waitForScan();
        Label hint = robot.lookup("#selectionHint").queryAs(Label.class);
        assertTrue(hint.isVisible(), "nothing selected yet: the selection strip says what it is for");
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
        org.junit.jupiter.api.Assertions.assertFalse(hint.isVisible(), "the crumbs and the summary replace the hint");
        robot.clickOn("L1 / L2");
        // the L2 entry is selected once its table has landed (it may still be loading from the open)
        waitOnFx(() -> vm.tables().selectedL2Property().get() == (int) TestImages.PARTLY_WRITTEN);
        TableView<?> l2 = robot.lookup("#l2Table").queryAs(TableView.class);
        assertEquals((int) TestImages.PARTLY_WRITTEN, l2.getSelectionModel().getSelectedIndex());
        long l2Offset = l2Cluster << 16;
        assertEquals(l2Offset, vm.hex().highlightStartProperty().get(), "the hex view highlights the L2 entry");
        robot.clickOn("Guest map");
        WaitForAsyncUtils.waitForFxEvents();
        ClusterMapView guest = view.guestMapView();
        assertTrue(guest.cellPixels() >= 16, "a small image is drawn with its subclusters");
        // the subclusters come with the L2 table, read off the FX thread; the map repaints when it lands
        int backing = Palette.subclusters(false)[io.qcowscope.app.ui.viewmodel.GuestMapViewModel.SUB_BACKING];
        waitOnFx(() -> vm.guestMap().subclusters(TestImages.PARTLY_WRITTEN) != null);
        assertEquals(backing, guest.argbAt(TestImages.PARTLY_WRITTEN),
                "subcluster 20 of cluster 0 is read from the backing file");
    }

    // ---- File > Export view as PNG: a map tab gives the whole map as the screen draws it; other tabs as they show.

    private BufferedImage export(String tab, String file, FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> vm.layoutReadyProperty().get());
        robot.clickOn(tab);
        WaitForAsyncUtils.waitForFxEvents();
        Path png = dir.resolve(file);
        robot.interact(() -> view.exportSelectedView(png));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.statusProperty().get().startsWith("exported"));
        assertTrue(Files.exists(png), vm.statusProperty().get());
        return ImageIO.read(png.toFile());
    }

    @Test
    void hostMapExportIsTheWholeMapAsTheScreenDrawsIt(FxRobot robot) throws Exception {
        BufferedImage pic = export("Host layout", "host.png", robot);
        ClusterMapView map = view.hostMapView();
        MapFrame f = map.frame();
        long clusters = map.model().itemCount();
        assertEquals(f.width(), pic.getWidth());
        assertEquals(f.totalRows(clusters) * f.cellPx(), pic.getHeight());
        int px = f.cellPx();
        for (long c = 0; c < clusters; c++) {
            int x = (int) (c % f.columns()) * px + px / 2;
            int y = (int) (c / f.columns()) * px + px / 2;
            assertEquals(Integer.toHexString(map.argbAt(c)), Integer.toHexString(pic.getRGB(x, y)), "cluster " + c);
        }
        assertEquals(Palette.hostRoles(false)[HostClusterRole.HEADER.ordinal()], pic.getRGB(px / 2, px / 2));
        assertTrue(vm.statusProperty().get().contains("Host layout"), vm.statusProperty().get());
    }

    @Test
    void tablesTabIsExportedAsItShows(FxRobot robot) throws Exception {
        BufferedImage pic = export("L1 / L2", "tables.png", robot);
        javafx.scene.Node content = view.tabs().getSelectionModel().getSelectedItem().getContent();
        assertEquals((int) Math.ceil(content.getLayoutBounds().getWidth()), pic.getWidth());
        assertEquals((int) Math.ceil(content.getLayoutBounds().getHeight()), pic.getHeight());
        // Not a blank picture: the table's text and strips give many colours.
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < pic.getHeight(); y += 3) {
            for (int x = 0; x < pic.getWidth(); x += 3) {
                colours.add(pic.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, colours.size() + " colours");
    }
}
