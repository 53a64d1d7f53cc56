package io.qcowscope.engine.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * A qemu-made image with three kinds of damage a repair mends, for repair tests in both modules: 64 KiB clusters,
 * extended L2 (spec 3.5), 4 MiB; guest clusters 0-3 written with 0x11, 0x22, 0x33, 0x44 by qemu-io, then patched:
 * guest cluster {@link #LEAKED}'s L2 entry cleared (its data cluster leaks), guest cluster {@link #REFCOUNT_ZERO}'s data
 * cluster given refcount 0, and subcluster {@link #OVERLAP_SUBCLUSTER} of guest cluster {@link #OVERLAP} marked both
 * allocated and zero.
 */
public final class DamagedImages {
    public static final int LEAKED = 1;
    public static final int REFCOUNT_ZERO = 2;
    public static final int OVERLAP = 3;
    public static final int OVERLAP_SUBCLUSTER = 5;
    public static final int CLUSTER = 65536;
    public static final int SUBCLUSTER = CLUSTER / 32;

    private DamagedImages() {
    }

    /** Writes {@code damaged.qcow2} in {@code dir} and returns it. */
    public static Path leakRefcountZeroAndOverlap(Path dir) throws IOException {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536,extended_l2=on", "damaged.qcow2", "4M");
        Qemu.io(dir, "damaged.qcow2", "write -P 0x11 0 64k", "write -P 0x22 64k 64k", "write -P 0x33 128k 64k",
                "write -P 0x44 192k 64k");
        Path p = dir.resolve("damaged.qcow2");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(40);
            long l1 = f.readLong();
            f.seek(48);
            long reftable = f.readLong();
            f.seek(l1);
            long l2 = f.readLong() & 0x00FFFFFFFFFFFE00L;
            f.seek(reftable);
            long block = f.readLong() & ~0x1FFL;
            // the leak: both words of the entry cleared
            f.seek(l2 + 16L * LEAKED);
            f.writeLong(0);
            f.writeLong(0);
            // refcount 0 (refcount_order 4: 16-bit entries) for the data cluster of REFCOUNT_ZERO
            f.seek(l2 + 16L * REFCOUNT_ZERO);
            long host = (f.readLong() & 0x00FFFFFFFFFFFE00L) / CLUSTER;
            f.seek(block + 2 * host);
            f.writeShort(0);
            // the zero bit of an allocated subcluster (bitmap word: alloc bits 0-31, zero bits 32-63)
            f.seek(l2 + 16L * OVERLAP + 8);
            long bitmap = f.readLong();
            f.seek(l2 + 16L * OVERLAP + 8);
            f.writeLong(bitmap | 1L << (32 + OVERLAP_SUBCLUSTER));
        }
        return p;
    }

    /**
     * Writes {@code shared.qcow2}: 64 KiB clusters, 4 MiB, guest clusters 0 and 1 written (0x11, 0x22) by qemu-io, then
     * guest cluster 1's L2 entry pointed at guest cluster 0's data cluster: that cluster has two references and refcount
     * 1 (raise it, or unshare it), and cluster 1's old data cluster leaks.
     */
    public static Path sharedCluster(Path dir) throws IOException {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", "shared.qcow2", "4M");
        Qemu.io(dir, "shared.qcow2", "write -P 0x11 0 64k", "write -P 0x22 64k 64k");
        Path p = dir.resolve("shared.qcow2");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(40);
            long l1 = f.readLong();
            f.seek(l1);
            long l2 = f.readLong() & 0x00FFFFFFFFFFFE00L;
            f.seek(l2);
            long first = f.readLong();
            f.seek(l2 + 8);
            f.writeLong(first);
        }
        return p;
    }
}
