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

    /**
     * A painted frame: its request, its ARGB pixels (row-major, the frame's width), the same pixels as premultiplied
     * BGRA bytes (the layout of a JavaFX image, so that the FX thread's copy is a plain array copy: converting the ints
     * there kept it 10-25 ms per whole-window frame on a loaded machine) and how long painting took.
     */
    record Painted(Request request, int[] pixels, byte[] bgra, long nanos) {
    }

    private final AtomicReference<Request> next = new AtomicReference<>();
    private final AtomicReference<Painted> ready = new AtomicReference<>();
    /** A buffer the FX thread has finished copying, for the next frame of the same size. */
    private final AtomicReference<int[]> spare = new AtomicReference<>();
    private final AtomicReference<byte[]> spareBytes = new AtomicReference<>();
    private final Consumer<Painted> onPainted;
    /** The painting thread's nice value: below the FX thread, above the scans (10), which it draws the results of. */
    static final int PAINT_NICE = 5;
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
            // Below the FX thread, which must win the CPU when both want it: Java's priority, and the OS's where Java's
            // is ignored (Linux: nice). At nice 0 the whole-file frames of a 1 TiB map took the cores from the FX thread
            // while the scans ran, and its probes waited 20-24 ms.
            thread = new Thread(() -> {
                io.qcowscope.app.ui.task.ThreadNice.lowerCurrentThread(PAINT_NICE);
                run();
            }, "qcowscope-paint-" + name);
            thread.setDaemon(true);
            thread.setPriority(Thread.NORM_PRIORITY - 1);
            thread.start();
        }
        LockSupport.unpark(thread);
    }

    /** Hands a buffer back once its pixels are in the image (FX thread). */
    void recycle(Painted p) {
        spare.set(p.pixels());
        spareBytes.set(p.bgra());
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
            byte[] bgra = spareBytes.getAndSet(null);
            if (bgra == null || bgra.length != 4 * size) {
                bgra = new byte[4 * size];
            }
            toBgra(px, bgra);
            if (ready.getAndSet(new Painted(r, px, bgra, System.nanoTime() - t0)) == null) {
                Platform.runLater(this::deliver);
            }
        }
    }

    /** ARGB ints to BGRA bytes; every map colour is opaque, so premultiplied already. */
    static void toBgra(int[] argb, byte[] bgra) {
        for (int i = 0, j = 0; i < argb.length; i++, j += 4) {
            int c = argb[i];
            bgra[j] = (byte) c;
            bgra[j + 1] = (byte) (c >> 8);
            bgra[j + 2] = (byte) (c >> 16);
            bgra[j + 3] = (byte) (c >>> 24);
        }
    }

    private void deliver() {
        Painted p = ready.getAndSet(null);
        if (p != null) {
            onPainted.accept(p);
        }
    }
}
