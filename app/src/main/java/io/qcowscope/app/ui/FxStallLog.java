package io.qcowscope.app.ui;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/**
 * Part of the frame log ({@code -Dqcowscope.frames=true}): measures how long the FX thread keeps a task, by posting a
 * probe every 4 ms and timing how late it runs. Once a second it prints the longest delay seen; a delay past 16 ms (one
 * frame at 60 Hz) also prints what the FX thread was running then: its stack sampled every 10 ms while the probe
 * waited, grouped by place ({@link FxStallSamples}), and how much CPU the FX thread got meanwhile (a stall with little
 * CPU is a thread the other processes starved, not work to move). Each second it also prints the delays since start as a
 * distribution ({@code fx since start: ... p99 ... max ...}), for {@code bench/fx-stall.sh}.
 */
final class FxStallLog {
    static final long FRAME_NANOS = 16_000_000L;
    private static final long PROBE_NANOS = 4_000_000L;
    private static final long SAMPLE_NANOS = 10_000_000L;

    /** Probe delays since start, in 0.1 ms buckets up to 10 s (the last bucket holds the rest): bounded memory. */
    private final long[] histogram = new long[100_001];
    private long maxSinceStart;
    private final AtomicLong ran = new AtomicLong();
    private volatile Thread fx;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private FxStallLog() {
    }

    /** Starts the probe thread (call on the FX thread). */
    static void start() {
        FxStallLog log = new FxStallLog();
        log.fx = Thread.currentThread();
        Thread t = new Thread(log::run, "qcowscope-stall-log");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
    }

    private void run() {
        long windowStart = System.nanoTime();
        long longest = 0;
        long over = 0;
        long probes = 0;
        while (true) {
            long t0 = System.nanoTime();
            long cpu0 = fxCpu();
            ran.set(0);
            Platform.runLater(() -> ran.set(System.nanoTime()));
            FxStallSamples samples = null;
            long nextSample = t0 + FRAME_NANOS;
            while (ran.get() == 0) {
                sleep(1_000_000L);
                long now = System.nanoTime();
                if (now >= nextSample && ran.get() == 0) {
                    if (samples == null) {
                        samples = new FxStallSamples();
                    }
                    samples.add(fx.getStackTrace());
                    nextSample = now + SAMPLE_NANOS;
                }
            }
            long delay = ran.get() - t0;
            long cpu = fxCpu() - cpu0;
            probes++;
            longest = Math.max(longest, delay);
            histogram[(int) Math.min(histogram.length - 1, delay / 100_000L)]++;
            maxSinceStart = Math.max(maxSinceStart, delay);
            if (delay > FRAME_NANOS) {
                over++;
                System.err.printf("fx stall %.1f ms (FX thread CPU %.0f ms) from %.2f s: %s%n", delay / 1e6,
                        cpu / 1e6, ManagementFactory.getRuntimeMXBean().getUptime() / 1e3 - delay / 1e9,
                        samples == null ? "?" : samples.summary());
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

    /** The FX thread's CPU time so far in ns, or 0 where the JVM does not measure it. */
    private long fxCpu() {
        long t = threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(fx.getId()) : 0;
        return Math.max(0, t);
    }

    /** The distribution of all probe delays so far: count, median, p99, p99.9, max. */
    private String sinceStart() {
        long n = 0;
        for (long c : histogram) {
            n += c;
        }
        return String.format("fx since start: %d probes, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms;"
                + " FX thread CPU %.0f ms", n, percentile(n, 0.5), percentile(n, 0.99), percentile(n, 0.999),
                maxSinceStart / 1e6, fxCpu() / 1e6);
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

    private static void sleep(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }
}
