package io.qcowscope.engine.check;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.storage.ClusterBuffers;
import io.qcowscope.engine.storage.ScanPool;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A batch of standard L2 tables of one L1 table, read and scanned on both cores at once for {@link TableWalker} (issue 13).
 * The scan is speculative: it claims the data clusters of the batch in a bit set of its own, never in the IMRT, and says
 * whether the batch is plain, that is whether walking it in L1 order could give any finding or any order-dependent effect:
 * every non-zero entry is an aligned standard data cluster without flags but COPIED inside the file, every L2 table offset
 * is aligned and non-zero, no data cluster is claimed twice in the batch, none was counted before the batch, and none is one
 * of the batch's L2 tables. Then the walker counts the L1 entries in order as before and {@link #commit} sets each claimed
 * cluster's count to 1, which is exactly what the one-at-a-time walk does for such entries; otherwise the walker walks the
 * tables it holds one at a time as before ({@link #words}), and any read error surfaces where that walk would reach it.
 * No object per entry: bit sets, arrays per table, two buffers per worker.
 */
final class L2ClaimBatch {
    /** Bytes of L2 tables one batch holds. */
    static final long BATCH_BYTES = 4L << 20;
    private static final long FAST_MASK = L2Entry.COMPRESSED | L2Entry.ZERO | L2Entry.RESERVED_MASK;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final Storage storage;
    private final int clusterBits;
    private final long clusterSize;
    private final long clusterMask;
    private final long fileLength;
    private final RefcountArray imrt;
    /** Data clusters the batch claims, and those among them whose entry has COPIED set (active table only). */
    private final long[] claims;
    private final long[] copiedBits;
    private final long[][] words;
    private final long[] offsets;
    private final boolean[] read;
    private final IOException[] ioErrors;
    private final RuntimeException[] runtimeErrors;
    private final long[] allocated;
    private final long[] fragmented;
    private final long[] nextContiguous;
    private final Worker[] workers = new Worker[2];
    private final AtomicInteger nextTable = new AtomicInteger();
    private volatile boolean unplain;
    private int size;
    private boolean active;

    /** One scanning thread's buffer and the range of claim words it touched. */
    private final class Worker {
        /** Made at this worker's first table: the helper's stays unmade when it never gets to run. */
        private byte[] raw;
        int lo;
        int hi;

        byte[] buffer() {
            if (raw == null) {
                raw = ClusterBuffers.bytes((int) clusterSize);
            }
            return raw;
        }

        void run(int count) {
            lo = Integer.MAX_VALUE;
            hi = -1;
            int t;
            while (!unplain && (t = nextTable.getAndIncrement()) < count) {
                byte[] buf = buffer();
                try {
                    storage.read(offsets[t], buf, 0, buf.length);
                } catch (IOException e) {
                    ioErrors[t] = e;
                    unplain = true;
                    return;
                } catch (RuntimeException e) {
                    runtimeErrors[t] = e;
                    unplain = true;
                    return;
                }
                ByteBuffer.wrap(buf).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(words[t]);
                read[t] = true;
                if (!scan(t)) {
                    unplain = true;
                    return;
                }
            }
        }

        /** Claims table {@code t}'s data clusters; false when the table is not plain. */
        private boolean scan(int t) {
            long[] w = words[t];
            long count = 0;
            long frag = 0;
            long next = 0;
            int word = -1;
            long mask = 0;
            long copiedMask = 0;
            for (long e : w) {
                if (e == 0) {
                    continue;
                }
                long offset = e & L2Entry.OFFSET_MASK;
                if ((e & FAST_MASK) != 0 || offset == 0 || (e & clusterMask) != 0 || offset >= fileLength) {
                    flush(word, mask, copiedMask);
                    return false;
                }
                int k = (int) (offset >>> clusterBits);
                if (imrt.get(k) != 0) {
                    flush(word, mask, copiedMask);
                    return false;
                }
                count++;
                if (next != 0 && offset != next) {
                    frag++;
                }
                next = offset + clusterSize;
                int kw = k >>> 6;
                if (kw != word) {
                    if (!flush(word, mask, copiedMask)) {
                        return false;
                    }
                    word = kw;
                    mask = 0;
                    copiedMask = 0;
                }
                long bit = 1L << k;
                if ((mask & bit) != 0) {
                    flush(word, mask, copiedMask);
                    return false;
                }
                mask |= bit;
                if (L2Entry.copied(e)) {
                    copiedMask |= bit;
                }
            }
            allocated[t] = count;
            fragmented[t] = frag;
            nextContiguous[t] = next;
            return flush(word, mask, copiedMask);
        }

        /** Adds one word of claims; false when one of them was already claimed in the batch. */
        private boolean flush(int word, long mask, long copiedMask) {
            if (word < 0) {
                return true;
            }
            lo = Math.min(lo, word);
            hi = Math.max(hi, word);
            long before = (long) WORDS.getAndBitwiseOr(claims, word, mask);
            if (active && copiedMask != 0) {
                WORDS.getAndBitwiseOr(copiedBits, word, copiedMask);
            }
            return (before & mask) == 0;
        }
    }

    L2ClaimBatch(Storage storage, Geometry geo, long fileLength, RefcountArray imrt, long nbClusters) {
        this.storage = storage;
        this.clusterBits = geo.clusterBits();
        this.clusterSize = geo.clusterSize();
        this.clusterMask = geo.clusterMask();
        this.fileLength = fileLength;
        this.imrt = imrt;
        int claimWords = (int) ((nbClusters + 63) >>> 6);
        this.claims = new long[claimWords];
        this.copiedBits = new long[claimWords];
        int capacity = (int) Math.max(2, Math.min(256, BATCH_BYTES / clusterSize));
        this.words = new long[capacity][];
        this.offsets = new long[capacity];
        this.read = new boolean[capacity];
        this.ioErrors = new IOException[capacity];
        this.runtimeErrors = new RuntimeException[capacity];
        this.allocated = new long[capacity];
        this.fragmented = new long[capacity];
        this.nextContiguous = new long[capacity];
        workers[0] = new Worker();
        workers[1] = new Worker();
    }

    /** Hands the tables' and workers' buffers back; the batch is not used after this. */
    void release() {
        for (int t = 0; t < words.length; t++) {
            ClusterBuffers.give(words[t]);
            words[t] = null;
        }
        for (Worker w : workers) {
            ClusterBuffers.give(w.raw);
            w.raw = null;
        }
    }

    /** Tables a batch holds. */
    int capacity() {
        return offsets.length;
    }

    /** Tables in the current batch. */
    int size() {
        return size;
    }

    /** Starts a new batch of tables of the active L1 table or of a snapshot's. */
    void start(boolean activeTable) {
        size = 0;
        active = activeTable;
    }

    /** Adds the L2 table at {@code l2Offset} (the next non-zero L1 entry, in L1 order). */
    void add(long l2Offset) {
        if (words[size] == null) {
            words[size] = ClusterBuffers.words((int) (clusterSize / 8));
        }
        read[size] = false;
        ioErrors[size] = null;
        runtimeErrors[size] = null;
        offsets[size++] = l2Offset;
    }

    /**
     * Reads and scans the batch on two threads.
     *
     * @return true when the batch is plain (see the class comment): then the walker counts its L1 entries and commits
     */
    boolean scan() throws IOException {
        unplain = false;
        for (int t = 0; t < size; t++) {
            if (offsets[t] == 0 || (offsets[t] & clusterMask) != 0) {
                unplain = true;
            }
        }
        if (unplain || size == 0) {
            return false;
        }
        nextTable.set(0);
        int count = size;
        workers[1].lo = Integer.MAX_VALUE;
        workers[1].hi = -1;
        // A helper that has not started when this thread is done is not waited for: under load the pool thread may
        // get no core for a while, and this thread has then scanned every table itself.
        AtomicBoolean helperStarted = new AtomicBoolean();
        // One table is not shared out: the hand-off would cost more than the table (a small image's single L2 table).
        Future<?> helper = count == 1 ? null : ScanPool.executor().submit(() -> {
            if (helperStarted.compareAndSet(false, true)) {
                workers[1].run(count);
            }
        });
        workers[0].run(count);
        try {
            if (!helperStarted.compareAndSet(false, true)) {
                helper.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while scanning L2 tables");
        } catch (ExecutionException e) {
            discard();
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("L2 table scan failed", e.getCause());
        }
        if (!unplain) {
            for (int t = 0; t < size; t++) {
                long k = offsets[t] >>> clusterBits;
                if (k < (long) claims.length << 6 && (claims[(int) (k >>> 6)] & (1L << k)) != 0) {
                    unplain = true;
                    break;
                }
            }
        }
        if (unplain) {
            discard();
            return false;
        }
        return true;
    }

    /** A plain batch's QEMU allocation figures of table {@code t}. */
    long allocated(int t) {
        return allocated[t];
    }

    long fragmented(int t) {
        return fragmented[t];
    }

    long nextContiguous(int t) {
        return nextContiguous[t];
    }

    /**
     * Table {@code t}'s words for the one-at-a-time walk of a batch that is not plain: read now if the scan stopped before
     * it, or the error its read gave, thrown where that walk reads it.
     */
    long[] words(int t) throws IOException {
        if (ioErrors[t] != null) {
            throw ioErrors[t];
        }
        if (runtimeErrors[t] != null) {
            throw runtimeErrors[t];
        }
        if (!read[t]) {
            byte[] raw = workers[0].buffer();
            storage.read(offsets[t], raw, 0, raw.length);
            ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(words[t]);
            read[t] = true;
        }
        return words[t];
    }

    /** Counts every claimed cluster of a plain batch once, and gives the active table's COPIED marks. */
    void commit(CopiedMarks copied) {
        int lo = Math.min(workers[0].lo, workers[1].lo);
        int hi = Math.max(workers[0].hi, workers[1].hi);
        for (int w = lo; w <= hi; w++) {
            long mask = claims[w];
            if (mask == 0) {
                continue;
            }
            long cop = copiedBits[w];
            claims[w] = 0;
            copiedBits[w] = 0;
            if (active) {
                copied.markWord(w, mask, cop);
            }
            imrt.setOnes(w, mask);
        }
    }

    /** Forgets the claims of a batch that is not plain. */
    private void discard() {
        int lo = Math.min(workers[0].lo, workers[1].lo);
        int hi = Math.max(workers[0].hi, workers[1].hi);
        for (int w = lo; w <= hi; w++) {
            claims[w] = 0;
            copiedBits[w] = 0;
        }
    }
}
