package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.view.repair.RescueWindow;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.engine.testkit.RescueCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Screenshots of the rescue for the README and for looking at, on a real window (run under Xvfb, not Monocle): the main
 * window offering "Rescue this image...", the rescue window with its plan, with the rescued copy written, with "This
 * file in place" chosen, and after the rescue in place (Undo offered). {@code BACKING_MISSING}, an image that opens:
 * the Repair tab with "Point at another backing file..." before and after a file is named.
 * {@code RescueShots DAMAGE OUTDIR WIDTHxHEIGHT light|dark}: DAMAGE names a kind of {@link RescueCorpus.Damage}; the
 * damaged image is made in OUTDIR by qemu-img and qemu-io.
 */
public final class RescueShots {
    private RescueShots() {
    }

    public static void main(String[] args) throws Exception {
        RescueCorpus.Damage damage = RescueCorpus.Damage.valueOf(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        String[] size = args[2].split("x");
        int w = Integer.parseInt(size[0]);
        int h = Integer.parseInt(size[1]);
        boolean dark = args[3].equals("dark");
        String tag = damage.name().toLowerCase().replace('_', '-') + "-" + args[2] + "-" + args[3];
        Path work = Files.createDirectories(out.resolve("work-" + tag));
        for (String f : new String[]{"a.qcow2", "damaged.qcow2", "damaged-rescued.qcow2", "top.qcow2", "loop.qcow2",
                "damaged.qcow2.undo", "moved/a-copy.qcow2"}) {
            Files.deleteIfExists(work.resolve(f));
        }
        RescueCorpus.Damaged d = RescueCorpus.damage(damage, work);
        Platform.startup(() -> {
        });
        MainViewModel vm = ShotKit.fx(() -> new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory()));
        MainView view = ShotKit.fx(() -> {
            QcowscopeApp.applyTheme(dark);
            vm.darkThemeProperty().set(dark);
            MainView v = new MainView(vm);
            Scene scene = WindowScene.create(v, w, h);
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            vm.open(d.image());
            return v;
        });
        if (damage == RescueCorpus.Damage.BACKING_MISSING) {
            repairTabBacking(vm, view, d, out, tag);
            return;
        }
        ShotKit.waitFor(() -> vm.rescuableProperty().get() != null);
        Thread.sleep(1000);
        ShotKit.shoot(view.getScene(), out.resolve("rescue-offer-" + tag + ".png"));
        RescueWindow rescue = ShotKit.fx(view::showRescue);
        Scene rs = ShotKit.fx(() -> rescue.view().getScene());
        ShotKit.fx(() -> {
            rescue.view().getScene().getWindow().setWidth(w);
            rescue.view().getScene().getWindow().setHeight(h);
            return null;
        });
        ShotKit.waitFor(() -> !vm.rescue().planningProperty().get() && !vm.rescue().fixes().isEmpty());
        Thread.sleep(1500);
        ShotKit.shoot(rs, out.resolve("rescue-plan-" + tag + ".png"));
        ShotKit.fx(() -> {
            vm.rescue().rescue();
            return null;
        });
        ShotKit.waitFor(() -> vm.rescue().resultProperty().get() != null);
        Thread.sleep(1500);
        ShotKit.shoot(rs, out.resolve("rescue-result-" + tag + ".png"));
        ShotKit.fx(() -> {
            vm.rescue().dismissResult();
            vm.rescue().inPlaceProperty().set(true);
            return null;
        });
        Thread.sleep(1000);
        ShotKit.shoot(rs, out.resolve("rescue-inplace-" + tag + ".png"));
        ShotKit.fx(() -> {
            vm.rescue().rescue();
            return null;
        });
        ShotKit.waitFor(() -> vm.rescue().resultProperty().get() != null);
        Thread.sleep(1500);
        ShotKit.shoot(rs, out.resolve("rescue-inplace-result-" + tag + ".png"));
        Platform.exit();
        System.exit(0);
    }

    /** The Repair tab on an image whose backing file is missing: planned, then with a backing file named. */
    private static void repairTabBacking(MainViewModel vm, MainView view, RescueCorpus.Damaged d, Path out, String tag)
            throws Exception {
        ShotKit.waitFor(() -> vm.layoutReadyProperty().get());
        ShotKit.fx(() -> {
            view.tabs().getSelectionModel().select(6);
            vm.repair().plan();
            return null;
        });
        ShotKit.waitFor(() -> vm.repair().plannedProperty().get());
        Thread.sleep(1500);
        ShotKit.shoot(view.getScene(), out.resolve("repair-backing-" + tag + ".png"));
        ShotKit.fx(() -> {
            vm.repair().pointBackingAt(d.options().backingFile());
            return null;
        });
        ShotKit.waitFor(() -> vm.repair().plannedProperty().get() && vm.repair().backingFileProperty().get() != null);
        ShotKit.fx(() -> {
            vm.repair().rows().stream().filter(r -> r.kind() == io.qcowscope.engine.repair.FixKind.REPOINT_BACKING)
                    .findFirst().ifPresent(vm.repair()::show);
            return null;
        });
        Thread.sleep(1500);
        ShotKit.shoot(view.getScene(), out.resolve("repair-backing-named-" + tag + ".png"));
        Platform.exit();
        System.exit(0);
    }
}
