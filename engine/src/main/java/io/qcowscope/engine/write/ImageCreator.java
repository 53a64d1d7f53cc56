package io.qcowscope.engine.write;

import io.qcowscope.engine.format.CompressionType;
import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.FeatureWord;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.HeaderCodec;
import io.qcowscope.engine.format.HeaderExtension;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.io.ImageLocks;
import io.qcowscope.engine.storage.FileStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code qemu-img create -f qcow2}: cluster 0 holds the header, extensions and backing name (spec 2.1 layout), then the
 * refcount table, the refcount blocks and the L1 table follow (spec 4.1: header, reftable, refblock, L1 at clusters 0-3
 * for the defaults, as QEMU lays them out).
 */
public final class ImageCreator {
    private ImageCreator() {
    }

    public static void create(Path path, CreateOptions o) throws IOException {
        create(path, o, OpenOptions.readOnly());
    }

    /** Creates (or replaces) the image; {@code open} is used for metadata preallocation through the backing gate. */
    public static void create(Path path, CreateOptions o, OpenOptions open) throws IOException {
        o.validate();
        if (Files.exists(path)) {
            // Replacing a file another process uses would corrupt its view: take the write locks first (spec 7).
            try (ImageLocks ignored = ImageLocks.acquireForWriting(path)) {
                Files.delete(path);
            }
        }
        long size = (o.size() + 511) & ~511L;
        long cs = 1L << o.clusterBits();
        int l2Bits = o.clusterBits() - (o.extendedL2() ? 4 : 3);
        long perL1 = 1L << (o.clusterBits() + l2Bits);
        long l1Entries = (size + perL1 - 1) / perL1;
        long l1Clusters = (l1Entries * 8 + cs - 1) / cs;
        long rbEntries = (cs * 8) >>> o.refcountOrder();
        long reftableClusters = 1;
        long blocks = 1;
        while (true) {
            long total = 1 + reftableClusters + blocks + l1Clusters;
            long b = (total + rbEntries - 1) / rbEntries;
            long r = Math.max(1, (b * 8 + cs - 1) / cs);
            if (b == blocks && r == reftableClusters) {
                break;
            }
            blocks = b;
            reftableClusters = r;
        }
        long reftableOffset = cs;
        long blocksOffset = reftableOffset + reftableClusters * cs;
        long l1Offset = blocksOffset + blocks * cs;
        long totalClusters = 1 + reftableClusters + blocks + l1Clusters;

        boolean simple = blocks == 1 && reftableClusters == 1;
        if (!simple) {
            // QEMU starts from header, reftable and one block, then allocates the L1 table like any cluster run, adding
            // refcount blocks (and growing the table) as the run needs them.
            reftableClusters = 1;
            blocks = 1;
            blocksOffset = reftableOffset + cs;
            l1Offset = 0;
            totalClusters = 3;
        }
        try (FileStorage s = FileStorage.create(path)) {
            s.write(0, headerCluster(o, size, l1Entries, l1Offset, reftableOffset, reftableClusters), 0, (int) cs);
            ByteBuffer rt = ByteBuffer.allocate((int) (reftableClusters * cs)).order(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < blocks; i++) {
                rt.putLong(i * 8, blocksOffset + i * cs);
            }
            s.write(reftableOffset, rt.array(), 0, rt.capacity());
            for (int i = 0; i < blocks; i++) {
                byte[] block = new byte[(int) cs];
                for (long c = i * rbEntries; c < Math.min(totalClusters, (i + 1) * rbEntries); c++) {
                    RefcountBlockCodec.set(block, c - i * rbEntries, o.refcountOrder(), 1);
                }
                s.write(blocksOffset + i * cs, block, 0, block.length);
            }
            if (simple && l1Entries > 0) {
                s.write(l1Offset, new byte[(int) (l1Entries * 8)], 0, (int) (l1Entries * 8));
            }
            s.flush();
            if (!simple) {
                allocateL1(s, o, l1Entries, reftableOffset);
            }
        }
        if (o.preallocation() == Preallocation.METADATA && size > 0) {
            try (WritableImage w = WritableImage.open(path, open)) {
                new Preallocator(w).preallocate();
            }
        }
    }

