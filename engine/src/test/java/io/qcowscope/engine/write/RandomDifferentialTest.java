package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random writes, zero writes (with and without unmap) and discards, fixed seed, on every cluster size with and without
 * extended L2 and a backing file, checked against a plain byte array after every batch (through our reader and through
 * {@code qemu-img convert}), with {@code qemu-img check} clean after every batch.
 */
class RandomDifferentialTest {
    private static final long DISK = 8L << 20;
    private static final int BATCHES = 4;
    private static final int OPS_PER_BATCH = 60;

    @TempDir
    static Path dir;
    static byte[] backingContent;

    @BeforeAll
    static void backing() throws Exception {
        Qemu.requireInstalled();
        backingContent = new byte[(int) DISK];
        Random r = new Random(7);
        for (int i = 0; i < backingContent.length; i += 512) {
            // sectors of random bytes, runs of zeros between them so zero-detection paths are exercised
            if (r.nextInt(4) != 0) {
                byte v = (byte) (1 + r.nextInt(255));
                Arrays.fill(backingContent, i, i + 512, v);
            }
        }
        Files.write(dir.resolve("base.raw"), backingContent);
    }

    record Config(int clusterBits, boolean extL2, boolean backing) {
        @Override
        public String toString() {
            return (1 << clusterBits) + (extL2 ? " ext-L2" : "") + (backing ? " backing" : "");
        }
    }

    static Stream<Config> configs() {
        return Stream.of(9, 12, 14, 16, 17, 19, 21).flatMap(cb -> Stream.of(false, true)
                .filter(ext -> !ext || cb >= 14)
                .flatMap(ext -> Stream.of(false, true).map(b -> new Config(cb, ext, b))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void randomOperationsMatchByteArray(Config c) throws Exception {
        Path img = dir.resolve("r-" + c.toString().replace(' ', '_') + ".qcow2");
        CreateOptions o = CreateOptions.of(DISK).withClusterSize(1L << c.clusterBits()).withExtendedL2(c.extL2());
        if (c.backing()) {
            o = o.withBacking("base.raw", "raw");
        }
        ImageCreator.create(img, o);
        byte[] model = c.backing() ? backingContent.clone() : new byte[(int) DISK];
        Random r = new Random(42L * c.clusterBits() + (c.extL2() ? 1 : 0) + (c.backing() ? 2 : 0));
        for (int batch = 0; batch < BATCHES; batch++) {
            try (WritableImage w = WritableImage.open(img)) {
                for (int i = 0; i < OPS_PER_BATCH; i++) {
                    randomOp(w, model, r, c);
                }
                byte[] seen = new byte[(int) DISK];
                w.read(0, seen, 0, seen.length);
                assertArrayEquals(model, seen, "our reader after batch " + batch);
            }
            Qemu.Result check = Qemu.imgAllowFail(dir, "check", img.getFileName().toString());
            assertEquals(0, check.exitCode(), "batch " + batch + ": " + check.stdout() + check.stderr());
            Path raw = dir.resolve("out.raw");
            Qemu.img(dir, "convert", "-O", "raw", img.getFileName().toString(), "out.raw");
            assertArrayEquals(model, Files.readAllBytes(raw), "qemu-img convert after batch " + batch);
        }
    }

    private static void randomOp(WritableImage w, byte[] model, Random r, Config c) throws Exception {
        long cs = 1L << c.clusterBits();
        // offsets cluster-aligned, subcluster-aligned, sector-aligned or arbitrary; lengths small to a few clusters
        long off = switch (r.nextInt(4)) {
            case 0 -> (long) r.nextInt((int) (DISK / cs)) * cs;
            case 1 -> (long) r.nextInt((int) (DISK / (cs / 32 == 0 ? 1 : Math.max(512, cs / 32))))
                    * Math.max(512, cs / 32);
            case 2 -> (long) r.nextInt((int) (DISK / 512)) * 512;
            default -> r.nextInt((int) DISK);
        };
        long maxLen = Math.min(DISK - off, Math.min(3 * cs, 1 << 20));
        if (maxLen <= 0) {
            return;
        }
        int len = 1 + r.nextInt((int) maxLen);
        if (r.nextBoolean() && len >= 512) {
            len &= ~511;
        }
        int kind = r.nextInt(10);
        if (kind < 6) {
            byte[] data = new byte[len];
            byte v = (byte) r.nextInt(256);
            Arrays.fill(data, v);
            data[0] = (byte) r.nextInt(256);
            w.write(off, data);
            System.arraycopy(data, 0, model, (int) off, len);
        } else if (kind < 9) {
            w.writeZeroes(off, len, kind == 8);
            Arrays.fill(model, (int) off, (int) off + len, (byte) 0);
        } else {
            w.discard(off, len);
            // discard makes whole clusters read as zeros (v3), partial clusters are left alone
            long start = (off + cs - 1) / cs * cs;
            long end = off + len == DISK ? DISK : (off + len) / cs * cs;
            if (end > start) {
                Arrays.fill(model, (int) start, (int) end, (byte) 0);
            }
        }
    }

    static List<Config> all() {
        return configs().toList();
    }
}
