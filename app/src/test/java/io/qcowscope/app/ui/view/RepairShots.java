package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.edit.OperationQueue;
import io.qcowscope.app.ui.viewmodel.repair.FixRow;
import io.qcowscope.app.ui.viewmodel.repair.RepairOperation;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.task.ProgressMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Screenshots of the repair workspace for the README and for looking at, on a real window (run under Xvfb, not Monocle):
 * the plan with a fix previewed, that preview on the host map, L2 table and refcount views, and the result card after
 * applying the plan to a copy. {@code RepairShots IMAGE OUTDIR WIDTHxHEIGHT light|dark [FIX-KIND [timing]]}: with
 * {@code timing}, it prints the time from "Plan repair" to the plan laid out on screen and writes nothing but the plan's
 * screenshot (no copy: the benchmark image is 1 TiB sparse).
 */
public final class RepairShots {
    private RepairShots() {
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]).toAbsolutePath();
        Path out = Files.createDirectories(Path.of(args[1]));
        String[] size = args[2].split("x");
        int w = Integer.parseInt(size[0]);
        int h = Integer.parseInt(size[1]);
        boolean dark = args[3].equals("dark");
        FixKind kind = args.length > 4 ? FixKind.valueOf(args[4]) : FixKind.SUBCLUSTERS_ZERO_WINS;
        boolean timing = args.length > 5 && args[5].equals("timing");
        String tag = args[2] + "-" + args[3];
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
            vm.open(image);
            return v;
        });
        ShotKit.waitFor(() -> vm.layoutReadyProperty().get());
        ShotKit.fx(() -> {
            view.tabs().getSelectionModel().select(6);
            return null;
        });
        Thread.sleep(1000);
        long[] shown = new long[1];
        long t0 = ShotKit.fx(() -> {
            // the plan is on screen at the first pulse after its rows are in the table (layout and paint)
            vm.repair().plannedProperty().addListener((o, a, b) -> {
                if (b && shown[0] == 0) {
                    javafx.animation.AnimationTimer[] once = new javafx.animation.AnimationTimer[1];
                    once[0] = new javafx.animation.AnimationTimer() {
                        @Override
                        public void handle(long now) {
                            shown[0] = System.nanoTime();
                            once[0].stop();
                        }
                    };
                    once[0].start();
                }
            });
            long t = System.nanoTime();
            vm.repair().plan();
            return t;
        });
        ShotKit.waitFor(() -> shown[0] != 0);
        System.out.printf("plan on screen after %d ms (planner and reading its fixes: %d ms), %d fixes%n",
                (shown[0] - t0) / 1_000_000, vm.repair().planMillis(), ShotKit.fx(() -> vm.repair().rows().size()));
        ShotKit.fx(() -> {
            FixRow r = vm.repair().rows().stream().filter(x -> x.kind() == kind).findFirst().orElseThrow();
            vm.repair().choose(r);
            vm.repair().show(vm.repair().rows().stream().filter(x -> x.id() == r.id()).findFirst().orElseThrow());
            return null;
        });
        Thread.sleep(1500);
        ShotKit.shoot(view.getScene(), out.resolve("repair-plan-" + tag + ".png"));
        if (timing) {
            Platform.exit();
            System.exit(0);
        }
        for (int[] t : new int[][]{{1, 0}, {3, 0}, {4, 0}}) {
            ShotKit.fx(() -> {
                if (t[0] == 4) {
                    // the refcounts a rebuild writes, when the plan has one
                    vm.repair().rows().stream().filter(x -> x.kind() == FixKind.REBUILD_REFCOUNTS).findFirst()
                            .ifPresent(vm.repair()::show);
                }
                view.tabs().getSelectionModel().select(t[0]);
                return null;
            });
            Thread.sleep(1500);
            ShotKit.shoot(view.getScene(), out.resolve("repair-preview-tab" + t[0] + "-" + tag + ".png"));
        }
        RepairOperation op = ShotKit.fx(() -> vm.repair().queueRepair());
        Path copy = out.resolve("repaired-" + tag + ".qcow2");
        Files.deleteIfExists(copy);
        Files.copy(image, copy);
        String summary = op.apply(copy, null, ProgressMonitor.NONE);
        ShotKit.fx(() -> {
            view.tabs().getSelectionModel().select(6);
            vm.operations().applied(new OperationQueue.ApplyOutcome(copy, false, null, List.of(op), List.of(summary)));
            return null;
        });
        ShotKit.waitFor(() -> vm.repair().resultProperty().get() != null);
        Thread.sleep(1500);
        ShotKit.shoot(view.getScene(), out.resolve("repair-result-" + tag + ".png"));
        Platform.exit();
        System.exit(0);
    }
}
