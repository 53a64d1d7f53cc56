package io.qcowscope.engine.storage;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small fixed pool the big scans read metadata clusters ahead on ({@link ClusterReadAhead}): one daemon thread per
 * core beside the scanning thread (at least one, at most three), made on first use and shared by every scan of the
 * process (so many images or many windows never multiply threads). A command-line process does not wait for it to exit.
 * Reading and decoding a table costs less than walking its entries, so one reader keeps one walker fed; more threads
 * only add their stacks and malloc arenas to the peak RSS.
 */
public final class ScanPool {
    /** Threads in the pool. */
    public static final int THREADS = Math.max(1, Math.min(3, Runtime.getRuntime().availableProcessors() - 1));
    private static volatile ExecutorService pool;

    private ScanPool() {
    }

    /** The pool (made on first use). */
    public static ExecutorService executor() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (ScanPool.class) {
                p = pool;
                if (p == null) {
                    AtomicInteger n = new AtomicInteger();
                    p = Executors.newFixedThreadPool(THREADS, r -> {
                        Thread t = new Thread(r, "qcowscope-scan-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
                    pool = p;
                }
            }
        }
        return p;
    }
}
