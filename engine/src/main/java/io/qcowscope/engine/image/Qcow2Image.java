package io.qcowscope.engine.image;

import io.qcowscope.engine.format.BitmapDirectoryCodec;
import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.BitmapTableEntry;
import io.qcowscope.engine.format.ByteSource;
import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.mapping.CompressedClusterReader;
import io.qcowscope.engine.mapping.GuestOffset;
import io.qcowscope.engine.mapping.GuestResolver;
import io.qcowscope.engine.mapping.HostMapping;
import io.qcowscope.engine.mapping.L2Source;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * An open qcow2 image: its header, extensions, active L1 table, refcount table and snapshot table are read at open; L2 tables
 * and refcount blocks are read on demand through bounded caches. Reads follow the backing chain (spec B.1). Opening never
 * writes to the file.
 */
public final class Qcow2Image implements ImageLayer, L2Source {
    private final Storage storage;
    private final String filename;
    private final Path path;
    private final OpenOptions options;
    private final Qcow2Header header;
    private final Geometry geo;
    private final List<HeaderExtension> extensions;
    private final String backingFileName;
    private final String backingFormat;
    private final String dataFileName;
    private final long[] l1;
    private final List<SnapshotEntry> snapshots;
    private final Qcow2Exception snapshotError;
    private final RefcountReader refcounts;
    private final L2TableCache l2Cache;
    private final ImageChain.Linked linked;

    private final GuestResolver resolver;
    private final CompressedClusterReader compressed;
    private final GuestReader reader;
    private Boolean metadataPreallocation;

    Qcow2Image(Storage storage, String filename, Path path, OpenOptions options, Qcow2Header header,
            List<HeaderExtension> extensions, String backingFileName, long[] l1, long[] reftable,
            List<SnapshotEntry> snapshots, Qcow2Exception snapshotError, ImageChain.Linked linked) {
        this.storage = storage;
        this.filename = filename;
        this.path = path;
        this.options = options;
        this.header = header;
        this.geo = Geometry.of(header);
        this.extensions = List.copyOf(extensions);
        this.backingFileName = backingFileName;
        this.backingFormat = extensions.stream().filter(e -> e instanceof HeaderExtension.BackingFormat)
                .map(e -> ((HeaderExtension.BackingFormat) e).format()).findFirst().orElse(null);
        this.dataFileName = extensions.stream().filter(e -> e instanceof HeaderExtension.DataFileName)
                .map(e -> ((HeaderExtension.DataFileName) e).name()).findFirst().orElse(null);
        this.l1 = l1;
        this.snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
        this.snapshotError = snapshotError;
        this.refcounts = new RefcountReader(storage, geo, reftable,
                (int) (header.refcountTableClusters() * header.clusterSize() / 8), header.refcountTableOffset(),
                options.refcountCacheBytes());
        this.l2Cache = new L2TableCache(options.l2CacheBytes(), geo.clusterSize());
        this.linked = linked;
        this.resolver = resolverOver(this);
        this.compressed = new CompressedClusterReader(storage, geo, header.compressionType(), true);
        this.reader = new GuestReader(resolver, this, this::dataTarget, compressed);
    }

    /** Opens an image file read-only with default options. */
    public static Qcow2Image open(Path path) throws IOException {
        return ImageChain.openQcow2(path, OpenOptions.readOnly());
    }

    public static Qcow2Image open(Path path, OpenOptions options) throws IOException {
        return ImageChain.openQcow2(path, options);
    }

    // ---- what was read at open ----

    public Storage storage() {
        return storage;
    }

    @Override
    public String filename() {
        return filename;
    }

    /** The image file's path, or null for an image in memory. */
    public Path path() {
        return path;
    }

    public OpenOptions options() {
        return options;
    }

    @Override
    public String formatName() {
        return "qcow2";
    }

    public Qcow2Header header() {
        return header;
    }

    public Geometry geometry() {
        return geo;
    }

    public List<HeaderExtension> extensions() {
        return extensions;
    }

    /** The backing file name stored in the image, or null. */
    public String backingFileName() {
        return backingFileName;
    }

    /** The backing format from the extension, or null. */
    public String backingFormat() {
        return backingFormat;
    }

    public String dataFileName() {
        return dataFileName;
    }

    public boolean hasDataFile() {
        return header.externalDataFile();
    }

    public boolean encrypted() {
        return header.cryptMethod() != 0;
    }

    /** Guest size: the header's size floored to 512 bytes, as QEMU opens it (spec 1.1). */
    @Override
    public long virtualSize() {
        return header.size() & ~511L;
    }

    @Override
    public int l1Size() {
        return l1.length;
    }

