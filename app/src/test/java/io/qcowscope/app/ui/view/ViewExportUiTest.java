package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.render.MapFrame;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.TestImages;
import io.qcowscope.engine.layout.HostClusterRole;
import io.qcowscope.engine.testkit.Qemu;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
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

/** File > Export view as PNG: a map tab gives the whole map as the screen draws it; other tabs as they show. */
@ExtendWith(ApplicationExtension.class)
class ViewExportUiTest {
    @TempDir
    static Path dir;
    static Path image;

    MainViewModel vm;
    MainView view;

    @BeforeAll
    static void make() throws Exception {
        Qemu.requireInstalled();
        image = TestImages.extendedWithBacking(dir);
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
