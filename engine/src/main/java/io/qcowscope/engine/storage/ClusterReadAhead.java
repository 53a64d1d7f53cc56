package io.qcowscope.engine.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Reads a known sequence of metadata clusters (L2 tables, refcount blocks) ahead of their use, on the shared
 * {@link ScanPool}, into a bounded window of reused buffers, optionally decoded into big-endian words there too. The
 * consumer takes the clusters strictly in sequence order with {@link #next()}, so whatever it does with each (and any
 * exception a read throws, rethrown when the consumer reaches that cluster, typed as the storage threw it) is exactly
 * as if it had read them itself, one at a time. No object per table entry; one small task per cluster.
 */
public final class ClusterReadAhead implements AutoCloseable {
    /** Bytes of buffers a window may hold (raw bytes plus decoded words). */
    static final long WINDOW_BYTES = 4L << 20;

    /** One cluster of the sequence: valid until the next {@link #next()} or {@link #close()}. */
    public static final class Slot {
        private final byte[] bytes;
        private final long[] words;
        private long offset;

        Slot(int length, boolean decode, boolean recycle) {
            this.bytes = recycle ? ClusterBuffers.bytes(length) : new byte[length];
            this.words = !decode ? null : recycle ? ClusterBuffers.words(length / 8) : new long[length / 8];
        }

        /** The cluster's bytes as read. */
        public byte[] bytes() {
            return bytes;
        }

        /** The bytes as big-endian 64-bit words (only when the read-ahead decodes). */
        public long[] words() {
            return words;
        }

        /** Where the cluster was read. */
        public long offset() {
            return offset;
        }
    }

    private final Storage storage;
    private final long[] offsets;
    private final int count;
    private final Slot[] ring;
    private final Future<?>[] pending;
    /** Sequences this short are read by {@link #next()} itself, nothing ahead. */
    static final int INLINE_MAX = 2;
    private final boolean inline;
    private final boolean recycle;
    private boolean closed;
    private int consumed;
    private int submitted;

    /**
     * Starts reading {@code length} bytes at each of {@code offsets[0..count)}.
     *
     * @param decode also decode each cluster into big-endian words (for tables of 64-bit entries)
     */
    public ClusterReadAhead(Storage storage, int length, boolean decode, long[] offsets, int count) {
        this(storage, length, decode, offsets, count, false);
    }

    /**
     * As above; with {@code recycle} the buffers come from and go back to {@link ClusterBuffers} at {@link #close()},
     * so the consumer must not keep a slot's arrays past it.
     */
    public ClusterReadAhead(Storage storage, int length, boolean decode, long[] offsets, int count, boolean recycle) {
        this.recycle = recycle;
        this.storage = storage;
        this.offsets = offsets;
        this.count = count;
        // A sequence of one or two clusters (a small image's tables) is read on the consumer's thread when it gets
        // there: a hand-off to the pool would cost more than it saves, and a pool checking many images at once keeps
        // both cores busy anyway.
        this.inline = count <= INLINE_MAX;
        int window = inline ? Math.min(1, count) : Math.min(window(length, decode), count);
        this.ring = new Slot[window];
        this.pending = new Future<?>[inline ? 0 : window];
        for (int k = 0; k < window; k++) {
            ring[k] = new Slot(length, decode, recycle);
            if (!inline) {
                submit(k);
            }
        }
    }

    /** The slot filled on the calling thread ({@link #inline}). */
    private Slot readHere() throws IOException {
        Slot slot = ring[0];
        slot.offset = offsets[consumed];
        consumed++; // as below: a failed cluster is consumed too
        storage.read(slot.offset, slot.bytes, 0, slot.bytes.length);
        if (slot.words != null) {
            ByteBuffer.wrap(slot.bytes).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(slot.words);
        }
        return slot;
    }

    /** Buffers in flight: enough to keep every pool thread busy, bounded by {@link #WINDOW_BYTES}. */
    static int window(int length, boolean decode) {
        long perSlot = (long) length * (decode ? 2 : 1);
        long byBytes = WINDOW_BYTES / Math.max(1, perSlot);
        return (int) Math.max(2, Math.min(4L * ScanPool.THREADS, byBytes));
    }

    private void submit(int index) {
        Slot slot = ring[index % ring.length];
        long offset = offsets[index];
        slot.offset = offset;
        pending[index % ring.length] = ScanPool.executor().submit(() -> {
            try {
                storage.read(offset, slot.bytes, 0, slot.bytes.length);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (slot.words != null) {
                ByteBuffer.wrap(slot.bytes).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(slot.words);
            }
        });
        submitted = index + 1;
    }

    /** Clusters in the sequence. */
    public int count() {
        return count;
    }

    /** Clusters handed out so far. */
    public int consumed() {
        return consumed;
    }

    /** The next cluster of the sequence; the previous one's buffers go back to the window. */
    public Slot next() throws IOException {
        if (consumed >= count) {
            throw new IllegalStateException("read-ahead sequence of " + count + " clusters is exhausted");
        }
        if (inline) {
            return readHere();
        }
        if (consumed > 0 && submitted < count) {
            submit(submitted); // into the slot the previous cluster used
        }
        int k = consumed % ring.length;
        long at = offsets[consumed];
        consumed++; // a failed cluster is consumed too: the next call goes on with the one after it
        try {
            pending[k].get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead at 0x" + Long.toHexString(at));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        }
        return ring[k];
    }

    /** Drops what was not consumed; waits for reads already running, so no buffer is written after this returns. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Future<?> f : pending) {
            if (f != null && !f.cancel(false)) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | CancellationException e) {
                    // a read nobody will consume
                }
            }
        }
        if (recycle) {
            for (int n = 0; n < ring.length; n++) {
                ClusterBuffers.give(ring[n].bytes);
                ClusterBuffers.give(ring[n].words);
                ring[n] = null;
            }
        }
    }
}