    @Override
    public long l1Offset() {
        return header.l1TableOffset();
    }

    @Override
    public long l1Entry(long index) {
        return index < l1.length ? l1[(int) index] : 0;
    }

    /** A copy of the active L1 table. */
    public long[] l1Table() {
        return l1.clone();
    }

    public RefcountReader refcounts() {
        return refcounts;
    }

    /** The snapshot table; empty when it could not be read in check mode (see {@link #snapshotError()}). */
    public List<SnapshotEntry> snapshots() {
        return snapshots;
    }

    public Qcow2Exception snapshotError() {
        return snapshotError;
    }

    @Override
    public ImageLayer backing() {
        return linked.backing();
    }

    /** Why the backing file named by the image was not opened, or null. */
    public Qcow2Exception backingError() {
        return linked.backingError();
    }

    /** The external data file, or null when there is none or it was not opened. */
    public Storage dataStorage() {
        return linked.dataStorage();
    }

    public Qcow2Exception dataFileError() {
        return linked.dataFileError();
    }

    /** Where guest data clusters live: the data file when there is one, else the image file. */
    Storage dataTarget() throws Qcow2Exception {
        if (!hasDataFile()) {
            return storage;
        }
        if (linked.dataStorage() == null) {
            throw linked.dataFileError() != null ? linked.dataFileError()
                    : new Qcow2Exception(Structure.DATA_FILE, -1, "the external data file is not open");
        }
        return linked.dataStorage();
    }

    // ---- structures read on demand ----

    /** Reads an L1 table (a snapshot's) with the bounds QEMU applies before using it (spec 4.4). */
    public long[] readL1Table(long offset, long entries) throws IOException {
        if (entries > Limits.MAX_L1_ENTRIES) {
            throw new Qcow2FormatException(Structure.L1_TABLE, offset, "L1 table too large (" + entries + " entries)");
        }
        if ((offset & geo.clusterMask()) != 0 || offset < 0 || offset > Long.MAX_VALUE - entries * 8) {
            throw new Qcow2FormatException(Structure.L1_TABLE, offset, "L1 table offset invalid");
        }
        return Words.read(storage, offset, (int) entries);
    }

    /** The L2 table at {@code offset}, through the bounded read cache. */
    @Override
    public L2Table l2Table(long offset) throws IOException {
        long[] t = l2Cache.get(offset);
        if (t == null) {
            t = Words.read(storage, offset, (int) (geo.clusterSize() / 8));
            l2Cache.put(offset, t);
        }
        return L2Table.of(t, geo, hasDataFile(), offset);
    }

    /** The L2 entry {@code index} of the table at {@code l2Offset}. */
    public L2Entry l2Entry(long l2Offset, int index) throws IOException {
        return l2Table(l2Offset).entry(index);
    }

    /** Persistent bitmaps, read from the directory the bitmaps extension points at (spec 2.3); empty without one. */
    public List<BitmapDirectoryEntry> bitmaps() throws IOException {
        HeaderExtension.Bitmaps ext = bitmapsExtension();
        if (ext == null || !header.has(FeatureBit.BITMAPS)) {
            return List.of();
        }
        return BitmapDirectoryCodec.decode(byteSource(), ext, geo, virtualSize());
    }

    /**
     * The first {@code max} entries (at most) of a bitmap's table (spec 2.3), read from the offset its directory entry
     * gives; a table that does not lie inside the image file is a typed error, not zeros.
     */
    public List<BitmapTableEntry> bitmapTable(BitmapDirectoryEntry b, int max)
            throws IOException {
        long n = Math.min(b.tableSize(), Math.max(0, max));
        long fileSize = storage.size();
        if (b.tableOffset() < 0 || b.tableOffset() > fileSize - 8 * b.tableSize()) {
            throw new Qcow2FormatException(Structure.BITMAP_DIRECTORY, b.offset(), "the table of bitmap '" + b.name()
                    + "' (" + b.tableSize() + " entries at 0x" + Long.toHexString(b.tableOffset())
                    + ") lies past the end of the file");
        }
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(storage.read(b.tableOffset(), (int) (8 * n)));
        List<BitmapTableEntry> out = new java.util.ArrayList<>((int) n);
        for (int i = 0; i < n; i++) {
            out.add(new BitmapTableEntry(bb.getLong(8 * i)));
        }
        return out;
    }

    public HeaderExtension.Bitmaps bitmapsExtension() {
        for (HeaderExtension e : extensions) {
            if (e instanceof HeaderExtension.Bitmaps b) {
                return b;
            }
        }
        return null;
    }

