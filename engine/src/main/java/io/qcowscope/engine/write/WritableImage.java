package io.qcowscope.engine.write;

import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.image.GuestReader;
import io.qcowscope.engine.image.ImageLayer;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.io.ImageLocks;
import io.qcowscope.engine.mapping.CompressedClusterReader;
import io.qcowscope.engine.mapping.GuestOffset;
import io.qcowscope.engine.mapping.GuestResolver;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.storage.UndoRecordingStorage;
import io.qcowscope.engine.storage.UndoRecorder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A qcow2 image open for writing. Opening takes QEMU's read-write locks first (spec 7), refuses corrupt, dirty, encrypted
 * and external-data-file images, sets the dirty bit before the first change when lazy refcounts are on (spec 4.3) and
 * clears autoclear bits (spec 1.3: a writer that does not maintain bitmaps must). Guest writes follow
 * {@link GuestWriter}; metadata reaches the disk in the order of {@link WriteOrdering} on {@link #flush()} and
 * {@link #close()}.
 */
public final class WritableImage implements AutoCloseable {
    /** Dirty L2 tables kept in memory before an automatic flush. */
    private static final long DIRTY_L2_BYTES = 32L << 20;

    private final ImageLocks locks;
    private final Qcow2Image base;
    private final CountingStorage storage;
    /** Host clusters COW regions were copied into, when a dry run asks ({@link #recordCowClusters}); else null. */
    private java.util.Set<Long> cowClusters;
    private final Geometry geo;
    private final HeaderUpdater header;
    private final RefcountTable refcounts;
    private final ClusterAllocator allocator;
    private final L2Updater l2;
    private final WriteOrdering ordering;
    private final GuestWriter writer;
    private final GuestResolver resolver;
    private final GuestReader reader;
    private List<SnapshotEntry> snapshots;
    /** Host clusters this session allocated at or past the end of the file: never written, so holes of zeros. */
    private final java.util.BitSet fresh = new java.util.BitSet();
    private boolean dirtyBitSet;
    private boolean closed;
    /** Bytes of copy-on-write regions written around guest data (spec 3.6 B), for {@code bench} and the lab. */
    private long cowBytes;

    private WritableImage(ImageLocks locks, Qcow2Image base, UndoRecorder undo) throws IOException {
        this.locks = locks;
        this.base = base;
        this.storage = new CountingStorage(undo == null ? base.storage() : new UndoRecordingStorage(base.storage(), undo));
        Qcow2Header h = base.header();
        this.geo = Geometry.of(h);
        this.header = new HeaderUpdater(storage, h);
        this.refcounts = new RefcountTable(storage, geo, base.refcounts().reftable(), h.refcountTableOffset());
        this.allocator = new ClusterAllocator(storage, geo, refcounts, header);
        this.l2 = new L2Updater(storage, geo, base.l1Table(), h.l1TableOffset(), base.options().l2CacheBytes());
        this.ordering = new WriteOrdering(storage, refcounts, l2, allocator);
        this.resolver = new GuestResolver(l2, geo, false, h.version());
        this.reader = new GuestReader(resolver, base, () -> storage,
                new CompressedClusterReader(storage, geo, h.compressionType(), false));
        this.writer = new GuestWriter(this);
        this.snapshots = new ArrayList<>(base.snapshots());
    }

    /** Opens with the default trust policy for backing files. */
    public static WritableImage open(Path path) throws IOException {
        return open(path, OpenOptions.readOnly());
    }

    /**
     * Opens {@code path} for writing.
     *
     * @throws io.qcowscope.engine.io.ImageLockedException when another process (QEMU) uses the image
     * @throws ImageNotWritableException                   when the image must not or cannot be written
     */
    public static WritableImage open(Path path, OpenOptions options) throws IOException {
        return open(path, options, null);
    }

    /**
     * Opens {@code path} for writing with every change to the file (header, tables, refcounts, guest data, truncation,
     * punched holes) first recorded by {@code undo}, so that the file can be restored bit for bit.
     *
     * @param undo null for no journal
     */
    public static WritableImage open(Path path, OpenOptions options, UndoRecorder undo) throws IOException {
        ImageLocks locks = ImageLocks.acquireForWriting(path);
        Qcow2Image base = null;
        try {
            base = Qcow2Image.open(path, options.withWritable(true).withCheckMode(false));
            refuseUnsupported(base);
            WritableImage w = new WritableImage(locks, base, undo);
            w.clearAutoclear();
            return w;
        } catch (IOException | RuntimeException e) {
            if (base != null) {
                try {
                    base.close();
                } catch (IOException ignored) {
                    // the open failed; that error is the one to report
                }
            }
            locks.close();
            throw e;
        }
    }

    /**
     * A writer over {@code storage}, a scratch overlay of the image file at {@code path} (a dry run): no lock is taken
     * and nothing but {@code storage} is written; backing files open read-only as for any writable image.
     */
    static WritableImage overStorage(io.qcowscope.engine.storage.Storage storage, Path path, OpenOptions options)
            throws IOException {
        Qcow2Image base = io.qcowscope.engine.image.ImageChain.open(storage, path.toString(), path,
                options.withWritable(true).withCheckMode(false));
        try {
            refuseUnsupported(base);
            WritableImage w = new WritableImage(null, base, null);
            w.clearAutoclear();
            return w;
        } catch (IOException | RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /**
     * Takes QEMU's read-write locks on {@code path} and checks that the image could be opened for writing, without
     * writing anything (the autoclear bits stay as they are): the window's edit mode holds these locks until it applies.
     *
     * @throws io.qcowscope.engine.io.ImageLockedException when another process (QEMU) uses the image
     * @throws ImageNotWritableException                   when the image must not or cannot be written
     */
    public static ImageLocks reserve(Path path, OpenOptions options) throws IOException {
        ImageLocks locks = ImageLocks.acquireForWriting(path);
        try (Qcow2Image base = Qcow2Image.open(path, options.withWritable(false).withCheckMode(false))) {
            refuseUnsupported(base);
            return locks;
        } catch (IOException | RuntimeException e) {
            locks.close();
            throw e;
        }
    }

    /**
     * A reservation for repair only: takes QEMU's read-write locks on {@code path} as {@link #reserve} does, but accepts an
     * image whose dirty or corrupt bit is set (what {@link #reserve} and {@link #open} refuse), since repairing is what
     * such an image needs. It writes nothing. Guest writes stay refused: {@link #open} still refuses the image until a
     * repair has cleared those bits; only the repair applier (which takes the same locks) may write it.
     *
     * @throws io.qcowscope.engine.io.ImageLockedException when another process (QEMU) uses the image
     * @throws ImageNotWritableException                   when not even a repair may write it (encrypted, external data
     *                                                     file)
     */
    public static ImageLocks reserveForRepair(Path path, OpenOptions options) throws IOException {
        ImageLocks locks = ImageLocks.acquireForWriting(path);
        try (Qcow2Image base = Qcow2Image.open(path, options.withWritable(false).withCheckMode(true)
                .withBackingChain(false))) {
            refuseUnrepairable(base.header());
            return locks;
        } catch (IOException | RuntimeException e) {
            locks.close();
            throw e;
        }
    }

    private static void refuseUnrepairable(Qcow2Header h) throws ImageNotWritableException {
        if (h.cryptMethod() != 0) {
            throw new ImageNotWritableException(Structure.HEADER, 32, "writing encrypted images is not supported");
        }
        if (h.externalDataFile()) {
            throw new ImageNotWritableException(Structure.HEADER, 72, "writing images with an external data file is not supported");
        }
    }

    private static void refuseUnsupported(Qcow2Image base) throws IOException {
        Qcow2Header h = base.header();
        if (h.dirty()) {
            throw new ImageNotWritableException(Structure.HEADER, 72, "the dirty bit is set (lazy refcounts after a crash): "
                    + "repair the image first (qemu-img check -r all)", true);
        }
        if (h.corrupt()) {
            throw new ImageNotWritableException(Structure.HEADER, 72, "the corrupt bit is set (QEMU found its metadata "
                    + "inconsistent): repair the image first (qemu-img check -r all)", true);
        }
        refuseUnrepairable(h);
        if (base.backingFileName() != null && base.backing() == null) {
            throw base.backingError() != null ? base.backingError()
                    : new ImageNotWritableException(Structure.BACKING_FILE, h.backingFileOffset(),
                            "the backing file is not open");
        }
    }

    /** Spec 1.3: autoclear bits this writer does not maintain (bitmaps, unknown ones) are cleared before any write. */
    private void clearAutoclear() throws IOException {
        Qcow2Header h = header.header();
        if (h.version() >= 3 && h.autoclearFeatures() != 0) {
            header.setFeatures(h.incompatibleFeatures(), 0);
        }
    }

    // ---- state shared with GuestWriter and SnapshotManager ----

    Geometry geo() {
        return geo;
    }

    CountingStorage storage() {
        return storage;
    }

    HeaderUpdater headerUpdater() {
        return header;
    }

    RefcountTable refcountTable() {
        return refcounts;
    }

    ClusterAllocator allocator() {
        return allocator;
    }

    /** Allocates one data cluster, remembering whether it lies past the end of the file. */
    long allocateDataCluster() throws IOException {
        long host = allocator.allocate(1);
        markAllocated(host, 1);
        return host;
    }

    /** Remembers which of {@code count} data clusters just allocated at {@code host} lie past the end of the file. */
    void markAllocated(long host, int count) throws IOException {
        long size = storage.size();
        for (int i = 0; i < count; i++) {
            long off = host + ((long) i << geo.clusterBits());
            long c = off >>> geo.clusterBits();
            if (c < Integer.MAX_VALUE) {
                fresh.set((int) c, off >= size);
            }
        }
    }

    boolean freshCluster(long host) {
        long c = host >>> geo.clusterBits();
        return c < Integer.MAX_VALUE && fresh.get((int) c);
    }

    L2Updater l2() {
        return l2;
    }

    WriteOrdering ordering() {
        return ordering;
    }

    List<SnapshotEntry> snapshotList() {
        return snapshots;
    }

    void setSnapshotList(List<SnapshotEntry> list) {
        snapshots = list;
    }

    ImageLayer backing() {
        return base.backing();
    }

    boolean hasBacking() {
        return base.backingFileName() != null;
    }

    /** Called before every metadata change: lazy refcounts need the dirty bit on disk first (spec 4.3). */
    void beforeMetadataChange() throws IOException {
        ensureOpen();
        Qcow2Header h = header.header();
        if (!dirtyBitSet && h.lazyRefcounts()) {
            header.setFeatures(h.incompatibleFeatures() | FeatureBit.DIRTY.mask(), h.autoclearFeatures());
            dirtyBitSet = true;
        }
    }

    /**
     * After a change: bound the memory held by modified L2 tables; and when references were dropped, flush so the freed
     * clusters can be reused by the next request, as QEMU reuses them (its free index moves back), without ever reusing
     * a cluster an on-disk table still points at.
     */
    void afterMetadataChange() throws IOException {
        if (refcounts.hasPendingDecrements()
                || (long) l2.dirtyTableCount() * geo.clusterSize() > DIRTY_L2_BYTES) {
            ordering.flush();
        }
    }

    // ---- public API ----

    public Qcow2Header header() {
        return header.header();
    }

    public Geometry geometry() {
        return geo;
    }

    public long virtualSize() {
        return header.header().size() & ~511L;
    }

    public List<SnapshotEntry> snapshots() {
        return List.copyOf(snapshots);
    }

    /** Bytes written to the image file so far (guest data, COW copies, metadata). */
    public long hostBytesWritten() {
        return storage.bytesWritten();
    }

    /** Bytes of copy-on-write regions written so far (the guest's own bytes not included). */
    public long cowBytesWritten() {
        return cowBytes;
    }

    /** The same count, as the window's summaries name it: guest bytes copied around partial writes. */
    public long cowBytesCopied() {
        return cowBytes;
    }

    void countCow(long host, long bytes) {
        cowBytes += bytes;
        if (cowClusters != null) {
            cowClusters.add(host);
        }
    }

    /** From now on remember the host clusters whose COW regions were copied (a dry run's record; off by default). */
    void recordCowClusters() {
        cowClusters = new java.util.HashSet<>();
    }

    /** Whether this session copied COW regions into the host cluster at {@code host} (see {@link #recordCowClusters}). */
    boolean cowCopiedInto(long host) {
        return cowClusters != null && cowClusters.contains(host);
    }

    public long hostWriteCalls() {
        return storage.writeCalls();
    }

    public long hostFlushes() {
        return storage.flushes();
    }

    /** Writes guest bytes (spec 3.6 A-F). */
    public void write(long offset, byte[] src, int srcOffset, int length) throws IOException {
        checkRange(offset, length);
        writer.write(offset, src, srcOffset, length);
    }

    public void write(long offset, byte[] src) throws IOException {
        write(offset, src, 0, src.length);
    }

    /**
     * Writes one whole guest cluster compressed (spec 3.4), as {@code qemu-io write -c}: only into an unallocated cluster;
     * when the cluster does not compress below its size it is written normally, as QEMU does.
     */
    public void writeCompressed(long clusterOffset, byte[] cluster) throws IOException {
        checkRange(clusterOffset, cluster.length);
        writer.writeCompressed(clusterOffset, cluster);
    }

    /** Makes a guest range read as zeros, with zero flags where QEMU uses them (spec 3.6 C). */
    public void writeZeroes(long offset, long length, boolean unmap) throws IOException {
        checkRange(offset, length);
        writer.writeZeroes(offset, length, unmap);
    }

    /** Discards whole clusters of a guest range (spec 3.6 D); partial clusters are ignored as QEMU does. */
    public void discard(long offset, long length) throws IOException {
        checkRange(offset, length);
        writer.discard(offset, length);
    }

    /** Internal snapshots (qemu-img snapshot semantics, spec 4.4). */
    public SnapshotManager snapshotManager() {
        return new SnapshotManager(this);
    }

    /** Puts everything written so far on disk in crash-safe order (spec B.3). */
    public void flush() throws IOException {
        ensureOpen();
        ordering.flush();
    }

    private void checkRange(long offset, long length) throws IOException {
        ensureOpen();
        if (offset < 0 || length < 0 || offset > virtualSize() - length) {
            throw new IllegalArgumentException("guest range [" + offset + ", +" + length + ") is outside the disk of "
                    + virtualSize() + " bytes");
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("image is closed");
        }
    }

    // ---- guest reads through this writer's own metadata ----

    /** The L2 entry words {@code (word0, bitmap)} of a guest offset as this writer sees them, allocating nothing. */
    public long[] l2Entry(long guest) throws IOException {
        checkRange(guest, 1);
        return entryOf(guest);
    }

    /** The L2 entry words {@code (word0, bitmap)} of a guest offset, without allocating anything. */
    long[] entryOf(long guest) throws IOException {
        L2Table t = resolver.tableFor(GuestOffset.of(guest));
        if (t == null) {
            return new long[]{0, 0};
        }
        int i = geo.l2Index(guest);
        return new long[]{t.word0(i), t.bitmap(i)};
    }

    /** Where the L2 entry of a guest offset sits in the file, or -1 when its L2 table is not allocated. */
    long entryOffset(long guest) throws IOException {
        L2Table t = resolver.tableFor(GuestOffset.of(guest));
        return t == null ? -1 : t.entryOffset(geo.l2Index(guest));
    }

    SubclusterType typeAt(long guest, long[] entry) throws IOException {
        SubclusterType t = L2Entry.subclusterType(entry[0], entry[1], geo.subclusterIndex(guest), geo.extendedL2(), false);
        if (t == SubclusterType.INVALID) {
            throw new Qcow2FormatException(Structure.L2_TABLE, entryOffset(guest), "Invalid cluster entry found for guest "
                    + "offset 0x" + Long.toHexString(guest) + " (entry 0x" + Long.toHexString(entry[0]) + ", bitmap 0x"
                    + Long.toHexString(entry[1]) + ")");
        }
        if (header.header().version() < 3 && t.isZero()) {
            throw new Qcow2FormatException(Structure.L2_TABLE, entryOffset(guest), "Zero cluster entry found in pre-v3 image");
        }
        return t;
    }

    /** Reads guest bytes as the image now stands (including what is not yet flushed), through the one read path. */
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        checkRange(offset, length);
        reader.read(offset, dst, dstOffset, length);
    }

    /** As {@link #read(long, byte[], int, int)} into {@code dst}'s remaining bytes (straight from the files when direct). */
    void read(long offset, ByteBuffer dst) throws IOException {
        checkRange(offset, dst.remaining());
        reader.read(offset, dst);
    }

    /** Flushes, clears the dirty bit this session set, and releases the locks. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            ordering.flush();
            if (dirtyBitSet) {
                Qcow2Header h = header.header();
                header.setFeatures(h.incompatibleFeatures() & ~FeatureBit.DIRTY.mask(), h.autoclearFeatures());
            }
        } finally {
            closed = true;
            try {
                base.close();
            } finally {
                if (locks != null) {
                    locks.close();
                }
            }
        }
    }
}