    private static void allocateL1(FileStorage s, CreateOptions o, long l1Entries, long reftableOffset)
            throws IOException {
        byte[] first = s.read(0, (int) (1L << o.clusterBits()));
        Qcow2Header h = HeaderCodec.decode(first, true);
        Geometry geo = Geometry.of(h);
        byte[] rt = s.read(reftableOffset, (int) geo.clusterSize());
        long[] reftable = new long[rt.length / 8];
        ByteBuffer.wrap(rt).order(ByteOrder.BIG_ENDIAN).asLongBuffer().get(reftable);
        RefcountTable refcounts = new RefcountTable(s, geo, reftable, reftableOffset);
        HeaderUpdater header = new HeaderUpdater(s, h);
        ClusterAllocator allocator = new ClusterAllocator(s, geo, refcounts, header);
        long offset = allocator.allocate((int) geo.clustersFor(l1Entries * 8));
        refcounts.applyDecrements(); // the refcount table replaced by growth, now unreferenced
        refcounts.writeDirtyBlocks();
        s.write(offset, new byte[(int) (l1Entries * 8)], 0, (int) (l1Entries * 8));
        s.flush();
        header.setL1Table(offset, l1Entries);
    }

    private static byte[] headerCluster(CreateOptions o, long size, long l1Entries, long l1Offset, long reftableOffset,
            long reftableClusters) {
        long cs = 1L << o.clusterBits();
        long incompatible = 0;
        if (o.extendedL2()) {
            incompatible |= FeatureBit.EXTENDED_L2.mask();
        }
        if (o.compressionType() != CompressionType.ZLIB) {
            incompatible |= FeatureBit.COMPRESSION_TYPE.mask();
        }
        long compatible = o.lazyRefcounts() ? FeatureBit.LAZY_REFCOUNTS.mask() : 0;
        int headerLength = o.version() == 2 ? Qcow2Header.V2_LENGTH : Qcow2Header.V3_LENGTH;
        ByteBuffer ext = ByteBuffer.allocate((int) cs).order(ByteOrder.BIG_ENDIAN);
        if (o.backingFormat() != null) {
            byte[] f = o.backingFormat().getBytes(StandardCharsets.US_ASCII);
            ext.putInt(HeaderExtension.TYPE_BACKING_FORMAT).putInt(f.length).put(f);
            ext.position((ext.position() + 7) & ~7);
        }
        if (o.version() == 3 && cs > 4096) {
            FeatureBit[] all = FeatureBit.values();
            ext.putInt(HeaderExtension.TYPE_FEATURE_NAME_TABLE).putInt(all.length * 48);
            for (FeatureBit b : all) {
                byte[] entry = new byte[48];
                entry[0] = (byte) (b.word() == FeatureWord.INCOMPATIBLE ? 0 : b.word() == FeatureWord.COMPATIBLE ? 1 : 2);
                entry[1] = (byte) b.bit();
                byte[] name = b.qemuName().getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(name, 0, entry, 2, name.length);
                ext.put(entry);
            }
        }
        ext.putLong(0); // end of extensions
        int extLength = ext.position();
        long backingOffset = 0;
        byte[] backing = new byte[0];
        if (o.backingFile() != null) {
            backing = o.backingFile().getBytes(StandardCharsets.UTF_8);
            backingOffset = headerLength + extLength;
            if (backingOffset + backing.length > cs) {
                throw new IllegalArgumentException("the backing file name does not fit in cluster 0");
            }
        }
        Qcow2Header h = new Qcow2Header(o.version(), backingOffset, backing.length, o.clusterBits(), size, 0,
                l1Entries, l1Offset, reftableOffset, reftableClusters, 0, 0, incompatible, compatible, 0,
                o.refcountOrder(), headerLength, o.compressionType(), null);
        byte[] out = new byte[(int) cs];
        byte[] fixed = HeaderCodec.encode(h);
        System.arraycopy(fixed, 0, out, 0, fixed.length);
        System.arraycopy(ext.array(), 0, out, headerLength, extLength);
        System.arraycopy(backing, 0, out, (int) backingOffset, backing.length);
        return out;
    }
}
