package io.qcowscope.app.demo;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.write.CreateOptions;
import io.qcowscope.engine.write.ImageCreator;
import io.qcowscope.engine.write.WritableImage;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The built-in demo image, made on the fly by the engine in a temporary folder, chosen to show everything worth seeing: a
 * backing file, extended L2 with partly allocated and zero subclusters, a compressed cluster, an internal snapshot (so
 * refcounts reach 2) and a leaked cluster.
 */
public final class DemoImage {
    private static final int K = 1024;

    private DemoImage() {
    }

    /** Writes the demo image and its backing file into a new temporary folder; returns the top image. */
    public static Path create() throws IOException {
        Path dir = Files.createTempDirectory("qcowscope-demo");
        Path base = dir.resolve("base.qcow2");
        Path demo = dir.resolve("demo.qcow2");
        ImageCreator.create(base, CreateOptions.of(4 << 20).withClusterSize(64 * K));
        try (WritableImage w = WritableImage.open(base)) {
            w.write(0, fill(0x11, 192 * K));
            w.write(1 << 20, fill(0x22, 64 * K));
            w.write(3 << 20, fill(0x33, 128 * K));
        }
        // Extended L2: 32 subclusters of 2 KiB per 64 KiB cluster, over the backing file.
        ImageCreator.create(demo, CreateOptions.of(4 << 20).withClusterSize(64 * K).withExtendedL2(true)
                .withBacking("base.qcow2", "qcow2"));
        try (WritableImage w = WritableImage.open(demo)) {
            w.write(0, fill(0xaa, 8 * K));
            w.write(70 * K, fill(0xbb, 10 * K));
            w.writeZeroes(128 * K, 16 * K, false);
            w.write(2048 * K, fill(0xcc, 64 * K));
            w.write(2112 * K, fill(0xdd, 64 * K));
            w.writeZeroes(2240 * K, 64 * K, false);
            // Zero subclusters inside an allocated cluster: the cluster keeps its host offset (ZERO_ALLOC).
            w.writeZeroes(2112 * K + 32 * K, 8 * K, false);
            w.writeCompressed(2560 * K, compressible(64 * K));
            // The clusters written so far become shared with the snapshot (refcount 2); then the image diverges.
            w.snapshotManager().create("before-edit");
            w.write(2048 * K, fill(0xee, 16 * K));
            w.write(3200 * K, fill(0x77, 64 * K));
            w.write(3584 * K, fill(0x99, 64 * K));
        }
        leak(demo, 3584L * K);
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> f.toFile().deleteOnExit());
        }
        dir.toFile().deleteOnExit();
        return demo;
    }

    /** Drops the L2 entry of a guest cluster by patching its bytes: its host cluster keeps refcount 1, a leak. */
    static void leak(Path image, long guest) throws IOException {
        long entryAt;
        try (Qcow2Image img = Qcow2Image.open(image, OpenOptions.readOnly().withBackingChain(false))) {
            var g = img.geometry();
            long l2 = L1Entry.l2Offset(img.l1Entry(g.l1Index(guest)));
            entryAt = l2 + (long) g.l2Index(guest) * g.l2EntrySize();
        }
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(entryAt);
            f.write(new byte[16]);
        }
    }

    private static byte[] fill(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] compressible(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) "qcowscope demo ".charAt(i % 15);
        }
        return b;
    }
}
