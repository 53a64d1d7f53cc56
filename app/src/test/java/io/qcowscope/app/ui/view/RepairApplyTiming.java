package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.task.FxTaskExecutor;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRequest;
import io.qcowscope.app.ui.viewmodel.edit.ApplyRunner;
import io.qcowscope.engine.repair.SparseCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * Times the window's repair of a damaged image end to end, on a real window (run under Xvfb, not Monocle):
 * {@code RepairApplyTiming PRISTINE WORKDIR inplace|copy [WIDTHxHEIGHT]}. It makes a fresh sparse copy of PRISTINE in
 * WORKDIR, opens it, times "Plan repair" to the plan on screen, queues the plan with the engine's default choices, turns
 * on Edit (repair-only), then times the queue's Apply (in place behind the default undo journal, or to a new sparse copy)
 * until every view has refreshed: the Apply done, the image reopened with its guest map and host layout scanned, the
 * engine's re-check of the file written on the result card, Edit taken again; each measured at the first pulse (frame)
 * where it holds. For a copy it then opens the copy, as the window offers, and times that until its layout is scanned.
 * Prints one line per figure, with the load average before and after; writes the result card as a PNG.
 */
public final class RepairApplyTiming {
    private RepairApplyTiming() {
    }

    public static void main(String[] args) throws Exception {
        Path pristine = Path.of(args[0]).toAbsolutePath();
        Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
        boolean inPlace = args[2].equals("inplace");
        String[] size = (args.length > 3 ? args[3] : "1600x1000").split("x");
        Path image = work.resolve("window-run.qcow2");
        // an earlier run's files (the default journal and copy names are the free ones: clear them first)
        for (String name : new String[]{"window-run.qcow2", "window-run.qcow2.undo", "window-run-edited.qcow2"}) {
            Files.deleteIfExists(work.resolve(name));
        }
        SparseCopy.copy(pristine, image);
        System.out.println("load before: " + load());
        Platform.startup(() -> {
        });
        MainViewModel vm = ShotKit.fx(() -> new MainViewModel(new FxTaskExecutor(), RecentFiles.inMemory()));
        MainView view = ShotKit.fx(() -> {
            QcowscopeApp.applyTheme(false);
            MainView v = new MainView(vm);
            Scene scene = new Scene(v, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
            scene.getStylesheets().add(QcowscopeApp.class.getResource("window.css").toExternalForm());
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            vm.open(image);
            return v;
        });
        ShotKit.waitFor(() -> vm.layoutReadyProperty().get() && !vm.busyProperty().get());
        ShotKit.fx(() -> {
            view.tabs().getSelectionModel().select(6);
            return null;
        });
        Thread.sleep(1000);

        Map<String, Callable<Boolean>> plan = new LinkedHashMap<>();
        plan.put("plan on screen", () -> vm.repair().plannedProperty().get());
        Map<String, Long> planned = time(plan, () -> vm.repair().plan());
        System.out.printf("plan: %s (planner and reading its fixes %d ms), %d fixes%n", planned,
                vm.repair().planMillis(), ShotKit.fx(() -> vm.repair().rows().size()));

        ShotKit.fx(() -> vm.repair().queueRepair());
        ShotKit.fx(() -> {
            vm.edit().mode().enter();
            return null;
        });
        ShotKit.waitFor(() -> vm.edit().mode().isEditing() && !vm.busyProperty().get());
        System.out.println("edit mode: " + ShotKit.fx(() -> vm.edit().mode().labelProperty().get()));
        Thread.sleep(1000);

        ApplyRequest request = inPlace ? ApplyRequest.inPlace(ApplyRunner.defaultJournal(image))
                : ApplyRequest.toCopy(ApplyRunner.defaultCopy(image));
        boolean[] started = new boolean[1];
        Object before = ShotKit.fx(() -> vm.sessionProperty().get());
        Map<String, Callable<Boolean>> parts = new LinkedHashMap<>();
        parts.put("apply written", () -> started[0] && !vm.edit().runner().runningProperty().get());
        // the views refresh from a new session on the file (the old one's scans do not count)
        Callable<Boolean> reopened = () -> parts.get("apply written").call() && vm.sessionProperty().get() != null
                && vm.sessionProperty().get() != before;
        parts.put("reopened", reopened);
        parts.put("guest map", () -> reopened.call() && vm.guestMap().scanResult() != null);
        parts.put("host layout", () -> reopened.call() && vm.layoutReadyProperty().get());
        parts.put("re-check on the result card", () -> vm.repair().resultProperty().get() != null
                && !vm.repair().recheckingProperty().get());
        parts.put("edit taken again", () -> parts.get("apply written").call() && vm.edit().mode().isEditing());
        parts.put("all views refreshed", () -> parts.get("guest map").call() && parts.get("host layout").call()
                && parts.get("re-check on the result card").call() && parts.get("edit taken again").call()
                && !vm.busyProperty().get());
        Map<String, Long> applied = time(parts, () -> {
            vm.edit().runner().apply(request);
            started[0] = true;
        });
        String error = ShotKit.fx(() -> vm.errorProperty().get());
        System.out.printf("apply %s: %s%s%n", inPlace ? "in place (journal " + request.journal().getFileName() + ")"
                : "to a copy", applied, error.isEmpty() ? "" : "; error: " + error);
        System.out.println("result: " + ShotKit.fx(() -> vm.repair().resultProperty().get().clean()
                ? "clean by qemu-img check's rules" : "not clean"));
        Thread.sleep(1000);
        ShotKit.shoot(view.getScene(), work.resolve("window-result-" + (inPlace ? "inplace" : "copy") + ".png"));

        if (!inPlace) {
            Path copy = request.copy();
            Map<String, Callable<Boolean>> open = new LinkedHashMap<>();
            open.put("copy opened, layout scanned", () -> vm.sessionProperty().get() != null
                    && vm.sessionProperty().get().path().equals(copy) && vm.layoutReadyProperty().get()
                    && vm.guestMap().scanResult() != null && !vm.busyProperty().get());
            System.out.println("open the copy: " + time(open, () -> vm.open(copy)));
        }
        System.out.println("load after: " + load());
        System.out.flush();
        Runtime.getRuntime().halt(0); // not Platform.exit: the window's offer to open the copy is a modal dialog
    }

    /**
     * Runs {@code action} on the FX thread and returns, per condition, the milliseconds from it to the first pulse where
     * the condition holds; waits (up to 30 minutes) until all of them held.
     */
    private static Map<String, Long> time(Map<String, Callable<Boolean>> conditions, Runnable action)
            throws Exception {
        Map<String, Long> at = new LinkedHashMap<>();
        long[] t0 = new long[1];
        AnimationTimer[] timer = new AnimationTimer[1];
        ShotKit.fx(() -> {
            timer[0] = new AnimationTimer() {
                @Override
                public void handle(long now) {
                    for (Map.Entry<String, Callable<Boolean>> c : conditions.entrySet()) {
                        try {
                            if (!at.containsKey(c.getKey()) && c.getValue().call()) {
                                at.put(c.getKey(), (System.nanoTime() - t0[0]) / 1_000_000);
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    if (at.size() == conditions.size()) {
                        stop();
                    }
                }
            };
            t0[0] = System.nanoTime();
            action.run();
            timer[0].start();
            return null;
        });
        for (int i = 0; i < 30 * 60 * 10 && ShotKit.fx(() -> at.size() < conditions.size()); i++) {
            Thread.sleep(100);
        }
        return ShotKit.fx(() -> new LinkedHashMap<>(at));
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
