package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.QcowscopeApp;
import io.qcowscope.app.ui.render.PngWriter;
import io.qcowscope.app.ui.viewmodel.MainViewModel;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

/**
 * Not a test: screenshots of the lab's windows for looking at them, run under Xvfb with the real toolkit:
 * {@code xvfb-run -a java -cp ... io.qcowscope.app.ui.view.LabScreenshots OUTDIR IMAGE}. Opens IMAGE, plans
 * a write, runs the lab at its default scale, and saves each window at 1600x1000 and 1024x700 in light and dark.
 */
public final class LabScreenshots {
    private static Path out;
    private static Path image;

    public static void main(String[] args) {
        out = Path.of(args[0]);
        image = Path.of(args[1]);
        Application.launch(Shots.class, args);
    }

    /** The JavaFX application (a nested class, so the launcher does not need JavaFX on the module path). */
    public static final class Shots extends Application {
        @Override
        public void start(Stage stage) throws Exception {
            LabScreenshots.start(stage);
        }
    }

    static void start(Stage stage) throws Exception {
        Files.createDirectories(out);
        WindowUi ui = WindowUi.start(stage, image);
        MainViewModel vm = ui.vm;
        MainView view = ui.view;
        Thread t = new Thread(() -> {
            try {
                script(vm, view, stage);
            } catch (Exception e) {
                e.printStackTrace();
            }
            Platform.exit();
        });
        t.setDaemon(true);
        t.start();
    }

    private static void script(MainViewModel vm, MainView view, Stage main) throws Exception {
        waitFor(() -> vm.layoutReadyProperty().get(), 120);
        Stage[] s = new Stage[2];
        fx(() -> {
            s[0] = view.labWindows().showDryRun();
            vm.writeDryRun().offsetProperty().set(System.getProperty("offset", "0x11200"));
            vm.writeDryRun().lengthProperty().set(System.getProperty("length", "4k"));
            vm.writeDryRun().plan();
        });
        waitFor(() -> !vm.writeDryRun().steps().isEmpty() && !vm.writeDryRun().busyProperty().get(), 60);
        long t0 = System.nanoTime();
        fx(() -> {
            s[1] = view.labWindows().showLab();
            vm.lab().run();
        });
        Thread.sleep(500);
        waitFor(() -> !vm.lab().runningProperty().get(), 600);
        System.out.printf("lab: %.1f s, %s%n", (System.nanoTime() - t0) / 1e9, vm.lab().statusProperty().get());
        System.out.print(vm.lab().csv());
        Files.writeString(out.resolve("lab.csv"), vm.lab().csv());
        for (boolean dark : new boolean[]{false, true}) {
            fx(() -> vm.darkThemeProperty().set(dark));
            fx(() -> QcowscopeApp.applyTheme(dark));
            for (int[] size : new int[][]{{1600, 1000}, {1024, 700}}) {
                for (int i = 0; i < 2; i++) {
                    Stage st = s[i];
                    fx(() -> {
                        st.setWidth(size[0]);
                        st.setHeight(size[1]);
                    });
                    Thread.sleep(1500);
                    String name = (i == 0 ? "dry" : "lab") + "-" + size[0] + "x" + size[1] + "-"
                            + (dark ? "dark" : "light") + ".png";
                    fx(() -> save(st.getScene(), out.resolve(name)));
                }
            }
        }
    }

    private static void save(Scene scene, Path file) {
        WritableImage shot = scene.snapshot(null);
        int w = (int) shot.getWidth();
        int h = (int) shot.getHeight();
        int[] argb = new int[w * h];
        shot.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        try (OutputStream o = Files.newOutputStream(file); PngWriter png = new PngWriter(o, w, h)) {
            png.writeRows(argb, h);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fx(Runnable r) throws Exception {
        java.util.concurrent.CountDownLatch l = new java.util.concurrent.CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                l.countDown();
            }
        });
        l.await();
    }

    private static void waitFor(java.util.function.BooleanSupplier c, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            boolean[] ok = new boolean[1];
            fx(() -> ok[0] = c.getAsBoolean());
            if (ok[0]) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("timed out");
    }
}
