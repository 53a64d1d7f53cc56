package io.qcowscope.app.cli;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Works on the images of a many-image run on a few threads at once and hands each outcome back on the calling thread in
 * the order the images are listed, so what is printed, and in which order, is what one image after the other prints.
 * Bounded: {@link #threads()} images are worked on at a time and at most twice that many outcomes wait to be handed.
 */
final class PoolRunner {
    /** One image's work, run on a pool thread. */
    interface Work<T> {
        T run(Path image) throws Exception;
    }

    /** Receives each image's outcome, in list order, on the calling thread. */
    interface Sink<T> {
        void accept(Path image, T outcome, Exception failure) throws java.io.IOException;
    }

    private PoolRunner() {
    }

    /** Both cores of the 2-core machines this is tuned on; never more than four. */
    static int threads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    static <T> void inOrder(List<Path> images, Work<T> work, Sink<T> sink) throws java.io.IOException {
        int threads = threads();
        if (threads == 1 || images.size() < 2) {
            for (Path p : images) {
                T outcome;
                try {
                    outcome = work.run(p);
                } catch (Exception e) {
                    sink.accept(p, null, e);
                    continue;
                }
                sink.accept(p, outcome, null);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "qcowscope-pool");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<T>> pending = new ArrayDeque<>();
            int next = 0;
            int handed = 0;
            while (handed < images.size()) {
                while (next < images.size() && pending.size() < 2 * threads) {
                    Path p = images.get(next++);
                    pending.add(pool.submit(() -> work.run(p)));
                }
                Path p = images.get(handed++);
                Future<T> f = pending.poll();
                T outcome;
                try {
                    outcome = f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while checking " + p);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Exception x) {
                        sink.accept(p, null, x);
                        continue;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(c);
                }
                sink.accept(p, outcome, null);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
