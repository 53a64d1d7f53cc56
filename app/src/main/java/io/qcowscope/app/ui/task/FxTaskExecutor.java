package io.qcowscope.app.ui.task;

import io.qcowscope.engine.task.CancelledException;
import io.qcowscope.engine.task.ProgressMonitor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;

/** Runs tasks on daemon threads and delivers callbacks on the JavaFX application thread; progress is throttled. */
public final class FxTaskExecutor implements TaskExecutor {
    /** The nice value of the scan worker: well below the FX thread, which must win the CPU when both want it. */
    static final int SCAN_NICE = 10;

    /**
     * One worker: on a two-core machine the other core stays with the FX thread. It runs below normal priority so the
     * FX thread wins when both want the CPU: Java's priority, and the OS's where Java's is ignored (Linux: nice).
     */
    private final ExecutorService pool = Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(() -> {
            ThreadNice.lowerCurrentThread(SCAN_NICE);
            r.run();
        }, "qcowscope-task");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });

    /** Tasks given to the worker and not yet delivered on the FX thread. */
    private final java.util.concurrent.atomic.AtomicInteger undelivered = new java.util.concurrent.atomic.AtomicInteger();

    /** Frames in a row without a long task that {@link #whenSettled} waits for, what is long, and its bound. */
    private static final int SETTLED_FRAMES = 3;
    private static final long LONG_FRAME_NANOS = 25_000_000L;
    private static final long SETTLE_BOUND_NANOS = 1_500_000_000L;

    /** Short lookups (selection) run here, so they never wait for a scan on the worker. */
    private final ExecutorService interactive = Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(r, "qcowscope-lookup");
        t.setDaemon(true);
        return t;
    });

    @Override
    public <T> TaskHandle execute(String title, BackgroundTask<T> task, TaskListener<T> listener) {
        undelivered.incrementAndGet();
        return submit(pool, task, new TaskListener<T>() {
            @Override
            public void progress(double fraction) {
                listener.progress(fraction);
            }

            @Override
            public void succeeded(T value) {
                undelivered.decrementAndGet();
                listener.succeeded(value);
            }

            @Override
            public void failed(Throwable error) {
                undelivered.decrementAndGet();
                listener.failed(error);
            }

            @Override
            public void cancelled() {
                undelivered.decrementAndGet();
                listener.cancelled();
            }
        });
    }

    @Override
    public <T> TaskHandle executeInteractive(String title, BackgroundTask<T> task, TaskListener<T> listener) {
        return submit(interactive, task, listener);
    }

    private <T> TaskHandle submit(ExecutorService lane, BackgroundTask<T> task, TaskListener<T> listener) {
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong lastReport = new AtomicLong();
        ProgressMonitor monitor = new ProgressMonitor() {
            @Override
            public void progress(long d, long total) {
                long now = System.nanoTime();
                long last = lastReport.get();
                if (now - last > 50_000_000L && lastReport.compareAndSet(last, now)) {
                    double f = total <= 0 ? -1 : (double) d / total;
                    Platform.runLater(() -> listener.progress(f));
                }
            }

            @Override
            public boolean isCancelled() {
                return cancelled.get();
            }
        };
        lane.submit(() -> {
            try {
                T v = task.run(monitor);
                done.set(true);
                Platform.runLater(() -> {
                    if (cancelled.get()) {
                        listener.cancelled();
                    } else {
                        listener.succeeded(v);
                    }
                });
            } catch (CancelledException e) {
                done.set(true);
                Platform.runLater(listener::cancelled);
            } catch (Throwable e) {
                done.set(true);
                Platform.runLater(() -> listener.failed(e));
            }
        });
        return new TaskHandle() {
            @Override
            public void cancel() {
                cancelled.set(true);
            }

            @Override
            public boolean isDone() {
                return done.get();
            }
        };
    }

    @Override
    public void afterNextFrame(Runnable r) {
        FxFrames.after(2, r);
    }

    @Override
    public void whenSettled(Runnable r) {
        new javafx.animation.AnimationTimer() {
            private final long start = System.nanoTime();
            private long last = start;
            private int quiet;

            @Override
            public void handle(long now) {
                long t = System.nanoTime();
                quiet = t - last < LONG_FRAME_NANOS && undelivered.get() == 0 ? quiet + 1 : 0;
                last = t;
                if (quiet >= SETTLED_FRAMES || t - start >= SETTLE_BOUND_NANOS) {
                    stop();
                    r.run();
                }
            }
        }.start();
    }

    @Override
    public void onFrames(Runnable... steps) {
        FxFrames.each(steps);
    }

    @Override
    public void runOnUi(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }
}
