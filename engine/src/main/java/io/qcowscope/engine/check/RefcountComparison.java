package io.qcowscope.engine.check;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.storage.ClusterBuffers;
import io.qcowscope.engine.storage.ScanPool;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/** QEMU's {@code check_refblocks} (spec 5.2) and {@code compare_refcounts} (spec 5.3), without repairs. */
final class RefcountComparison {
    /** Images with fewer clusters are compared on one thread (tests change it to compare both ways). */
    static int parallelMinClusters = 1 << 20;
    /** Refcounts decoded at a time (a power of two). */
    private static final int CHUNK = 8192;
    private final Storage storage;
    private final Geometry geo;
    private final long reftableOffset;
    private final long[] reftable;
    private final ReferenceCounter counter;
    private final Findings findings;
    boolean rebuild;
    long highest;

    RefcountComparison(Storage storage, Geometry geo, long reftableOffset, long[] reftable, ReferenceCounter counter,
            Findings findings) {
        this.storage = storage;
        this.geo = geo;
        this.reftableOffset = reftableOffset;
        this.reftable = reftable;
        this.counter = counter;
        this.findings = findings;
    }

    /** Every refcount table entry: reserved bits, alignment, inside the file, and referenced by nothing else. */
    void checkRefblocks() throws CheckAbort {
        for (int i = 0; i < reftable.length; i++) {
            long raw = reftable[i];
            long offset = ReftableEntry.blockOffset(raw);
            long cluster = offset >>> geo.clusterBits();
            long at = reftableOffset + i * 8L;
            if (ReftableEntry.reservedBits(raw) != 0) {
                findings.add(Finding.of(FindingKind.REFTABLE_RESERVED_BITS, "reftable[" + i + "]",
                        "ERROR refcount table entry " + i + " has reserved bits set")
                        .at(at).expected(0L).found(ReftableEntry.reservedBits(raw)));
                rebuild = true;
                continue;
            }
            if ((offset & geo.clusterMask()) != 0) {
                findings.add(Finding.of(FindingKind.REFBLOCK_UNALIGNED, "reftable[" + i + "]",
                        "ERROR refcount block " + i + " is not cluster aligned; refcount table entry corrupted")
                        .at(at).found(offset));
                rebuild = true;
                continue;
            }
            if (Long.compareUnsigned(cluster, counter.nbClusters()) >= 0) {
                findings.add(Finding.of(FindingKind.REFBLOCK_OUTSIDE_IMAGE, "reftable[" + i + "]",
                        "ERROR refcount block " + i + " is outside image").at(at).cluster(cluster).found(offset));
                continue;
            }
            if (offset != 0) {
                counter.inc(offset, geo.clusterSize(), HostClusterRole.REFCOUNT_BLOCK, i);
                long r = counter.imrt().get((int) cluster);
                if (r != 1) {
                    findings.add(Finding.of(FindingKind.REFBLOCK_SHARED,
                            "reftable[" + i + "] -> refblock@0x" + Long.toHexString(offset),
                            "ERROR refcount block " + i + " refcount=" + r)
                            .at(at).cluster(cluster).expected(1L).found(r));
                    rebuild = true;
                }
            }
        }
    }

    /** One finding per cluster whose on-disk refcount differs from the references counted (spec 5.3). */
    /** Clusters compared per progress unit. */
    static final int PROGRESS_UNIT = CHUNK;

    /** Compares; progress is reported as {@code progressBase} + chunks done, of {@code progressTotal}. */
    void compare(ProgressMonitor monitor, CopiedMarks copied, long progressBase, long progressTotal)
            throws IOException {
        if (counter.nbClusters() >= parallelMinClusters && compareInHalves(monitor, copied)) {
            monitor.progress(progressTotal, progressTotal);
            return;
        }
        try (OnDiskRefcounts disk = new OnDiskRefcounts(storage, geo, reftable)) {
            long per = geo.refblockEntries();
            disk.readAhead((counter.nbClusters() + per - 1) / per);
            compare(disk, monitor, copied, progressBase, progressTotal);
        }
    }

