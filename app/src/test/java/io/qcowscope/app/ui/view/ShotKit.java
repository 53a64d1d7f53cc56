package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.render.PngWriter;
import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

/** What the screenshot tools share: run on the FX thread, wait for a state, write a scene as PNG. */
final class ShotKit {
    private ShotKit() {
    }

    static void shoot(Scene scene, Path png) throws Exception {
        WritableImage img = fx(() -> scene.snapshot(null));
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        try (OutputStream o = Files.newOutputStream(png); PngWriter p = new PngWriter(o, w, h)) {
            p.writeRows(argb, h);
        }
        System.out.println("wrote " + png);
    }

    /** Polls {@code c} on the FX thread for up to 10 minutes, then lets the frame settle. */
    static void waitFor(Callable<Boolean> c) throws Exception {
        for (int i = 0; i < 3000; i++) {
            if (fx(c)) {
                Thread.sleep(500);
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out");
    }

    /** {@code OUTDIR/work-TAG}, created and emptied: where a tool makes its qemu-made images. */
    static Path emptyWorkDir(Path out, String tag) throws IOException {
        Path work = Files.createDirectories(out.resolve("work-" + tag));
        try (var l = Files.list(work)) {
            for (Path p : l.toList()) {
                Files.delete(p);
            }
        }
        return work;
    }

    /**
     * Starts the FX toolkit and shows the main window at {@code width x height} in the chosen theme, opening
     * {@code image}; returns once the window is shown (the scan goes on).
     */
    static MainView openWindow(MainViewModel vm, int width, int height, boolean dark, Path image) throws Exception {
        return fx(() -> {
            QcowscopeApp.applyTheme(dark);
            vm.darkThemeProperty().set(dark);
            MainView v = new MainView(vm);
            Stage stage = new Stage();
            stage.setScene(WindowScene.create(v, width, height));
            stage.show();
            vm.open(image);
            return v;
        });
    }

    /** Selects tab {@code tab}, lets it lay out and paint, and writes the window as {@code png}. */
    static void shootTab(MainView view, int tab, Path png) throws Exception {
        fx(() -> {
            view.tabs().getSelectionModel().select(tab);
            return null;
        });
        Thread.sleep(2500);
        shoot(view.getScene(), png);
    }

    /** The read stepper on {@code guestOffset}, {@code steps} steps into its walk, written as {@code png}. */
    static void shootStepper(MainViewModel vm, MainView view, long guestOffset, int steps, Path png) throws Exception {
        fx(() -> {
            view.explainOffset(guestOffset);
            return null;
        });
        waitFor(() -> vm.readStepper().canNextProperty().get());
        for (int i = 0; i < steps; i++) {
            fx(() -> {
                vm.readStepper().next();
                return null;
            });
            Thread.sleep(400);
        }
        Thread.sleep(2000);
        shoot(view.getScene(), png);
    }

    static <T> T fx(Callable<T> c) throws Exception {
        FutureTask<T> t = new FutureTask<>(c);
        Platform.runLater(t);
        return t.get();
    }
}
