package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;

/**
 * Screenshots of the guest map (its legends), the L1 / L2 tab with an L2 entry selected, the Refcounts tab and the read
 * stepper mid-walk, on the extended-L2-over-a-backing-file test image, for looking at (run under Xvfb):
 * {@code TabShots OUTDIR WIDTHxHEIGHT light|dark}.
 */
public final class TabShots {
    private TabShots() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[0]).toAbsolutePath());
        String[] size = args[1].split("x");
        int w = Integer.parseInt(size[0]);
        int h = Integer.parseInt(size[1]);
        boolean dark = args[2].equals("dark");
        String tag = args[1] + "-" + args[2];
        Path work = ShotKit.emptyWorkDir(out, tag);
        Path top = TestImages.extendedWithBacking(work);
        Platform.startup(() -> {
        });
        MainViewModel vm = ShotKit.fx(() -> new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory()));
        MainView view = ShotKit.openWindow(vm, w, h, dark, top);
        ShotKit.waitFor(() -> vm.layoutReadyProperty().get());
        ShotKit.shootTab(view, 2, out.resolve("guest-map-" + tag + ".png"));
        ShotKit.fx(() -> {
            view.notices().hide();
            return null;
        });
        ShotKit.shootTab(view, 2, out.resolve("guest-map-no-notice-" + tag + ".png"));
        ShotKit.fx(() -> {
            view.tabs().getSelectionModel().select(3);
            vm.tables().selectL2(0);
            return null;
        });
        ShotKit.shootTab(view, 3, out.resolve("tables-" + tag + ".png"));
        ShotKit.shootTab(view, 4, out.resolve("refcounts-" + tag + ".png"));
        ShotKit.shootStepper(vm, view, TestImages.PARTLY_WRITTEN * 65536 + 0x1800, 4,
                out.resolve("stepper-" + tag + ".png"));
        Platform.exit();
        System.exit(0);
    }
}