    private void compare(OnDiskRefcounts disk, ProgressMonitor monitor, CopiedMarks copied, long progressBase,
            long progressTotal) throws IOException {
        RefcountArray imrt = counter.imrt();
        int n = counter.nbClusters();
        long per = geo.refblockEntries();
        long[] chunk = new long[(int) Math.min(CHUNK, Math.min(per, n))];
        highest = 0;
        for (int base = 0; base < n; base += chunk.length) {
            monitor.checkCancelled();
            monitor.progress(Math.min(progressTotal, progressBase + base / PROGRESS_UNIT), progressTotal);
            // Chunks never cross a refcount block: per and CHUNK are powers of two.
            int count = Math.min(chunk.length, n - base);
            long[] decoded = count == chunk.length ? chunk : new long[count];
            int state = disk.decodeBlock(base / per, (int) (base % per), decoded);
            for (int j = 0; j < count; j++) {
                int i = base + j;
                if (state == 2) {
                    unreadable(i);
                    continue;
                }
                long d = state == 0 ? 0 : decoded[j];
                copied.judge(i, d);
                long ref = imrt.get(i);
                if (d != 0 || ref != 0) {
                    highest = i;
                }
                if (d != ref) {
                    mismatch(i, d, ref);
                }
            }
        }
    }

