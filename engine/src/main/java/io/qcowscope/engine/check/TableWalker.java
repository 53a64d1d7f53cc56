package io.qcowscope.engine.check;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;
import io.qcowscope.engine.mapping.AllocationCounter;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.storage.ClusterReadAhead;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * QEMU's {@code check_refcounts_l1}/{@code check_refcounts_l2} (spec 5.2) for one L1 table and the L2 tables it points at,
 * and, for the active table in the same pass, {@code check_oflag_copied} (spec 5.4 step 4; its findings are kept apart
 * because qemu-img prints them after the refcount comparison).
 */
final class TableWalker {
    private static final int L1_CHUNK = 8192;
    private static final long FAST_MASK = L2Entry.COMPRESSED | L2Entry.ZERO | L2Entry.RESERVED_MASK;
    private final Storage storage;
    private final Geometry geo;
    private final boolean dataFile;
    private final ReferenceCounter counter;
    private final Findings findings;
    private final CopiedMarks copied;
    private final AllocationCounter counts;
    private final ProgressMonitor monitor;
    /** Standard L2 tables are scanned on both cores a batch at a time; null when they are walked one at a time. */
    private final L2ClaimBatch batch;
    /** The L2 offsets of one chunk of L1 entries, read ahead in this order. */
    private long[] l2Offsets;
    /** Progress is counted in L1 entries walked, then in refcount chunks compared (see {@link ImageChecker}). */
    long l1EntriesDone;
    long progressTotal;

    TableWalker(Storage storage, Geometry geo, boolean dataFile, ReferenceCounter counter, Findings findings,
            CopiedMarks copied, AllocationCounter counts, ProgressMonitor monitor) {
        this.storage = storage;
        this.geo = geo;
        this.dataFile = dataFile;
        this.counter = counter;
        this.findings = findings;
        this.copied = copied;
        this.counts = counts;
        this.monitor = monitor;
        // The parallel scan covers what the hot path covers: standard L2 tables in the image file, no claim listener.
        this.batch = geo.extendedL2() || dataFile || counter.hasListener() ? null
                : new L2ClaimBatch(storage, geo, counter.fileLength(), counter.imrt(), counter.nbClusters());
    }

    /** Hands the batch's buffers back ({@link io.qcowscope.engine.storage.ClusterBuffers}) once every table is walked. */
    void release() {
        if (batch != null) {
            batch.release();
        }
    }

    /**
     * Walks the L1 table {@code table} (0 active, n+1 snapshot n) of {@code entries} entries at {@code offset}.
     *
     * @return the number of entries with COPIED set
     */
    long walkL1(int table, String prefix, long offset, long entries) throws IOException, CheckAbort {
        if (entries == 0) {
            return 0;
        }
        boolean active = table == 0;
        counter.inc(offset, entries * 8, active ? HostClusterRole.ACTIVE_L1 : HostClusterRole.SNAPSHOT_L1,
                Owner.l1Table(table));
        long copiedCount = 0;
        byte[] chunk = new byte[(int) Math.min(entries, L1_CHUNK) * 8];
        ByteBuffer cb = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
        for (long base = 0; base < entries; base += L1_CHUNK) {
            int n = (int) Math.min(L1_CHUNK, entries - base);
            try {
                storage.read(offset + base * 8, chunk, 0, n * 8);
            } catch (Qcow2Exception e) {
                // QEMU's check_refcounts_l1: a table it cannot read is a check error, and the check goes on.
                findings.add(Finding.of(FindingKind.IO_ERROR, prefix + "L1 table",
                        "ERROR: I/O error in check_refcounts_l1").at(offset));
                return copiedCount;
            }
            if (batch != null) {
                copiedCount += walkChunkParallel(table, prefix, offset, base, n, cb, active);
                continue;
            }
            try (ClusterReadAhead ahead = readAhead(cb, n)) {
                copiedCount += walkChunk(table, prefix, offset, base, n, cb, active, ahead);
            }
        }
        return copiedCount;
    }

    /** Starts reading the L2 tables of the chunk's non-zero entries, in L1 order (the order {@link #walkChunk} uses). */
    private ClusterReadAhead readAhead(ByteBuffer cb, int n) {
        if (l2Offsets == null || l2Offsets.length < n) {
            l2Offsets = new long[n];
        }
        int count = 0;
        for (int j = 0; j < n; j++) {
            long e = cb.getLong(j * 8);
            if (e != 0) {
                l2Offsets[count++] = L1Entry.l2Offset(e);
            }
        }
        return new ClusterReadAhead(storage, (int) geo.clusterSize(), true, l2Offsets, count, true);
    }

    private long walkChunk(int table, String prefix, long offset, long base, int n, ByteBuffer cb, boolean active,
            ClusterReadAhead ahead) throws IOException, CheckAbort {
        long copiedCount = 0;
        for (int j = 0; j < n; j++) {
            long e = cb.getLong(j * 8);
            if (e == 0) {
                continue;
            }
            long i = base + j;
            copiedCount += l1Entry(table, prefix, offset, i, e, active);
            long l2Offset = L1Entry.l2Offset(e);
            walkL2(table, i, prefix + "L1[" + i + "] -> L2@0x" + Long.toHexString(l2Offset), l2Offset, active,
                    ahead.next().words());
            monitor.progress(++l1EntriesDone, progressTotal);
        }
        return copiedCount;
    }

