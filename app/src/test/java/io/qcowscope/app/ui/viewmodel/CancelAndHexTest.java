package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.app.ui.task.BackgroundTask;
import io.qcowscope.app.ui.task.TaskExecutor;
import io.qcowscope.app.ui.task.TaskHandle;
import io.qcowscope.app.ui.task.TaskListener;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CancelAndHexTest {
    @TempDir
    Path dir;

    /** Holds tasks without running them, so a test can cancel work in flight. */
    static final class HeldExecutor implements TaskExecutor {
        final List<boolean[]> cancelled = new ArrayList<>();

        @Override
        public <T> TaskHandle execute(String title, BackgroundTask<T> task, TaskListener<T> listener) {
            boolean[] c = new boolean[1];
            cancelled.add(c);
            return new TaskHandle() {
                @Override
                public void cancel() {
                    c[0] = true;
                }

                @Override
                public boolean isDone() {
                    return false;
                }
            };
        }

        @Override
        public void runOnUi(Runnable r) {
            r.run();
        }
    }

    @Test
    void cancelStopsWorkInFlightAndClearsBusy() {
        HeldExecutor ex = new HeldExecutor();
        MainViewModel vm = new MainViewModel(ex, RecentFiles.inMemory());
        vm.open(dir.resolve("any.qcow2"));
        assertTrue(vm.busyProperty().get());
        vm.cancel();
        assertTrue(ex.cancelled.get(0)[0]);
        assertFalse(vm.busyProperty().get());
        assertEquals("cancelled", vm.statusProperty().get());
    }

    @Test
    void hexGoToAcceptsClusterIndexAndByteOffset() {
        Qemu.requireInstalled();
        MainViewModel vm = TestImages.open(TestImages.extendedWithBacking(dir));
        HexViewModel h = vm.hex();
        assertTrue(h.goTo("2"));
        assertEquals(2L << 16, h.clusterOffsetProperty().get());
        assertTrue(h.goTo("0x30010"));
        assertEquals(3L << 16, h.clusterOffsetProperty().get());
        assertFalse(h.goTo("99999"));
        assertFalse(h.goTo("zz"));
    }
}
