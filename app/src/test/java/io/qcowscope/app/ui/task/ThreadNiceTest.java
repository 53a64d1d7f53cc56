package io.qcowscope.app.ui.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The background scans really run below the FX thread on Linux, where Java's thread priorities are ignored. */
class ThreadNiceTest {
    @Test
    void lowersOnlyTheCallingThread() throws Exception {
        int before = ThreadNice.currentNice();
        CompletableFuture<int[]> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            boolean ok = ThreadNice.lowerCurrentThread(before + 7);
            seen.complete(new int[] {ok ? 1 : 0, ThreadNice.currentNice()});
        });
        t.start();
        int[] r = seen.get(10, TimeUnit.SECONDS);
        if (Platform.isLinux()) {
            assertEquals(1, r[0], "setpriority on a thread of our own");
            assertEquals(Math.min(19, before + 7), r[1]);
        }
        assertEquals(before, ThreadNice.currentNice(), "the calling thread of the test is untouched");
    }

    @Test
    void theScanWorkerRunsNiced() throws Exception {
        CompletableFuture<Integer> nice = new CompletableFuture<>();
        FxTaskExecutor ex = new FxTaskExecutor();
        // the listener's callbacks go to the FX thread, which this test does not start: only the task body matters
        ex.execute("probe", m -> {
            nice.complete(ThreadNice.currentNice());
            return null;
        }, new TaskListener<Object>() {
            @Override
            public void succeeded(Object value) {
            }

            @Override
            public void failed(Throwable error) {
            }
        });
        int n = nice.get(10, TimeUnit.SECONDS);
        if (Platform.isLinux()) {
            assertTrue(n >= FxTaskExecutor.SCAN_NICE, "scan worker nice " + n);
        }
    }
}