    /**
     * {@link #walkChunk} with the L2 tables read and scanned on both cores, a batch at a time ({@link L2ClaimBatch}): a
     * plain batch has its L1 entries counted in order and its data clusters committed at once; any other is walked one
     * table at a time from the tables the batch holds, as {@link #walkChunk} would.
     */
    private long walkChunkParallel(int table, String prefix, long offset, long base, int n, ByteBuffer cb,
            boolean active) throws IOException, CheckAbort {
        long copiedCount = 0;
        int j = 0;
        while (j < n) {
            int start = j;
            batch.start(active);
            for (; j < n && batch.size() < batch.capacity(); j++) {
                long e = cb.getLong(j * 8);
                if (e != 0) {
                    batch.add(L1Entry.l2Offset(e));
                }
            }
            boolean plain = batch.scan();
            int t = 0;
            for (int q = start; q < j; q++) {
                long e = cb.getLong(q * 8);
                if (e == 0) {
                    continue;
                }
                long i = base + q;
                copiedCount += l1Entry(table, prefix, offset, i, e, active);
                long l2Offset = L1Entry.l2Offset(e);
                if (plain) {
                    if (active) {
                        counts.normalTable(batch.allocated(t), batch.fragmented(t), batch.nextContiguous(t));
                    }
                } else {
                    walkL2(table, i, prefix + "L1[" + i + "] -> L2@0x" + Long.toHexString(l2Offset), l2Offset,
                            active, batch.words(t));
                }
                t++;
                monitor.progress(++l1EntriesDone, progressTotal);
            }
            if (plain) {
                batch.commit(copied);
            }
        }
        return copiedCount;
    }

    /**
     * One non-zero L1 entry itself (before its L2 table is walked): cancellation, its findings, the L2 table's claim and
     * COPIED mark.
     *
     * @return 1 when the entry has COPIED set
     */
    private int l1Entry(int table, String prefix, long offset, long i, long e, boolean active) throws CheckAbort {
        monitor.checkCancelled();
        String l1Path = prefix + "L1[" + i + "]";
        long entryAt = offset + i * 8;
        if (L1Entry.reservedBits(e) != 0) {
            findings.add(Finding.of(FindingKind.L1_RESERVED_BITS, l1Path,
                    String.format("ERROR found L1 entry with reserved bits set: %x", e))
                    .at(entryAt).expected(0L).found(L1Entry.reservedBits(e))
                    .guest(guestOf(i, 0), geo.bytesPerL1Entry()));
        }
        long l2Offset = L1Entry.l2Offset(e);
        counter.inc(l2Offset, geo.clusterSize(),
                active ? HostClusterRole.L2_TABLE : HostClusterRole.SNAPSHOT_L2_TABLE, Owner.l2Table(table, i));
        if ((l2Offset & geo.clusterMask()) != 0) {
            findings.add(Finding.of(FindingKind.L2_TABLE_UNALIGNED, l1Path,
                    String.format(
                            "ERROR l2_offset=%x: Table is not cluster aligned; L1 entry corrupted", l2Offset))
                    .at(entryAt).cluster(l2Offset >>> geo.clusterBits()).found(l2Offset)
                    .guest(guestOf(i, 0), geo.bytesPerL1Entry()));
        }
        if (active && l2Offset != 0) {
            copied.mark(l2Offset >>> geo.clusterBits(), L1Entry.copied(e));
        }
        return L1Entry.copied(e) ? 1 : 0;
    }