    /**
     * The comparison on both cores: each half of the clusters (split at a refcount block) is compared on its own
     * thread without a side effect, recording its mismatches and unreadable refcounts in order ({@link ComparedHalf},
     * bounded by the room the findings have left); then this thread reports the lower half's, then the upper half's,
     * exactly as the one-thread comparison reports them, and takes the highest cluster in use and the COPIED verdict
     * from the halves. On a read error in either half returns false and the one-thread comparison runs as before, so
     * the exception and the findings before it stay where they were.
     */
    private boolean compareInHalves(ProgressMonitor monitor, CopiedMarks copied) throws IOException {
        int n = counter.nbClusters();
        long per = geo.refblockEntries();
        int mid = (int) (n / 2 / per * per);
        if (mid == 0) {
            return false;
        }
        monitor.checkCancelled();
        int room = findings.room();
        // The upper half is compared here too when the pool thread has not started it by then (a loaded machine).
        AtomicBoolean upperStarted = new AtomicBoolean();
        Future<ComparedHalf> upper = ScanPool.executor().submit(
                () -> upperStarted.compareAndSet(false, true) ? half(mid, n, copied, room) : null);
        ComparedHalf lower = half(0, mid, copied, room);
        ComparedHalf high;
        try {
            if (upperStarted.compareAndSet(false, true)) {
                high = lower == null ? null : half(mid, n, copied, room);
            } else {
                high = upper.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while comparing refcounts");
        } catch (ExecutionException e) {
            return false;
        }
        if (lower == null || high == null) {
            return false;
        }
        ComparedHalf.Replay replay = new ComparedHalf.Replay() {
            @Override
            public void mismatch(int cluster, long d, long ref) {
                RefcountComparison.this.mismatch(cluster, d, ref);
            }

            @Override
            public void unreadable(int cluster) {
                RefcountComparison.this.unreadable(cluster);
            }
        };
        // (replaying sets rebuild itself; what the halves only counted past the cap is or-ed in after)
        boolean lowerPastCap = lower.replay(replay, findings);
        boolean upperPastCap = high.replay(replay, findings);
        rebuild = rebuild || lowerPastCap || upperPastCap;
        highest = Math.max(0, Math.max(lower.high, high.high));
        if (lower.disagrees || high.disagrees) {
            copied.recheck = true;
        }
        return true;
    }

    /** Clusters {@code [from, to)} compared without a side effect; null at a read error. */
    private ComparedHalf half(int from, int to, CopiedMarks copied, int room) {
        RefcountArray imrt = counter.imrt();
        long per = geo.refblockEntries();
        long[] chunk = new long[(int) Math.min(CHUNK, per)];
        ComparedHalf out = new ComparedHalf(room);
        long high = -1;
        boolean disagrees = false;
        try (OnDiskRefcounts disk = new OnDiskRefcounts(storage, geo, reftable)) {
            for (int base = from; base < to; base += chunk.length) {
                int count = Math.min(chunk.length, to - base);
                int state = disk.decodeBlock(base / per, (int) (base % per), chunk);
                if (state == 2) {
                    for (int j = 0; j < count; j++) {
                        out.unreadable(base + j);
                    }
                    continue;
                }
                for (int j = 0; j < count; j++) {
                    int i = base + j;
                    long d = state == 0 ? 0 : chunk[j];
                    long ref = imrt.get(i);
                    if (d != 0 || ref != 0) {
                        high = i;
                    }
                    if (d != ref) {
                        out.mismatch(i, d, ref);
                    }
                    disagrees |= copied.disagrees(i, d);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        out.high = high;
        out.disagrees = disagrees;
        return out;
    }

    private void unreadable(int i) {
        findings.add(Finding.of(FindingKind.REFCOUNT_UNREADABLE, "cluster " + i,
                "Can't get refcount for cluster " + i + ": Input/output error").cluster(i));
    }

    private void mismatch(int i, long d, long r) {
        if (d == 0) {
            rebuild = true;
        }
        boolean low = Long.compareUnsigned(d, r) < 0;
        if (!findings.keepsMore()) {
            // only counted past the cap: no path or message built (a wrong width in a rescue trial mismatches everywhere)
            findings.count(!low ? FindingKind.LEAKED_CLUSTER : d == 0 ? FindingKind.REFCOUNT_ZERO
                    : FindingKind.REFCOUNT_TOO_LOW);
            return;
        }
        String path = refcountPath(i);
        long cs = geo.clusterSize();
        if (low) {
            findings.add(Finding.of(d == 0 ? FindingKind.REFCOUNT_ZERO : FindingKind.REFCOUNT_TOO_LOW, path,
                    "ERROR cluster " + i + " refcount=" + Long.toUnsignedString(d) + " reference=" + r)
                    .at((long) i * cs).cluster(i).expected(r).found(d));
        } else {
            findings.add(Finding.of(FindingKind.LEAKED_CLUSTER, path,
                    "Leaked cluster " + i + " refcount=" + Long.toUnsignedString(d) + " reference=" + r)
                    .at((long) i * cs).cluster(i).expected(r).found(d));
        }
    }

    private String refcountPath(long cluster) {
        long r = cluster >>> geo.refblockBits();
        long idx = cluster & (geo.refblockEntries() - 1);
        if (r < reftable.length && ReftableEntry.blockOffset(reftable[(int) r]) != 0) {
            return "reftable[" + r + "] -> refblock@0x" + Long.toHexString(ReftableEntry.blockOffset(reftable[(int) r]))
                    + "[" + idx + "] (cluster " + cluster + ")";
        }
        return "cluster " + cluster + " (no refcount block)";
    }

    /** qcowscope warning: refcounts recorded for clusters past the end of the file, which QEMU never examines. */
    void refcountsPastEnd(Findings warnings) throws IOException {
        long n = counter.nbClusters();
        long perBlock = geo.refblockEntries();
        byte[] block = null;
        for (long r = n / perBlock; r < reftable.length; r++) {
            long offset = ReftableEntry.blockOffset(reftable[(int) r]);
            if (offset == 0 || ReftableEntry.reservedBits(reftable[(int) r]) != 0 || (offset & geo.clusterMask()) != 0
                    || Long.compareUnsigned(offset >>> geo.clusterBits(), n) >= 0) {
                continue;
            }
            if (block == null) {
                block = ClusterBuffers.bytes((int) geo.clusterSize());
            }
            storage.read(offset, block, 0, block.length);
            long first = -1;
            long count = 0;
            long j = Math.max(0, n - r * perBlock);
            while ((j = RefcountBlockCodec.nextNonZero(block, j, perBlock, geo.refcountOrder())) >= 0) {
                count++;
                if (first < 0) {
                    first = r * perBlock + j;
                }
                j++;
            }
            if (count > 0) {
                warnings.add(Finding.of(FindingKind.REFCOUNT_PAST_EOF,
                        "reftable[" + r + "] -> refblock@0x" + Long.toHexString(offset),
                        "WARNING " + count
                                + " clusters past the end of the file have a refcount, the first is cluster " + first)
                        .at(offset).cluster(first).expected(0L).found(count));
            }
        }
        ClusterBuffers.give(block);
    }
}
