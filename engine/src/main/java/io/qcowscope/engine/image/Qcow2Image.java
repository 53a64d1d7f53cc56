package io.qcowscope.engine.image;

import io.qcowscope.engine.compress.ClusterCodecs;
import io.qcowscope.engine.compress.CompressedDataException;
import io.qcowscope.engine.format.BitmapDirectoryCodec;
import io.qcowscope.engine.format.BitmapDirectoryEntry;
import io.qcowscope.engine.format.ByteSource;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.format.UnsupportedImageException;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An open qcow2 image: its header, extensions, active L1 table, refcount table and snapshot table are read at open; L2 tables
 * and refcount blocks are read on demand through bounded caches. Reads follow the backing chain (spec B.1). Opening never
 * writes to the file.
 */
public final class Qcow2Image implements ImageLayer {
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

    private long cachedCompressedEntry = -1;
    private byte[] cachedCompressedCluster;
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
        this.refcounts = new RefcountReader(storage, geo, reftable, header.refcountTableOffset(),
                options.refcountCacheBytes());
        this.l2Cache = new L2TableCache(options.l2CacheBytes(), geo.clusterSize());
        this.linked = linked;
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

    public int l1Size() {
        return l1.length;
    }

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
    private Storage dataTarget() throws Qcow2Exception {
        if (!hasDataFile()) {
            return storage;
        }
        if (linked.dataStorage() == null) {
            throw linked.dataFileError() != null ? linked.dataFileError()
                    : new Qcow2Exception("data file", -1, "the external data file is not open");
        }
        return linked.dataStorage();
    }

    // ---- structures read on demand ----

    /** Reads an L1 table (a snapshot's) with the bounds QEMU applies before using it (spec 4.4). */
    public long[] readL1Table(long offset, long entries) throws IOException {
        if (entries > Limits.MAX_L1_ENTRIES) {
            throw new Qcow2FormatException("L1 table", offset, "L1 table too large (" + entries + " entries)");
        }
        if ((offset & geo.clusterMask()) != 0 || offset < 0 || offset > Long.MAX_VALUE - entries * 8) {
            throw new Qcow2FormatException("L1 table", offset, "L1 table offset invalid");
        }
        return Words.read(storage, offset, (int) entries);
    }

    /**
     * The raw words of the L2 table at {@code offset} (cached; callers must not modify the array). With extended L2, word
     * 2i is entry i and word 2i+1 its bitmap.
     */
    public long[] l2Table(long offset) throws IOException {
        long[] t = l2Cache.get(offset);
        if (t == null) {
            t = Words.read(storage, offset, (int) (geo.clusterSize() / 8));
            l2Cache.put(offset, t);
        }
        return t;
    }

    /** The L2 entry {@code index} of the table at {@code l2Offset}. */
    public L2Entry l2Entry(long l2Offset, int index) throws IOException {
        long[] t = l2Table(l2Offset);
        return geo.extendedL2() ? new L2Entry(t[2 * index], t[2 * index + 1], true) : new L2Entry(t[index], 0, false);
    }


