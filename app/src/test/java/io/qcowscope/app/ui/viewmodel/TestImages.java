package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.app.ui.task.SyncTaskExecutor;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Images made by qemu-img/qemu-io with known facts, for view-model and view tests. 64 KiB clusters, extended L2 (32
 * subclusters of 2 KiB), 4 MiB: guest cluster 0 has subclusters 0-3 written; cluster 2 has subclusters 0-7 zero; cluster
 * 16 is compressed; snapshot "s1" is taken, then cluster 32 is written. The backing file holds clusters 0-2.
 */
public final class TestImages {
    public static final long PARTLY_WRITTEN = 0;
    public static final long ZEROED = 2;
    public static final long FROM_BACKING = 1;
    public static final long COMPRESSED = 16;
    public static final long AFTER_SNAPSHOT = 32;

    private TestImages() {
    }

    /** Makes base.qcow2 and top.qcow2 in {@code dir}; returns top.qcow2. */
    public static Path extendedWithBacking(Path dir) {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", "base.qcow2", "4M");
        Qemu.io(dir, "base.qcow2", "write -P 0x11 0 192k");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536,extended_l2=on", "-b", "base.qcow2",
                "-F", "qcow2", "top.qcow2", "4M");
        Qemu.io(dir, "top.qcow2", "write -P 0xaa 0 8k", "write -z 128k 16k");
        Qemu.io(dir, "top.qcow2", "write -c -P 0x5a 1M 64k");
        Qemu.img(dir, "snapshot", "-c", "s1", "top.qcow2");
        Qemu.io(dir, "top.qcow2", "write -P 0xcc 2M 64k");
        return dir.resolve("top.qcow2");
    }

    /**
     * bitmaps.qcow2 (64 MiB, 64 KiB clusters) with two persistent bitmaps: "tracked" (64 KiB granularity, auto) that saw
     * two writes, so its one table entry points to a cluster of bits, and "quiet" (1 MiB, disabled) added afterwards,
     * whose one entry is all zeros.
     */
    public static Path withBitmaps(Path dir) {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", "bitmaps.qcow2", "64M");
        Qemu.img(dir, "bitmap", "--add", "bitmaps.qcow2", "tracked");
        Qemu.io(dir, "bitmaps.qcow2", "write -P 0x1 1M 64k", "write -P 0x2 40M 4k");
        Qemu.img(dir, "bitmap", "--add", "-g", "1M", "--disable", "bitmaps.qcow2", "quiet");
        return dir.resolve("bitmaps.qcow2");
    }

    /** A plain image (no backing) whose L2 entry for guest cluster {@code guest} is zeroed after writing: a leak. */
    public static Path withLeak(Path dir, long guestCluster) throws IOException {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", "leak.qcow2", "4M");
        Qemu.io(dir, "leak.qcow2", "write -P 0x1 0 64k", "write -P 0x2 " + guestCluster * 65536 + " 64k");
        Path p = dir.resolve("leak.qcow2");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(40);
            long l1 = f.readLong();
            f.seek(l1);
            long l2 = f.readLong() & 0x00FFFFFFFFFFFE00L;
            f.seek(l2 + 8 * guestCluster);
            f.writeLong(0);
        }
        return p;
    }

    /** Moves the backing file of {@code top} into a sibling folder so that the default trust policy refuses it. */
    public static Path withBackingOutsideFolder(Path dir) throws IOException {
        Path b = Files.createDirectories(dir.resolve("b"));
        Path t = Files.createDirectories(dir.resolve("t"));
        Qemu.img(b, "create", "-q", "-f", "qcow2", "base.qcow2", "1M");
        Qemu.io(b, "base.qcow2", "write -P 0x11 0 64k");
        Qemu.img(t, "create", "-q", "-f", "qcow2", "-b", "../b/base.qcow2", "-F", "qcow2", "top.qcow2", "1M");
        return t.resolve("top.qcow2");
    }

    /** A main view-model on the synchronous executor with {@code image} open. */
    public static MainViewModel open(Path image) {
        MainViewModel vm = new MainViewModel(new SyncTaskExecutor(), RecentFiles.inMemory());
        vm.open(image);
        return vm;
    }
}
