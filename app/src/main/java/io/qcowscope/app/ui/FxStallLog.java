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
    private final Histogram sinceStart = new Histogram();
    /** The probes that began or ended while an image's layout scans ran or delivered ({@link #scanning}). */
    private final Histogram whileScanning = new Histogram();
    /**
     * The FX thread's CPU time from the first probe of {@link #whileScanning} to its last: the thread's work while the
     * scans ran, whatever the scheduler made of it.
     */
    private long cpuWhileScanning;
    private long cpuAtScanStart = -1;
    private static volatile boolean scanning;
    /** Changes of {@link #scanning} so far (FX thread): a scan begun within the three frames keeps the window open. */
    private static int scans;
    private final AtomicLong ran = new AtomicLong();
    private volatile Thread fx;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private FxStallLog() {
    }

    /** Whether the image's layout scans are running now (set on the FX thread, read by the probe). */
    static void scanning(boolean now) {
        System.err.printf("fx scan %s at %.2f s%n", now ? "started" : "ended",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        int scan = ++scans;
        if (now) {
            scanning = true;
            return;
        }
        // the window closes three frames later: the styling and layout the last results cause count too
        io.qcowscope.app.ui.task.FxFrames.after(3, () -> {
            if (scans == scan) {
                scanning = false;
            }
        });
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
            boolean inScan = scanning;
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
            sinceStart.add(delay);
            inScan |= scanning;
            if (inScan) {
                whileScanning.add(delay);
                long now = fxCpu();
                if (cpuAtScanStart < 0) {
                    cpuAtScanStart = now - cpu;
                }
                cpuWhileScanning = now - cpuAtScanStart;
            }
            if (delay > FRAME_NANOS) {
                over++;
                System.err.printf("fx stall %.1f ms (FX thread CPU %.0f ms)%s from %.2f s: %s%n", delay / 1e6,
                        cpu / 1e6, inScan ? " while scanning" : "",
                        ManagementFactory.getRuntimeMXBean().getUptime() / 1e3 - delay / 1e9,
                        samples == null ? "?" : samples.summary());
            }
            if (System.nanoTime() - windowStart >= 1_000_000_000L) {
                System.err.printf("fx longest task %.1f ms (%d of %d probes over 16 ms)%n", longest / 1e6, over, probes);
                System.err.println("fx since start: " + sinceStart.summary() + "; FX thread CPU "
                        + Math.round(fxCpu() / 1e6) + " ms");
                System.err.println("fx while scanning: " + whileScanning.summary() + "; FX thread CPU "
                        + Math.round(cpuWhileScanning / 1e6) + " ms");
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

    /** Probe delays in 0.1 ms buckets up to 10 s (the last bucket holds the rest): bounded memory. */
    private static final class Histogram {
        private final long[] buckets = new long[100_001];
        private long count;
        private long max;

        void add(long delay) {
            buckets[(int) Math.min(buckets.length - 1, delay / 100_000L)]++;
            count++;
            max = Math.max(max, delay);
        }

        /** Count, median, p99, p99.9, max, and how many were over a frame. */
        String summary() {
            long over = 0;
            for (int i = (int) (FRAME_NANOS / 100_000L); i < buckets.length; i++) {
                over += buckets[i];
            }
            return String.format("%d probes, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms, %d over 16 ms",
                    count, percentile(0.5), percentile(0.99), percentile(0.999), max / 1e6, over);
        }

        private double percentile(double q) {
            long rank = (long) Math.ceil(q * count);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= rank) {
                    return (i + 1) / 10.0;
                }
            }
            return max / 1e6;
        }
    }

    private static void sleep(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }
}
