package io.qcowscope.app.ui;

import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Part of the frame log ({@code -Dqcowscope.frames=true}): measures how long the FX thread keeps a task, by posting a
 * probe every 4 ms and timing how late it runs. Once a second it prints the longest delay seen; a delay past 16 ms (one
 * frame at 60 Hz) also prints what the FX thread was running then (its stack, sampled while the probe waited), so a stall
 * names its cause: engine work, painting, layout, or a CPU the other processes took. Each second it also prints the
 * delays since start as a distribution ({@code fx since start: ... p99 ... max ...}), for {@code bench/fx-stall.sh}.
 */
final class FxStallLog {
    static final long FRAME_NANOS = 16_000_000L;
    private static final long PROBE_NANOS = 4_000_000L;

    /** Probe delays since start, in 0.1 ms buckets up to 10 s (the last bucket holds the rest): bounded memory. */
    private final long[] histogram = new long[100_001];
    private long maxSinceStart;
    private final AtomicLong ran = new AtomicLong();
    private volatile Thread fx;

    private FxStallLog() {
    }

    /** Starts the probe thread (call on the FX thread). */
    static void start() {
        FxStallLog log = new FxStallLog();
        log.fx = Thread.currentThread();
        Thread t = new Thread(log::run, "qcowscope-stall-log");
        t.setDaemon(true);
        t.start();
    }

    private void run() {
        long windowStart = System.nanoTime();
        long longest = 0;
        long over = 0;
        long probes = 0;
        while (true) {
            long t0 = System.nanoTime();
            ran.set(0);
            Platform.runLater(() -> ran.set(System.nanoTime()));
            StackTraceElement[] sampled = null;
            long sampledAt = 0;
            while (ran.get() == 0) {
                sleep(1_000_000L);
                long waited = System.nanoTime() - t0;
                if (sampled == null && waited > FRAME_NANOS) {
                    sampled = fx.getStackTrace();
                    sampledAt = waited;
                }
            }
            long delay = ran.get() - t0;
            probes++;
            longest = Math.max(longest, delay);
            histogram[(int) Math.min(histogram.length - 1, delay / 100_000L)]++;
            maxSinceStart = Math.max(maxSinceStart, delay);
            if (delay > FRAME_NANOS) {
                over++;
                System.err.printf("fx stall %.1f ms; at %.0f ms the FX thread ran: %s%n", delay / 1e6, sampledAt / 1e6,
                        top(sampled));
            }
            if (System.nanoTime() - windowStart >= 1_000_000_000L) {
                System.err.printf("fx longest task %.1f ms (%d of %d probes over 16 ms)%n", longest / 1e6, over, probes);
                System.err.println(sinceStart());
                windowStart = System.nanoTime();
                longest = 0;
                over = 0;
                probes = 0;
            }
            sleep(PROBE_NANOS);
        }
    }

    /** The distribution of all probe delays so far: count, median, p99, p99.9, max. */
    private String sinceStart() {
        long n = 0;
        for (long c : histogram) {
            n += c;
        }
        return String.format("fx since start: %d probes, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms", n,
                percentile(n, 0.5), percentile(n, 0.99), percentile(n, 0.999), maxSinceStart / 1e6);
    }

    private double percentile(long n, double q) {
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) {
                return (i + 1) / 10.0;
            }
        }
        return maxSinceStart / 1e6;
    }

    /** The first frames of a stack, our own code first when it is there. */
    private static String top(StackTraceElement[] stack) {
        if (stack == null || stack.length == 0) {
            return "?";
        }
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (StackTraceElement e : stack) {
            if (shown < 3 || (e.getClassName().startsWith("io.qcowscope") && shown < 8)) {
                s.append(shown == 0 ? "" : " < ").append(e.getClassName().replaceAll(".*\\.", "")).append('.')
                        .append(e.getMethodName()).append(':').append(e.getLineNumber());
                shown++;
            }
        }
        return s.toString();
    }

    private static void sleep(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }
}
