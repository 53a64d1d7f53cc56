package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.render.MapColours;
import io.qcowscope.app.ui.render.MapFrame;
import io.qcowscope.app.ui.render.MapPainter;
import io.qcowscope.app.ui.viewmodel.MapModel;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * Paints a map's frames on a background thread so the FX thread never does it: a whole-file frame of a 1 TiB image reads
 * 16 M role codes. The newest request wins (older ones not started yet are dropped), and at most one finished frame waits
 * for the FX thread, which only copies its pixels into the image (one copy per pulse at most).
 */
final class MapPaintLane {
    /**
     * What to paint: a frame of the model in these colours with this item outlined and the {@code marked} items (sorted,
     * a repair preview; never changed once submitted) hatched; {@code id} orders requests.
     */
    record Request(long id, MapModel model, MapFrame frame, MapColours colours, long selected, long[] marked,
            int markColour) {
    }

    /** A painted frame: its request, its ARGB pixels (row-major, the frame's width) and how long painting took. */
    record Painted(Request request, int[] pixels, long nanos) {
    }

    private final AtomicReference<Request> next = new AtomicReference<>();
    private final AtomicReference<Painted> ready = new AtomicReference<>();
    /** A buffer the FX thread has finished copying, for the next frame of the same size. */
    private final AtomicReference<int[]> spare = new AtomicReference<>();
    private final Consumer<Painted> onPainted;
    private final MapPainter painter = new MapPainter();
    private final String name;
    private Thread thread;

    /** {@code onPainted} runs on the FX thread with the newest painted frame. */
    MapPaintLane(String name, Consumer<Painted> onPainted) {
        this.name = name;
        this.onPainted = onPainted;
    }

    /** Asks for a frame (FX thread); a request not started yet is replaced. */
    void submit(Request r) {
        next.set(r);
        if (thread == null) {
            thread = new Thread(this::run, "qcowscope-paint-" + name);
            thread.setDaemon(true);
            // Below the FX thread, which must win the CPU when both want it.
            thread.setPriority(Thread.NORM_PRIORITY - 1);
            thread.start();
        }
        LockSupport.unpark(thread);
    }

    /** Hands a buffer back once its pixels are in the image (FX thread). */
    void recycle(int[] pixels) {
        spare.set(pixels);
    }

    private void run() {
        while (true) {
            Request r = next.getAndSet(null);
            if (r == null) {
                LockSupport.park(this);
                continue;
            }
            int size = r.frame().width() * r.frame().height();
            int[] px = spare.getAndSet(null);
            if (px == null || px.length != size) {
                px = new int[size];
            }
            long t0 = System.nanoTime();
            try {
                painter.paint(r.model(), r.frame(), r.colours(), r.selected(), r.marked(), r.markColour(), px);
            } catch (RuntimeException e) {
                // The model changed under the frame (a new image or scan); the request that change made paints it.
                continue;
            }
            if (ready.getAndSet(new Painted(r, px, System.nanoTime() - t0)) == null) {
                Platform.runLater(this::deliver);
            }
        }
    }

    private void deliver() {
        Painted p = ready.getAndSet(null);
        if (p != null) {
            onPainted.accept(p);
        }
    }
}
