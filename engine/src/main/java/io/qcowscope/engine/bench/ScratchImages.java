package io.qcowscope.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The images the rows of a run write, deleted in batches rather than one by one. A row's image is sparse with thousands
 * of small extents; on a file system that discards freed blocks (ext4 {@code -o discard}), each unlink waits for its own
 * journal commit, about a second per image, while unlinks issued together share one commit: 12 images took 16 s one
 * after another and 1.6 to 4 s at once. Each image gets its own name, so a row never waits for the last one's removal.
 */
public final class ScratchImages implements AutoCloseable {
    /** Images kept before a batch is deleted (a default-scale row keeps some tens of MiB allocated). */
    public static final int DEFAULT_BATCH = 8;

    private final Path dir;
    private final int batch;
    private final List<Path> pending = new ArrayList<>();
    private int made;

    public ScratchImages(Path dir) {
        this(dir, DEFAULT_BATCH);
    }

    public ScratchImages(Path dir, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch " + batch);
        }
        this.dir = dir;
        this.batch = batch;
    }

    /** A new image path in the directory, {@code stem-N.qcow2}; nothing exists there yet. */
    public synchronized Path next(String stem) {
        return dir.resolve(stem + "-" + (made++) + ".qcow2");
    }

    /** The image is no longer needed: deleted with the next batch (now, when the batch is full). */
    public void release(Path image) throws IOException {
        List<Path> full = null;
        synchronized (this) {
            pending.add(image);
            if (pending.size() >= batch) {
                full = List.copyOf(pending);
                pending.clear();
            }
        }
        if (full != null) {
            deleteTogether(full);
        }
    }

    /** Images released and not yet deleted. */
    public synchronized int pending() {
        return pending.size();
    }

    /** Deletes what is left. */
    @Override
    public void close() throws IOException {
        List<Path> rest;
        synchronized (this) {
            rest = List.copyOf(pending);
            pending.clear();
        }
        deleteTogether(rest);
    }

    /** One thread per file, all unlinks in flight at once; the first failure is thrown once all have finished. */
    static void deleteTogether(List<Path> files) throws IOException {
        if (files.size() == 1) {
            Files.deleteIfExists(files.get(0));
            return;
        }
        List<Thread> threads = new ArrayList<>();
        IOException[] first = {null};
        for (Path p : files) {
            Thread t = new Thread(() -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    synchronized (first) {
                        if (first[0] == null) {
                            first[0] = e;
                        }
                    }
                }
            }, "qcowscope-scratch-delete");
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting: the files must be gone when this returns
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first[0] != null) {
            throw first[0];
        }
    }
}
