package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.render.MapColours;
import io.qcowscope.app.ui.render.MapFrame;
import io.qcowscope.app.ui.viewmodel.MapModel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The map is painted off the FX thread: the painter reads the model's codes on the paint lane's thread, and only the
 * finished pixels come back to the FX thread. A frame model copies visible sub-cells on the FX thread beforehand.
 */
@ExtendWith(ApplicationExtension.class)
class MapPaintLaneTest {
    @Start
    void start(Stage stage) {
        // the FX toolkit runs; no window needed
    }

    @Test
    void paintsOffTheFxThreadAndDeliversOnIt() throws Exception {
        AtomicReference<Thread> readOn = new AtomicReference<>();
        MapModel model = new TwoCodes(readOn);
        CompletableFuture<MapPaintLane.Painted> delivered = new CompletableFuture<>();
        AtomicReference<Boolean> deliveredOnFx = new AtomicReference<>();
        MapPaintLane lane = new MapPaintLane("test", p -> {
            deliveredOnFx.set(Platform.isFxApplicationThread());
            delivered.complete(p);
        });
        MapFrame frame = new MapFrame(64, 32, 8, 1, 0);
        int[] pal = {0xFF000001, 0xFF000002};
        MapColours colours = new MapColours(pal, pal, 0xFF0000FF, 0xFFFF00FF);
        CompletableFuture<Void> submitted = new CompletableFuture<>();
        Platform.runLater(() -> {
            lane.submit(new MapPaintLane.Request(1, model, frame, colours, -1, new long[0], 0));
            submitted.complete(null);
        });
        submitted.get(10, TimeUnit.SECONDS);
        MapPaintLane.Painted p = delivered.get(20, TimeUnit.SECONDS);
        assertNotNull(readOn.get());
        assertFalse(readOn.get().getName().contains("JavaFX Application Thread"), "codes read on " + readOn.get());
        assertTrue(readOn.get().getName().startsWith("qcowscope-paint-"), readOn.get().getName());
        assertEquals(Boolean.TRUE, deliveredOnFx.get());
        assertEquals(64 * 32, p.pixels().length);
        // item 0 (code 0) at the top left, item 1 (code 1) beside it: the painter's output, not a blank buffer
        assertEquals(pal[0], p.pixels()[2 * 64 + 2]);
        assertEquals(pal[1], p.pixels()[2 * 64 + 10]);
        // the same pixels as the image's premultiplied BGRA bytes, for the FX thread's plain copy
        assertEquals(4 * 64 * 32, p.bgra().length);
        int at = 4 * (2 * 64 + 10);
        assertEquals(0x02, p.bgra()[at]);
        assertEquals(0x00, p.bgra()[at + 1]);
        assertEquals(0x00, p.bgra()[at + 2]);
        assertEquals((byte) 0xFF, p.bgra()[at + 3]);
    }

    @Test
    void frameModelCopiesOnlyTheVisibleSubcellsAndReadsThemLater() {
        MapModel model = new TwoCodes(new AtomicReference<>());
        FrameModel f = FrameModel.of(model, 4, 3, true);
        byte[] sub = new byte[32];
        assertTrue(f.fillSubcells(5, sub));
        assertEquals(5 % 2, sub[31]);
        assertFalse(f.fillSubcells(3, sub), "before the frame");
        assertFalse(f.fillSubcells(7, sub), "after the frame");
        assertFalse(FrameModel.of(model, 4, 3, false).fillSubcells(5, sub), "no sub-cells asked for");
        assertEquals(model.itemCount(), f.itemCount());
    }

    /** Items alternate between code 0 and 1; records the thread that reads codes. */
    private static final class TwoCodes implements MapModel {
        private final AtomicReference<Thread> readOn;

        TwoCodes(AtomicReference<Thread> readOn) {
            this.readOn = readOn;
        }

        @Override
        public long itemCount() {
            return 100;
        }

        @Override
        public int codeCount() {
            return 2;
        }

        @Override
        public String codeLabel(int code) {
            return "code " + code;
        }

        @Override
        public void fillCodes(long first, byte[] dst, int off, int len) {
            readOn.set(Thread.currentThread());
            for (int i = 0; i < len; i++) {
                dst[off + i] = (byte) ((first + i) % 2);
            }
        }

        @Override
        public int subcellsPerItem() {
            return 32;
        }

        @Override
        public boolean fillSubcells(long item, byte[] dst) {
            Arrays.fill(dst, (byte) (item % 2));
            return true;
        }

        @Override
        public String describe(long item) {
            return "";
        }

        @Override
        public void select(long item) {
        }

        @Override
        public ReadOnlyLongProperty selectedItem() {
            return new SimpleLongProperty(-1);
        }

        @Override
        public ReadOnlyLongProperty revision() {
            return new SimpleLongProperty(0);
        }
    }
}