    /** The image file as a codec byte source. */
    public ByteSource byteSource() {
        return storage::read;
    }

    // ---- guest to host ----

    /** The one guest-to-host resolver over this image's read cache. */
    public GuestResolver resolver() {
        return resolver;
    }

    /** QEMU's qcow2_get_host_offset (spec B.1): the type at {@code offset} and how far it runs, at most {@code bytes}. */
    public HostMapping lookup(long offset, long bytes) throws IOException {
        return resolver.resolve(GuestOffset.of(offset), bytes);
    }

    // ---- guest reads ----

    /** Reads guest bytes exactly as {@code qemu-img convert -O raw} would produce them. */
    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset > virtualSize() - length) {
            throw new IllegalArgumentException("guest range [" + offset + ", +" + length + ") is outside the disk");
        }
        reader.read(offset, dst, dstOffset, length);
    }

    /** As {@link #read(long, byte[], int, int)} into {@code dst}'s remaining bytes (straight from the files when direct). */
    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        if (offset < 0 || offset > virtualSize() - length) {
            throw new IllegalArgumentException("guest range [" + offset + ", +" + length + ") is outside the disk");
        }
        reader.read(offset, dst);
    }

    /** Decodes the compressed cluster an L2 descriptor names (spec 3.4); the last one decoded is kept. */
    public byte[] compressedCluster(long word0, long l2Offset, int l2Index) throws IOException {
        return compressed.read(word0, l2Offset + (long) l2Index * geo.l2EntrySize());
    }

    // ---- block status ----

    /**
     * QEMU's bdrv_block_status for this layer (spec 6.1): the qcow2 driver's answer, completed by the generic block layer
     * (unallocated without backing reads as zeros; with metadata preallocation, holes of the host file read as zeros).
     */
    @Override
    public BlockStatus blockStatus(long offset, long bytes) throws IOException {
        return blockStatus(resolver, offset, bytes);
    }

    /** A resolver of this image over another source of its L2 tables (a scan's read-ahead). */
    GuestResolver resolverOver(L2Source source) {
        return new GuestResolver(source, geo, header.externalDataFile(), header.version());
    }

    /** {@link #blockStatus(long, long)} with the L2 tables from {@code via}. */
    BlockStatus blockStatus(GuestResolver via, long offset, long bytes) throws IOException {
        long total = virtualSize();
        if (offset >= total) {
            return BlockStatus.pastEnd();
        }
        bytes = Math.min(bytes, total - offset);
        HostMapping m = via.resolve(GuestOffset.of(offset), Math.min(bytes, Integer.MAX_VALUE));
        SubclusterType type = m.type();
        long pnum = Math.min(m.bytes(), bytes);
        boolean offsetValid = type.hasHostOffset() && !encrypted();
        long map = offsetValid ? m.hostOffset() : -1;
        boolean zero = type.isZero();
        boolean data = type.isData();
        boolean allocated = data || zero;
        if (!allocated) {
            if (backingFileName == null) {
                zero = true;
            } else {
                ImageLayer b = linked.backing();
                if (b != null && offset >= b.virtualSize()) {
                    zero = true;
                }
            }
        }
        if (data && offsetValid && metadataPreallocation()) {
            BlockStatus f = HostFileStatus.of(dataTarget(), map, pnum);
            if (f.eof() && (f.length() == 0 || f.zero())) {
                zero = true;
            } else {
                pnum = f.length();
                zero |= f.zero();
            }
        }
        return new BlockStatus(pnum, data, zero, allocated, map, type, false);
    }

    /**
     * QEMU's qcow2_detect_metadata_preallocation: more refcounted clusters than the host file really allocates means the
     * image was preallocated, and block status then asks the host file where its holes are.
     */
    public synchronized boolean metadataPreallocation() {
        if (metadataPreallocation == null) {
            boolean result;
            try {
                long fileLength = storage.size();
                long realClusters = storage.allocatedBytes() / geo.clusterSize();
                long threshold = Math.max(realClusters * 10 / 9, realClusters + 2);
                long end = geo.clustersFor(fileLength);
                long count = 0;
                for (long i = 0; i < end && count <= threshold; i++) {
                    if (refcounts.refcount(i) != 0) {
                        count++;
                    }
                }
                result = count > threshold;
            } catch (IOException e) {
                result = false;
            }
            metadataPreallocation = result;
        }
        return metadataPreallocation;
    }

    /** Drops cached metadata (after the file changed under us). */
    public void invalidateCaches() {
        l2Cache.clear();
        refcounts.invalidate();
        compressed.clear();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (java.io.Closeable c : new java.io.Closeable[]{linked.backing(), linked.dataStorage(), storage}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
