package io.qcowscope.engine.storage;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Spare cluster-sized scratch buffers (a metadata cluster's bytes, an L2 table's words), handed back by a scan that is
 * done with them and taken by the next one: a run over a pool of images then reuses a few buffers instead of making
 * megabytes of garbage per image (2 MiB clusters), which would grow the heap. Bounded: at most {@link #HOLD_BYTES} are
 * kept, the least recently handed back dropped first. A buffer taken here has undefined contents: its user overwrites
 * it whole before reading it, and hands it back once, when nothing refers to it any more.
 */
public final class ClusterBuffers {
    /** Bytes of spare buffers kept at most. */
    static final long HOLD_BYTES = 24L << 20;
    private static final ArrayDeque<byte[]> BYTES = new ArrayDeque<>();
    private static final ArrayDeque<long[]> WORDS = new ArrayDeque<>();
    private static long held;

    private ClusterBuffers() {
    }

    /** A buffer of {@code length} bytes, spare or new. */
    public static byte[] bytes(int length) {
        synchronized (ClusterBuffers.class) {
            for (Iterator<byte[]> it = BYTES.iterator(); it.hasNext(); ) {
                byte[] b = it.next();
                if (b.length == length) {
                    it.remove();
                    held -= length;
                    return b;
                }
            }
        }
        return new byte[length];
    }

    /** A buffer of {@code length} words, spare or new. */
    public static long[] words(int length) {
        synchronized (ClusterBuffers.class) {
            for (Iterator<long[]> it = WORDS.iterator(); it.hasNext(); ) {
                long[] w = it.next();
                if (w.length == length) {
                    it.remove();
                    held -= 8L * length;
                    return w;
                }
            }
        }
        return new long[length];
    }

    /** Hands back a buffer nothing refers to any more; null is ignored. */
    public static synchronized void give(byte[] b) {
        if (b != null && makeRoom(b.length)) {
            BYTES.addFirst(b);
            held += b.length;
        }
    }

    /** Hands back a word buffer nothing refers to any more; null is ignored. */
    public static synchronized void give(long[] w) {
        if (w != null && makeRoom(8L * w.length)) {
            WORDS.addFirst(w);
            held += 8L * w.length;
        }
    }

    private static boolean makeRoom(long bytes) {
        if (bytes > HOLD_BYTES) {
            return false;
        }
        while (held + bytes > HOLD_BYTES) {
            if (!BYTES.isEmpty() && (WORDS.isEmpty() || BYTES.size() >= WORDS.size())) {
                held -= BYTES.removeLast().length;
            } else {
                held -= 8L * WORDS.removeLast().length;
            }
        }
        return true;
    }
}
