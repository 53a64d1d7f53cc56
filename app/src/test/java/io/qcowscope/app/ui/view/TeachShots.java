package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;

/**
 * Screenshots of the teaching mode with the Explain panel open, for the README and for looking at, on a real window (run
 * under Xvfb): the guest map and the host layout with a cluster explained (their zoom bars beside the panel), the read
 * stepper mid-walk, and a bitmap of the Snapshots tab explained. {@code TeachShots OUTDIR WIDTHxHEIGHT light|dark}; the
 * images are made in OUTDIR by qemu-img and qemu-io ({@link TestImages}).
 */
public final class TeachShots {
    private TeachShots() {
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
        Path bitmaps = TestImages.withBitmaps(work);
        Platform.startup(() -> {
        });
        MainViewModel vm = ShotKit.fx(() -> new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory()));
        MainView view = ShotKit.openWindow(vm, w, h, dark, top);
        ShotKit.waitFor(() -> vm.layoutReadyProperty().get());
        ShotKit.fx(() -> {
            view.teachShownProperty().set(true);
            view.tabs().getSelectionModel().select(2);
            vm.guestMap().select(TestImages.PARTLY_WRITTEN);
            return null;
        });
        Thread.sleep(2500);
        ShotKit.shoot(view.getScene(), out.resolve("teach-guest-map-" + tag + ".png"));
        ShotKit.shootTab(view, 1, out.resolve("teach-host-map-" + tag + ".png"));
        ShotKit.shootStepper(vm, view, TestImages.PARTLY_WRITTEN * 65536 + 0x1800, 3,
                out.resolve("teach-stepper-" + tag + ".png"));
        ShotKit.fx(() -> {
            vm.open(bitmaps);
            return null;
        });
        ShotKit.waitFor(() -> vm.layoutReadyProperty().get() && vm.sessionProperty().get() != null
                && vm.sessionProperty().get().path().equals(bitmaps) && vm.snapshots().bitmaps().size() == 2);
        ShotKit.fx(() -> {
            view.tabs().getSelectionModel().select(5);
            view.showExplainPanel();
            vm.snapshots().selectedBitmapProperty().set(0);
            return null;
        });
        ShotKit.waitFor(() -> !vm.snapshots().bitmapTable().isEmpty());
        Thread.sleep(2000);
        ShotKit.shoot(view.getScene(), out.resolve("teach-bitmap-" + tag + ".png"));
        Platform.exit();
        System.exit(0);
    }
}