    /** Persistent bitmaps, read from the directory the bitmaps extension points at (spec 2.3); empty without one. */
    public List<BitmapDirectoryEntry> bitmaps() throws IOException {
        HeaderExtension.Bitmaps ext = bitmapsExtension();
        if (ext == null || !header.has(FeatureBit.BITMAPS)) {
            return List.of();
        }
        return BitmapDirectoryCodec.decode(byteSource(), ext, geo, virtualSize());
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

    /** QEMU's qcow2_get_host_offset (spec B.1): the type at {@code offset} and how far it runs, at most {@code bytes}. */
    public HostMapping lookup(long offset, long bytes) throws IOException {
        long inCluster = offset & geo.clusterMask();
        long bytesNeeded = bytes + inCluster;
        int l2Index = geo.l2Index(offset);
        long bytesAvailable = ((long) (geo.l2Entries() - l2Index)) << geo.clusterBits();
        if (bytesNeeded > bytesAvailable) {
            bytesNeeded = bytesAvailable;
        }
        long l1Index = geo.l1Index(offset);
        if (l1Index >= l1.length) {
            return new HostMapping(SubclusterType.UNALLOCATED_PLAIN, 0, bytesNeeded - inCluster, 0, l2Index);
        }
        long l2Offset = L1Entry.l2Offset(l1[(int) l1Index]);
        if (l2Offset == 0) {
            return new HostMapping(SubclusterType.UNALLOCATED_PLAIN, 0, bytesNeeded - inCluster, 0, l2Index);
        }
        if ((l2Offset & geo.clusterMask()) != 0) {
            throw new Qcow2FormatException("L1 table", header.l1TableOffset() + l1Index * 8, "L2 table offset 0x"
                    + Long.toHexString(l2Offset) + " unaligned (L1 index: 0x" + Long.toHexString(l1Index) + ")");
        }
        long[] t = l2Table(l2Offset);
        boolean ext = geo.extendedL2();
        int sc = geo.subclusterIndex(offset);
        long w0 = ext ? t[2 * l2Index] : t[l2Index];
        long bm = ext ? t[2 * l2Index + 1] : 0;
        boolean df = hasDataFile();
        SubclusterType type = L2Entry.subclusterType(w0, bm, sc, ext, df);
        long entryAt = l2Offset + (long) l2Index * geo.l2EntrySize();
        if (header.version() < 3 && type.isZero()) {
            throw new Qcow2FormatException("L2 table", entryAt, "Zero cluster entry found in pre-v3 image (L2 offset: 0x"
                    + Long.toHexString(l2Offset) + ", L2 index: 0x" + Integer.toHexString(l2Index) + ")");
        }
        long host = 0;
        switch (type) {
            case COMPRESSED:
                if (df) {
                    throw new Qcow2FormatException("L2 table", entryAt, "Compressed cluster entry found in image with "
                            + "external data file (L2 offset: 0x" + Long.toHexString(l2Offset) + ", L2 index: 0x"
                            + Integer.toHexString(l2Index) + ")");
                }
                host = w0;
                break;
            case ZERO_ALLOC:
            case NORMAL:
            case UNALLOCATED_ALLOC: {
                long hc = L2Entry.hostOffset(w0);
                host = hc + inCluster;
                if ((hc & geo.clusterMask()) != 0) {
                    throw new Qcow2FormatException("L2 table", entryAt, "Cluster allocation offset 0x"
                            + Long.toHexString(hc) + " unaligned (L2 offset: 0x" + Long.toHexString(l2Offset)
                            + ", L2 index: 0x" + Integer.toHexString(l2Index) + ")");
                }
                if (df && host != offset) {
                    throw new Qcow2FormatException("L2 table", entryAt, "External data file host cluster offset 0x"
                            + Long.toHexString(hc) + " does not match guest cluster offset 0x"
                            + Long.toHexString(offset - inCluster));
                }
                break;
            }
            default:
                break;
        }
        long nbClusters = geo.clustersFor(bytesNeeded);
        int count = countContiguousSubclusters(t, (int) nbClusters, sc, l2Index, type);
        if (count < 0) {
            long badAt = l2Offset + (long) (-count - 1) * geo.l2EntrySize();
            throw new Qcow2FormatException("L2 table", badAt, "Invalid cluster entry found (L2 offset: 0x"
                    + Long.toHexString(l2Offset) + ", L2 index: 0x" + Integer.toHexString(-count - 1) + ")");
        }
        long avail = ((long) count + sc) << geo.subclusterBits();
        if (avail > bytesNeeded) {
            avail = bytesNeeded;
        }
        return new HostMapping(type, host, avail - inCluster, l2Offset, l2Index);
    }

    /** QEMU's count_contiguous_subclusters; returns -(index+1) of an INVALID entry. */
    private int countContiguousSubclusters(long[] t, int nbClusters, int scIndex, int l2Index, SubclusterType first) {
        boolean ext = geo.extendedL2();
        boolean df = hasDataFile();
        int spc = geo.subclustersPerCluster();
        int count = 0;
        long expectedOffset = 0;
        boolean checkOffset = false;
        for (int i = 0; i < nbClusters; i++) {
            int idx = l2Index + i;
            int firstSc = i == 0 ? scIndex : 0;
            long w0 = ext ? t[2 * idx] : t[idx];
            long bm = ext ? t[2 * idx + 1] : 0;
            SubclusterType type = L2Entry.subclusterType(w0, bm, firstSc, ext, df);
            int run = L2Entry.subclusterRun(w0, bm, firstSc, ext, df);
            if (run < 0) {
                return -(idx + 1);
            }
            if (i == 0) {
                if (type == SubclusterType.COMPRESSED) {
                    return run;
                }
                expectedOffset = L2Entry.hostOffset(w0);
                checkOffset = type.hasHostOffset();
            } else if (type != first) {
                break;
            } else if (checkOffset) {
                expectedOffset += geo.clusterSize();
                if (expectedOffset != L2Entry.hostOffset(w0)) {
                    break;
                }
            }
            count += run;
            if (firstSc + run < spc) {
                break;
            }
        }
        return count;
    }

    // ---- guest reads ----

    /** Reads guest bytes exactly as {@code qemu-img convert -O raw} would produce them. */
    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset > virtualSize() - length) {
            throw new IllegalArgumentException("guest range [" + offset + ", +" + length + ") is outside the disk");
        }
        while (length > 0) {
            HostMapping m = lookup(offset, length);
            int n = (int) Math.min(m.bytes(), length);
            switch (m.type()) {
                case NORMAL -> {
                    requireUnencrypted();
                    dataTarget().read(m.hostOffset(), dst, dstOffset, n);
                }
                case ZERO_PLAIN, ZERO_ALLOC -> Arrays.fill(dst, dstOffset, dstOffset + n, (byte) 0);
                case UNALLOCATED_PLAIN, UNALLOCATED_ALLOC -> readBacking(offset, dst, dstOffset, n);
                case COMPRESSED -> {
                    requireUnencrypted();
                    byte[] cluster = compressedCluster(m.hostOffset(), m.l2Offset(), m.l2Index());
                    System.arraycopy(cluster, (int) (offset & geo.clusterMask()), dst, dstOffset, n);
                }
                default -> throw new IllegalStateException("unexpected type " + m.type());
            }
            offset += n;
            dstOffset += n;
            length -= n;
        }
    }

    private void requireUnencrypted() throws UnsupportedImageException {
        if (encrypted()) {
            throw new UnsupportedImageException("header", 32, "reading encrypted guest data is not supported");
        }
    }

    private void readBacking(long offset, byte[] dst, int dstOffset, int n) throws IOException {
        ImageLayer b = linked.backing();
        if (b == null) {
            if (backingFileName != null && linked.backingError() != null) {
                throw linked.backingError();
            }
            Arrays.fill(dst, dstOffset, dstOffset + n, (byte) 0);
            return;
        }
        long inBacking = Math.max(0, Math.min(n, b.virtualSize() - offset));
        if (inBacking > 0) {
            b.read(offset, dst, dstOffset, (int) inBacking);
        }
        Arrays.fill(dst, dstOffset + (int) inBacking, dstOffset + n, (byte) 0);
    }

    /** Decodes the compressed cluster an L2 descriptor names (spec 3.4); the last one decoded is kept. */
    public synchronized byte[] compressedCluster(long word0, long l2Offset, int l2Index) throws IOException {
        if (word0 == cachedCompressedEntry && cachedCompressedCluster != null) {
            return cachedCompressedCluster;
        }
        long entryAt = l2Offset + (long) l2Index * geo.l2EntrySize();
        if (CompressedDescriptor.offsetOutOfRange(word0, geo.clusterBits())) {
            throw new Qcow2FormatException("L2 table", entryAt, "compressed cluster offset 0x"
                    + Long.toHexString(word0 & CompressedDescriptor.offsetMask(geo.clusterBits())) + " is out of range");
        }
        CompressedDescriptor d = CompressedDescriptor.decode(word0, geo.clusterBits());
        byte[] src = storage.read(d.hostOffset(), (int) d.compressedSize());
        byte[] out = new byte[(int) geo.clusterSize()];
        try {
            ClusterCodecs.of(header.compressionType()).decompress(src, src.length, out);
        } catch (CompressedDataException e) {
            throw new Qcow2FormatException("compressed cluster", d.hostOffset(), e.getMessage()
                    + " (L2 entry at 0x" + Long.toHexString(entryAt) + ")", e);
        }
        cachedCompressedEntry = word0;
        cachedCompressedCluster = out;
        return out;
    }

    // ---- block status ----

    /**
     * QEMU's bdrv_block_status for this layer (spec 6.1): the qcow2 driver's answer, completed by the generic block layer
     * (unallocated without backing reads as zeros; with metadata preallocation, holes of the host file read as zeros).
     */
    @Override
    public BlockStatus blockStatus(long offset, long bytes) throws IOException {
        long total = virtualSize();
        if (offset >= total) {
            return BlockStatus.pastEnd();
        }
        bytes = Math.min(bytes, total - offset);
        HostMapping m = lookup(offset, Math.min(bytes, Integer.MAX_VALUE));
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
        synchronized (this) {
            cachedCompressedCluster = null;
            cachedCompressedEntry = -1;
        }
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
