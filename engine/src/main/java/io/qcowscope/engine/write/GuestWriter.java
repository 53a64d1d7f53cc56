package io.qcowscope.engine.write;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.format.SubclusterBitmap;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.mapping.L2TableEdit;
import io.qcowscope.engine.storage.ZeroFill;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Guest writes, zero writes and discards with QEMU's allocation rules (spec 3.6 A-F), one cluster at a time: QEMU's
 * handle_copied/handle_alloc + calculate_l2_meta + qcow2_alloc_cluster_link_l2 for writes, qcow2_co_pwrite_zeroes +
 * qcow2_subcluster_zeroize for zero writes (with the block layer's fallback to a buffer of zeros), and
 * qcow2_cluster_discard for discards.
 */
final class GuestWriter {
    /** Signals QEMU's -ENOTSUP from the zero-write driver: the caller writes a buffer of zeros instead. */
    private static final class NotSupported extends Exception {
        private static final long serialVersionUID = 1L;

        NotSupported() {
            super(null, null, false, false);
        }
    }

    private final WritableImage img;
    private final Geometry geo;
    private final ZeroDetector zeros;
    /**
     * The COW region buffer, one cluster, allocated on the first copy and reused by every write after it. Direct: the
     * region is read from the files into it and written from it with one positional call each, no heap copies.
     */
    private ByteBuffer cowBuffer;

    GuestWriter(WritableImage img) {
        this.img = img;
        this.geo = img.geo();
        this.zeros = new ZeroDetector(img);
    }

    // ---- writes ----

    void write(long offset, byte[] src, int srcOffset, int length) throws IOException {
        img.beforeMetadataChange();
        announceInPlace(offset, length);
        AllocationRun run = new AllocationRun(img, offset + length);
        while (length > 0) {
            int inCluster = (int) geo.offsetInCluster(offset);
            int n = (int) Math.min(length, geo.clusterSize() - inCluster);
            writeInCluster(offset - inCluster, inCluster, inCluster + n, src, srcOffset, run);
            offset += n;
            srcOffset += n;
            length -= n;
        }
        img.afterMetadataChange();
    }

    /** Guest bytes announced to the storage at once at most (a journal holds them in memory while it records them). */
    private static final long ANNOUNCE_BYTES = 16L << 20;

    /**
     * Announces the host ranges the request overwrites in place (clusters already allocated, no metadata change) before
     * any of them is written, in batches of {@link #ANNOUNCE_BYTES}: a journaling storage records each batch with one
     * sync instead of one per cluster. The writes and their order stay as they are.
     */
    private void announceInPlace(long offset, int length) throws IOException {
        List<long[]> ranges = new ArrayList<>();
        long bytes = 0;
        long end = offset + length;
        while (offset < end) {
            int inCluster = (int) geo.offsetInCluster(offset);
            int n = (int) Math.min(end - offset, geo.clusterSize() - inCluster);
            long clusterGuest = offset - inCluster;
            long[] entry = img.entryOf(clusterGuest);
            if (!CowPlanner.needsNewCluster(entry[0], geo.extendedL2())
                    && L1Entry.copied(img.l2().l1Entry((int) geo.l1Index(clusterGuest)))
                    && !needsMetadataChange(entry, inCluster, inCluster + n)) {
                ranges.add(new long[]{L2Entry.hostOffset(entry[0]) + inCluster, n});
                bytes += n;
                if (bytes >= ANNOUNCE_BYTES) {
                    img.storage().willWrite(ranges);
                    ranges = new ArrayList<>();
                    bytes = 0;
                }
            }
            offset += n;
        }
        if (!ranges.isEmpty()) {
            img.storage().willWrite(ranges);
        }
    }

    private void writeInCluster(long clusterGuest, int from, int to, byte[] src, int srcOffset, AllocationRun run)
            throws IOException {
        long[] entry = img.entryOf(clusterGuest);
        boolean ext = geo.extendedL2();
        if (CowPlanner.needsNewCluster(entry[0], ext) || !L1Entry.copied(img.l2().l1Entry((int) geo.l1Index(clusterGuest)))
                || needsMetadataChange(entry, from, to)) {
            // fall through to the full path below
        } else {
            run.kept(L2Entry.hostOffset(entry[0]));
            img.storage().write(L2Entry.hostOffset(entry[0]) + from, src, srcOffset, to - from);
            return;
        }
        checkValid(clusterGuest, entry);
        long l2off = l2TableFor(clusterGuest);
        int idx = geo.l2Index(clusterGuest);
        L2TableEdit t = img.l2().edit(l2off);
        long w0 = t.word0(idx);
        long bm = t.bitmap(idx);
        CowPlanner.Plan p = CowPlanner.plan(geo, w0, bm, from, to);
        if (p.keepOld()) {
            run.kept(L2Entry.hostOffset(w0));
        }
        if (p.inPlace()) {
            img.storage().write(L2Entry.hostOffset(w0) + from, src, srcOffset, to - from);
            return;
        }
        long host = p.keepOld() ? L2Entry.hostOffset(w0) : run.take(clusterGuest);
        boolean cowZero = zeros.isZero(clusterGuest + p.cowStart(), from - p.cowStart())
                && zeros.isZero(clusterGuest + to, p.cowEnd() - to);
        if (cowZero && knownZeroOnDisk(host, p, w0, bm, from, to)) {
            // QEMU zeroes the COW region with fallocate (handle_alloc_space); here it already reads as zero
            img.storage().write(host + from, src, srcOffset, to - from);
            if (img.storage().size() < host + p.cowEnd()) {
                img.storage().truncate(host + p.cowEnd());
            }
        } else {
            writeWithCow(clusterGuest, host, p, w0, bm, from, to, src, srcOffset, cowZero);
        }
        t.set(idx, host | L2Entry.COPIED, p.bitmap());
        img.l2().markDirty(l2off);
        if (!p.keepOld() && w0 != 0) {
            freeAny(w0);
        }
    }

    /**
     * QEMU's perform_cow: the guest's bytes with the COW head {@code [cowStart, from)} and tail {@code [to, cowEnd)}
     * around them, in one write. A head or tail whose source reads as zeros (a zero flag, or a hole of a raw backing
     * file: QEMU reads it and writes the zeros) and whose host bytes already read as zeros (past the end of the file, or
     * a cluster this session allocated there and never wrote) is left unwritten: the file's bytes, its size and every
     * host offset are QEMU's, only the zeros stay a hole (QEMU's file has them allocated). The COW count is QEMU's.
     */
    private void writeWithCow(long clusterGuest, long host, CowPlanner.Plan p, long w0, long bm, int from, int to,
            byte[] src, int srcOffset, boolean cowZero) throws IOException {
        int head = from - p.cowStart();
        int tail = p.cowEnd() - to;
        boolean skipHead = head > 0 && zeroOnDisk(host, p, w0, bm, p.cowStart(), from - 1)
                && (cowZero || zeros.readsAsZeros(clusterGuest + p.cowStart(), head));
        boolean skipTail = tail > 0 && zeroOnDisk(host, p, w0, bm, to, p.cowEnd() - 1)
                && (cowZero || zeros.readsAsZeros(clusterGuest + to, tail));
        int start = skipHead ? from : p.cowStart();
        int end = skipTail ? to : p.cowEnd();
        if (start == from && end == to) {
            img.storage().write(host + from, src, srcOffset, to - from);
        } else {
            int len = end - start;
            if (cowBuffer == null) {
                cowBuffer = ByteBuffer.allocateDirect((int) geo.clusterSize());
            }
            ByteBuffer buf = cowBuffer.clear().limit(len);
            if (cowZero) {
                ZeroFill.fill(buf, 0, len);
            } else {
                // One read of the whole region (the data part is overwritten below); a raw backing file's holes are
                // not read (RawImage)
                img.read(clusterGuest + start, buf);
            }
            buf.put(from - start, src, srcOffset, to - from);
            img.storage().write(host + start, buf.position(0));
        }
        if (img.storage().size() < host + p.cowEnd()) {
            img.storage().truncate(host + p.cowEnd());
        }
        img.countCow(host, head + tail);
    }

    /**
     * Whether the host bytes of the COW head (or tail) read as zeros before this write: they lie past the end of the
     * file, or in a new cluster this session allocated past it, or in a subcluster of such a cluster that was never
     * written (UNALLOCATED_ALLOC; the head and the tail each lie in one subcluster when the cluster is kept).
     */
    private boolean zeroOnDisk(long host, CowPlanner.Plan p, long w0, long bm, int regionStart, int regionLast)
            throws IOException {
        if (host + regionStart >= img.storage().size()) {
            return true;
        }
        if (!img.freshCluster(host)) {
            return false;
        }
        if (!p.keepOld()) {
            return true;
        }
        return L2Entry.subclusterType(w0, bm, regionLast >>> geo.subclusterBits(), geo.extendedL2(), false)
                == SubclusterType.UNALLOCATED_ALLOC;
    }

    /**
     * QEMU's qcow2_co_pwritev_compressed_task: a whole cluster into an unallocated cluster only (compression never
     * overwrites); the stream starts a cluster of its own here (QEMU packs streams byte-granularly: both read back the
     * same). The descriptor has no COPIED bit and an extended entry's bitmap becomes 0 (spec 3.4, 3.5).
     */
    void writeCompressed(long clusterGuest, byte[] cluster) throws IOException {
        if (geo.offsetInCluster(clusterGuest) != 0 || cluster.length != geo.clusterSize()) {
            throw new IllegalArgumentException("compressed writes take one whole, aligned cluster");
        }
        long[] entry = img.entryOf(clusterGuest);
        boolean ext = geo.extendedL2();
        if (L2Entry.clusterType(entry[0], ext, false) != ClusterType.UNALLOCATED
                || ext && (entry[1] & L2Entry.ALL_ALLOC) != 0) {
            throw new Qcow2FormatException(Structure.L2_TABLE, img.entryOffset(clusterGuest), "compressed writes go only "
                    + "to unallocated clusters (guest offset 0x" + Long.toHexString(clusterGuest) + ")");
        }
        byte[] out = new byte[cluster.length];
        int n = io.qcowscope.engine.compress.ClusterCodecs.of(img.header().compressionType()).compress(cluster, out);
        if (n < 0) {
            write(clusterGuest, cluster, 0, cluster.length);
            return;
        }
        img.beforeMetadataChange();
        long host = img.allocateDataCluster();
        img.storage().write(host, out, 0, n);
        long l2off = l2TableFor(clusterGuest);
        int idx = geo.l2Index(clusterGuest);
        img.l2().edit(l2off).set(idx, CompressedDescriptor.encode(host, n, geo.clusterBits()), 0);
        img.l2().markDirty(l2off);
        img.afterMetadataChange();
    }

    /** Quick test for the common in-place case: every touched subcluster already NORMAL (spec 3.6 A, first bullet). */
    private boolean needsMetadataChange(long[] entry, int from, int to) {
        if (!geo.extendedL2()) {
            return L2Entry.clusterType(entry[0], false, false) != ClusterType.NORMAL;
        }
        int fs = from >>> geo.subclusterBits();
        int ls = (to - 1) >>> geo.subclusterBits();
        int run = L2Entry.subclusterRun(entry[0], entry[1], fs, true, false);
        return run < 0 || L2Entry.subclusterType(entry[0], entry[1], fs, true, false) != SubclusterType.NORMAL
                || fs + run <= ls;
    }

    /**
     * Whether the host bytes of the COW region already read as zeros: past the end of the file, or inside a cluster this
     * session allocated past the end of the file whose COW subclusters were never written (UNALLOCATED_ALLOC).
     */
    private boolean knownZeroOnDisk(long host, CowPlanner.Plan p, long w0, long bm, int from, int to)
            throws IOException {
        if (host + p.cowStart() >= img.storage().size()) {
            return true;
        }
        if (!p.keepOld() || !img.freshCluster(host)) {
            return false;
        }
        boolean ext = geo.extendedL2();
        boolean headOk = p.cowStart() == from || L2Entry.subclusterType(w0, bm, p.cowStart() >>> geo.subclusterBits(),
                ext, false) == SubclusterType.UNALLOCATED_ALLOC;
        boolean tailOk = p.cowEnd() == to || L2Entry.subclusterType(w0, bm, (p.cowEnd() - 1) >>> geo.subclusterBits(),
                ext, false) == SubclusterType.UNALLOCATED_ALLOC;
        return headOk && tailOk;
    }

    private void checkValid(long guest, long[] entry) throws IOException {
        if (geo.extendedL2() && !L2Entry.isCompressed(entry[0])) {
            img.typeAt(guest, entry);
        }
    }

    /**
     * QEMU's get_cluster_table: the L2 table for a guest offset, allocating a new one, or copying one shared with a
     * snapshot (L1 COPIED clear), first (spec 3.2, 4.2).
     */
    long l2TableFor(long guest) throws IOException {
        int l1i = (int) geo.l1Index(guest);
        L2Updater l2 = img.l2();
        if (l1i >= l2.l1().length) {
            throw new Qcow2FormatException(Structure.L1_TABLE, l2.l1Offset(), "guest offset 0x" + Long.toHexString(guest)
                    + " is beyond the L1 table");
        }
        long e = l2.l1Entry(l1i);
        long old = L1Entry.l2Offset(e);
        if (old != 0 && L1Entry.copied(e)) {
            return old;
        }
        long fresh = img.allocator().allocate(1);
        long[] words = old == 0 ? L2Table.emptyWords(geo) : l2.copyOf(old);
        l2.install(fresh, words);
        l2.setL1Entry(l1i, fresh | L1Entry.COPIED);
        if (old != 0) {
            img.refcountTable().decrementLater(old >>> geo.clusterBits(), 1);
        }
        return fresh;
    }

    /** QEMU's qcow2_free_any_cluster: drop the reference an old entry held (after the entry is replaced). */
    void freeAny(long word0) {
        freeAny(word0, false);
    }

    /** As {@link #freeAny(long)}; {@code discard}: a guest discard or unmap, whose freed host space is punched. */
    void freeAny(long word0, boolean discard) {
        RefcountTable r = img.refcountTable();
        if (L2Entry.isCompressed(word0)) {
            CompressedDescriptor d = CompressedDescriptor.decode(word0, geo.clusterBits());
            long first = (d.hostOffset() & ~511L) >>> geo.clusterBits();
            long last = ((d.hostOffset() & ~511L) + (long) d.sectors() * 512 - 1) >>> geo.clusterBits();
            r.decrementLater(first, last - first + 1, discard);
            return;
        }
        long host = L2Entry.hostOffset(word0);
        if (host != 0) {
            r.decrementLater(host >>> geo.clusterBits(), 1, discard);
        }
    }

    // ---- zero writes ----

    /** bdrv_co_do_pwrite_zeroes: split at subcluster alignment; where the driver refuses, write zeros as data. */
    void writeZeroes(long offset, long length, boolean unmap) throws IOException {
        img.beforeMetadataChange();
        long align = geo.subclusterSize();
        long head = offset % align;
        long tail = (offset + length) % align;
        while (length > 0) {
            long num = length;
            if (head != 0) {
                num = Math.min(length, align - head);
                head = (head + num) % align;
            } else if (tail != 0 && num > align) {
                num -= tail;
            }
            try {
                driverZeroes(offset, num, unmap);
            } catch (NotSupported e) {
                writeZeroBuffer(offset, num);
            }
            offset += num;
            length -= num;
        }
        img.afterMetadataChange();
    }

    /** The block layer's fallback: one driver write per bounce buffer (MAX_BOUNCE_BUFFER, 16 MiB). */
    private void writeZeroBuffer(long offset, long length) throws IOException {
        byte[] zeros = new byte[(int) Math.min(length, 16 << 20)];
        while (length > 0) {
            int n = (int) Math.min(length, zeros.length);
            write(offset, zeros, 0, n);
            offset += n;
            length -= n;
        }
    }

    /** qcow2_co_pwrite_zeroes. */
    private void driverZeroes(long offset, long bytes, boolean unmap) throws IOException, NotSupported {
        long sc = geo.subclusterSize();
        long end = offset + bytes;
        long head = offset % sc;
        long tail = ((end + sc - 1) / sc * sc) - end;
        if (end == img.virtualSize()) {
            tail = 0;
        }
        if (head != 0 || tail != 0) {
            if (!(zeros.isZero(offset - head, head) && zeros.isZero(end, tail))) {
                throw new NotSupported();
            }
            offset -= head;
            bytes = sc;
            SubclusterType t = img.typeAt(offset, img.entryOf(offset));
            if (!(t.isUnallocated() || t.isZero())) {
                throw new NotSupported();
            }
        }
        zeroize(offset, bytes, unmap);
    }

    /** qcow2_subcluster_zeroize: partial head cluster, whole clusters, partial tail cluster. */
    private void zeroize(long offset, long bytes, boolean unmap) throws IOException, NotSupported {
        if (img.header().version() < 3) {
            // No zero flag before v3; without a backing file a discard reads back as zeros (spec 3.3).
            if (img.hasBacking()) {
                throw new NotSupported();
            }
            for (long c = offset; c < offset + bytes; c += geo.clusterSize()) {
                discardCluster(c);
            }
            return;
        }
        long end = offset + bytes;
        long cs = geo.clusterSize();
        long head = Math.min(end, (offset + cs - 1) / cs * cs) - offset;
        offset += head;
        long tail = end >= img.virtualSize() ? 0 : end - Math.max(offset, geo.startOfCluster(end));
        end -= tail;
        long sc = geo.subclusterSize();
        if (head != 0) {
            zeroSubclusters(offset - head, (int) ((head + sc - 1) / sc));
        }
        for (long c = offset; c < end; c += cs) {
            zeroCluster(c, unmap);
        }
        if (tail != 0) {
            zeroSubclusters(end, (int) ((tail + sc - 1) / sc));
        }
    }

    /** zero_l2_subclusters: zero bits set, alloc bits cleared, word0 kept even on a shared cluster (spec 3.6 C). */
    private void zeroSubclusters(long offset, int count) throws IOException, NotSupported {
        long l2off = l2TableFor(offset);
        int idx = geo.l2Index(offset);
        L2TableEdit t = img.l2().edit(l2off);
        if (L2Entry.isCompressed(t.word0(idx))) {
            throw new NotSupported();
        }
        int first = geo.subclusterIndex(offset);
        long range = SubclusterBitmap.range(first, first + count - 1) & 0xFFFFFFFFL;
        long bm = (t.bitmap(idx) | (range << 32)) & ~range;
        if (bm != t.bitmap(idx)) {
            t.setBitmap(idx, bm);
            img.l2().markDirty(l2off);
        }
    }

    /** zero_in_l2_slice for one whole cluster. */
    private void zeroCluster(long guest, boolean unmapRequested) throws IOException {
        long l2off = l2TableFor(guest);
        int idx = geo.l2Index(guest);
        L2TableEdit t = img.l2().edit(l2off);
        boolean ext = geo.extendedL2();
        long w0 = t.word0(idx);
        long bm = t.bitmap(idx);
        ClusterType type = L2Entry.clusterType(w0, ext, false);
        boolean allocated = type == ClusterType.COMPRESSED || type == ClusterType.NORMAL
                || type == ClusterType.ZERO_ALLOC;
        boolean unmap = type == ClusterType.COMPRESSED || (unmapRequested && allocated);
        long newW0 = unmap ? 0 : w0;
        long newBm = bm;
        if (ext) {
            newBm = L2Entry.ALL_ZERO;
        } else {
            newW0 |= L2Entry.ZERO;
        }
        if (newW0 == w0 && newBm == bm) {
            return;
        }
        t.set(idx, newW0, newBm);
        img.l2().markDirty(l2off);
        if (unmap) {
            freeAny(w0, true);
        }
    }

    // ---- discard ----

    /** qcow2_co_pdiscard + qcow2_cluster_discard (full_discard false). */
    void discard(long offset, long length) throws IOException {
        img.beforeMetadataChange();
        if (img.header().version() < 3 && img.hasBacking()) {
            return; // v2 has no zero flag: discarding would expose the backing file
        }
        long cs = geo.clusterSize();
        long end = offset + length;
        long start = (offset + cs - 1) / cs * cs;
        long stop = end == img.virtualSize() ? end : end / cs * cs;
        for (long c = start; c < stop; c += cs) {
            discardCluster(c);
        }
        img.afterMetadataChange();
    }

    private void discardCluster(long guest) throws IOException {
        long l2off = l2TableFor(guest);
        int idx = geo.l2Index(guest);
        L2TableEdit t = img.l2().edit(l2off);
        boolean ext = geo.extendedL2();
        long w0 = t.word0(idx);
        long bm = t.bitmap(idx);
        ClusterType type = L2Entry.clusterType(w0, ext, false);
        boolean allocated = type == ClusterType.COMPRESSED || type == ClusterType.NORMAL
                || type == ClusterType.ZERO_ALLOC;
        long newW0 = w0;
        long newBm = bm;
        if (img.hasBacking() || allocated) {
            if (ext) {
                newW0 = 0;
                newBm = L2Entry.ALL_ZERO;
            } else {
                newW0 = img.header().version() >= 3 ? L2Entry.ZERO : 0;
            }
        }
        if (newW0 == w0 && newBm == bm) {
            return;
        }
        t.set(idx, newW0, newBm);
        img.l2().markDirty(l2off);
        freeAny(w0, true);
    }
}
