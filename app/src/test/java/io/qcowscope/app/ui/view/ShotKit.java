package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.render.PngWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

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

    static <T> T fx(Callable<T> c) throws Exception {
        FutureTask<T> t = new FutureTask<>(c);
        Platform.runLater(t);
        return t.get();
    }
}
