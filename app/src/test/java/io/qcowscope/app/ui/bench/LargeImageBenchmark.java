package io.qcowscope.app.ui.bench;


import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.app.ui.view.ClusterMapView;
import io.qcowscope.app.ui.view.Palette;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.app.ui.viewmodel.RecentFiles;
import io.qcowscope.engine.testkit.Qemu;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Not a timed test: opens the 1 TiB {@code preallocation=metadata} image (64 KiB clusters, 16 million L2 entries), times
 * each phase, measures the heap, and draws the host map headless while panning and zooming. Run with
 * {@code mvn -B -pl engine,app -am test -Dtest=LargeImageBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dqcowscope.excludedGroups=none}; set {@code -Dqcowscope.bench.image=PATH} to reuse an image. Figures go to stdout.
 */
@Tag("benchmark")
class LargeImageBenchmark {

    @Test
    void openAndDrawOneTebibyteImage() throws Exception {
        Qemu.requireInstalled();
        Path image = imagePath();
        long t0 = System.nanoTime();
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(image);
        long total = System.nanoTime() - t0;
        var s = vm.sessionProperty().get();
        System.out.printf("open: %.0f ms (engine open %.0f ms); open + overview + guest scan + host layout scan: %.0f ms%n",
                total / 1e6, s.openNanos() / 1e6, total / 1e6);
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("heap used after GC with the image open and scanned: %d MiB (max %d MiB)%n", heap >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("host clusters %d, guest clusters %d%n", vm.hostMap().itemCount(), vm.guestMap().itemCount());

        long data = vm.hostMap().itemCount() / 2;
        for (int i = 0; i < 3; i++) {
            long a = System.nanoTime();
            vm.tables().selectL1(100 + i);
            long b = System.nanoTime();
            vm.refcounts().selectReftable(i + 1);
            long c = System.nanoTime();
            vm.hex().showCluster(data + i);
            long d = System.nanoTime();
            vm.selection().selectHost(data + 1000 * i);
            long e = System.nanoTime();
            System.out.printf("selection: L2 table rows %.1f ms, refcount block rows %.1f ms, hex %.1f ms, "
                    + "whole shared selection of a host cluster %.1f ms%n", (b - a) / 1e6, (c - b) / 1e6, (d - c) / 1e6,
                    (e - d) / 1e6);
        }
        CompletableFuture<Void> started = new CompletableFuture<>();
        try {
            Platform.startup(() -> started.complete(null));
        } catch (IllegalStateException alreadyStarted) {
            started.complete(null);
        }
        started.get();
        // The map paints off the FX thread: each step runs on the FX thread, then waits for its frame to be painted.
        ClusterMapView map = onFx(() -> {
            SimpleBooleanProperty dark = new SimpleBooleanProperty(false);
            ClusterMapView m = new ClusterMapView(vm.hostMap(), () -> Palette.hostRoles(false),
                    () -> Palette.hostRoles(false), dark);
            Stage stage = new Stage();
            stage.setScene(io.qcowscope.app.ui.view.WindowScene.create(m, 1000, 720));
            stage.show();
            return m;
        });
        StringBuilder out = new StringBuilder();
        step(map, map::fit);
        out.append(frames(map, "whole file (" + map.itemsPerCell() + " per cell), redraw", 20, 0));
        for (int i = 0; i < 6; i++) {
            step(map, () -> map.zoom(1));
        }
        out.append(frames(map, "zoomed in (" + map.itemsPerCell() + " per cell), pan 1 page", 60, 170));
        for (int i = 0; i < 8; i++) {
            step(map, () -> map.zoom(1));
        }
        out.append(frames(map, "single clusters (" + map.cellPixels() + " px), pan 1 page", 60, 80));
        List<Double> zoom = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            zoom.add(step(map, () -> map.zoom(-1)));
        }
        out.append(stats("zoom out step by step (painted off the FX thread)", zoom));
        onFx(() -> {
            map.getScene().getWindow().hide();
            return null;
        });
        System.out.print(out);
        vm.sessionProperty().get().close();
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.get();
    }

    /** Runs {@code r} on the FX thread, waits for the frame it asked for; the painting thread's milliseconds. */
    private static double step(ClusterMapView map, Runnable r) throws Exception {
        onFx(() -> {
            r.run();
            return null;
        });
        while (map.painting()) {
            Thread.sleep(1);
        }
        return map.lastFrameMillis();
    }

    private static String frames(ClusterMapView map, String what, int n, int rowsPerStep) throws Exception {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ms.add(step(map, rowsPerStep == 0 ? map::redraw : () -> map.pan(rowsPerStep)));
        }
        return stats(what, ms);
    }

    private static String stats(String what, List<Double> ms) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return String.format("frames, %s: n=%d median %.2f ms, p90 %.2f ms, max %.2f ms%n", what, s.size(),
                s.get(s.size() / 2), s.get((int) (s.size() * 0.9)), s.get(s.size() - 1));
    }

    private static Path imagePath() throws Exception {
        String p = System.getProperty("qcowscope.bench.image");
        if (p != null) {
            return Path.of(p);
        }
        Path dir = Files.createTempDirectory("qcowscope-bench");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "preallocation=metadata", "big.qcow2", "1T");
        dir.resolve("big.qcow2").toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        return dir.resolve("big.qcow2");
    }
}