    private void walkL2(int table, long l1Index, String path, long l2Offset, boolean active, long[] words)
            throws CheckAbort {
        L2Table t = L2Table.of(words, geo, dataFile, l2Offset);
        boolean ext = geo.extendedL2();
        int entries = t.entries();
        long cs = geo.clusterSize();
        if (active) {
            counts.startTable();
        }
        for (int i = 0; i < entries; i++) {
            long e = t.word0(i);
            long bm = t.bitmap(i);
            if (e == 0 && bm == 0) {
                continue;
            }
            if (!ext && !dataFile && (e & FAST_MASK) == 0 && (e & L2Entry.OFFSET_MASK) != 0
                    && (e & geo.clusterMask()) == 0) {
                // Hot path: an aligned standard data cluster without flags other than COPIED; same rules as below.
                long offset = e & L2Entry.OFFSET_MASK;
                if (active) {
                    counts.normalCluster(offset); // what entry(t, i) decides for this NORMAL entry
                }
                counter.incDataCluster(offset, Owner.l2Entry(table, l1Index, i));
                if (active && l2Offset != 0) {
                    markCopied(e, offset);
                }
                continue;
            }
            if (active) {
                counts.entry(t, i);
            }
            ClusterType type = L2Entry.clusterType(e, ext, dataFile);
            if (type != ClusterType.COMPRESSED && (e & L2Entry.RESERVED_MASK) != 0) {
                add(FindingKind.L2_RESERVED_BITS, path, l2Offset, i, -1, 0L, e & L2Entry.RESERVED_MASK, l1Index,
                        String.format("ERROR found l2 entry with reserved bits set: %x", e));
            }
            switch (type) {
                case COMPRESSED: {
                    CompressedDescriptor d = CompressedDescriptor.decode(e, geo.clusterBits());
                    if (L2Entry.copied(e)) {
                        add(FindingKind.COMPRESSED_COPIED, path, l2Offset, i, -1, 0L, 1L, l1Index, String.format(
                                "ERROR: coffset=0x%x: copied flag must never be set for compressed clusters",
                                d.hostOffset()));
                        e &= ~L2Entry.COPIED;
                    }
                    if (dataFile) {
                        add(FindingKind.COMPRESSED_WITH_DATA_FILE, path, l2Offset, i, -1, null, null, l1Index,
                                String.format("ERROR compressed cluster %d with data file, entry=0x%x", i, e));
                        break;
                    }
                    if (bm != 0) {
                        add(FindingKind.COMPRESSED_WITH_BITMAP, path, l2Offset, i, -1, 0L, bm, l1Index,
                                String.format("ERROR compressed cluster %d with non-zero subcluster allocation "
                                        + "bitmap, entry=0x%x", i, e));
                        break;
                    }
                    counter.inc(d.hostOffset(), d.compressedSize(), HostClusterRole.COMPRESSED,
                            Owner.l2Entry(table, l1Index, i));
                    break;
                }
                case ZERO_ALLOC:
                case NORMAL: {
                    long offset = L2Entry.hostOffset(e);
                    if (((bm >>> 32) & bm) != 0) {
                        int sc = Long.numberOfTrailingZeros((bm >>> 32) & bm);
                        add(FindingKind.SUBCLUSTER_ALLOC_ZERO_OVERLAP, path, l2Offset, i, sc, 0L,
                                (bm >>> 32) & bm, l1Index, String.format("ERROR offset=%x: Allocated cluster has "
                                        + "corrupted subcluster allocation bitmap", offset));
                    }
                    if ((offset & geo.clusterMask()) != 0) {
                        boolean containsData = ext ? (bm & L2Entry.ALL_ALLOC) != 0 : (e & L2Entry.ZERO) == 0;
                        if (containsData) {
                            add(FindingKind.DATA_UNALIGNED, path, l2Offset, i, -1, null, offset, l1Index,
                                    String.format("ERROR offset=%x: Data cluster is not properly aligned; L2 entry "
                                            + "corrupted.", offset));
                        } else {
                            add(FindingKind.PREALLOCATED_UNALIGNED, path, l2Offset, i, -1, null, offset, l1Index,
                                    String.format("ERROR offset=%x: Preallocated cluster is not properly aligned; "
                                            + "L2 entry corrupted.", offset));
                        }
                    }
                    if (!dataFile) {
                        counter.inc(offset, cs, HostClusterRole.DATA, Owner.l2Entry(table, l1Index, i));
                    }
                    if (active && l2Offset != 0) {
                        markCopied(e, offset);
                    }
                    break;
                }
                case UNALLOCATED:
                    if ((bm & L2Entry.ALL_ALLOC) != 0) {
                        add(FindingKind.UNALLOCATED_WITH_ALLOC_BITS, path, l2Offset, i,
                                Long.numberOfTrailingZeros(bm & L2Entry.ALL_ALLOC), 0L, bm & L2Entry.ALL_ALLOC,
                                l1Index, "ERROR: Unallocated cluster has non-zero subcluster allocation map");
                    }
                    break;
                default:
                    break;
            }
        }
    }

    /** OFLAG_COPIED is judged later against the on-disk refcount (see {@link CopiedMarks}). */
    private void markCopied(long e, long offset) {
        if (dataFile) {
            // Refcount counts as 1: only a clear COPIED bit disagrees.
            if (!L2Entry.copied(e)) {
                copied.recheck = true;
            }
        } else {
            copied.mark(offset >>> geo.clusterBits(), L2Entry.copied(e));
        }
    }

    private void add(FindingKind kind, String path, long l2Offset, int index, int subcluster, Long expected, Long found,
            long l1Index, String message) {
        long at = l2Offset + (long) index * geo.l2EntrySize();
        String p = path + "[" + index + "]" + (subcluster >= 0 ? " subcluster " + subcluster : "");
        long guest = guestOf(l1Index, index);
        long length = geo.clusterSize();
        if (subcluster >= 0) {
            guest += (long) subcluster << geo.subclusterBits();
            length = geo.subclusterSize();
        }
        findings.add(Finding.of(kind, p,
                message).at(at).expected(expected).found(found).guest(guest, length));
    }

    private long guestOf(long l1Index, long l2Index) {
        return ((l1Index << geo.l2Bits()) + l2Index) << geo.clusterBits();
    }
}
