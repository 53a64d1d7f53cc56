package io.qcowscope.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.engine.storage.FileStorage;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest reads into a direct buffer (the copy-on-write path's) give the same bytes as reads into a heap array and as
 * {@code qemu-img convert -O raw}: data clusters, zero clusters, a compressed cluster, unallocated ranges over a raw
 * backing file with data and holes, and the part past the end of a short backing file.
 */
class DirectBufferReadTest {
    @TempDir
    static Path dir;
    static byte[] expected;

    @BeforeAll
    static void images() throws IOException {
        Qemu.requireInstalled();
        try (FileChannel ch = FileChannel.open(dir.resolve("base.raw"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            byte[] data = new byte[200 << 10];
            Arrays.fill(data, (byte) 0x33);
            ch.write(ByteBuffer.wrap(data), 1L << 20);
            ch.write(ByteBuffer.wrap(new byte[]{0x44, 0x45}), (3L << 20) - 2);
        }
        Qemu.img(dir, "create", "-f", "qcow2", "-b", "base.raw", "-F", "raw", "top.qcow2", "4M");
        Qemu.io(dir, "top.qcow2", "write -P 0x11 0 64k", "write -c -P 0x22 128k 64k", "write -z 1088k 64k",
                "write -P 0x55 1100k 4k", "write -P 0x66 2990k 70k");
        Qemu.img(dir, "convert", "-O", "raw", "top.qcow2", "top.raw");
        expected = Files.readAllBytes(dir.resolve("top.raw"));
    }

    @Test
    void directAndHeapReadsMatchQemu() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        ByteBuffer direct = ByteBuffer.allocateDirect(1 << 20);
        try (Qcow2Image img = Qcow2Image.open(dir.resolve("top.qcow2"))) {
            assertEquals(expected.length, img.virtualSize());
            for (int i = 0; i < 300; i++) {
                int len = 1 + r.nextInt(i % 3 == 0 ? 1 << 20 : 96 << 10);
                long off = r.nextLong(expected.length - len + 1);
                byte[] want = Arrays.copyOfRange(expected, (int) off, (int) off + len);
                byte[] heap = new byte[len];
                img.read(off, heap, 0, len);
                assertArrayEquals(want, heap, "heap read at " + off + " +" + len);
                int at = r.nextInt(direct.capacity() - len + 1);
                direct.clear().position(at).limit(at + len);
                img.read(off, direct);
                assertEquals(at + len, direct.position(), "position at the limit");
                byte[] got = new byte[len];
                direct.get(at, got);
                assertArrayEquals(want, got, "direct read at " + off + " +" + len + " into " + at);
            }
        }
    }

    @Test
    void fileStorageReadsZerosPastTheEndIntoADirectBuffer() throws IOException {
        try (FileStorage s = FileStorage.openReadOnly(dir.resolve("base.raw"))) {
            ByteBuffer b = ByteBuffer.allocateDirect(16);
            b.put(0, new byte[]{9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
            s.read(s.size() - 2, b);
            byte[] got = new byte[16];
            b.get(0, got);
            byte[] want = new byte[16];
            want[0] = 0x44;
            want[1] = 0x45;
            assertArrayEquals(want, got);
        }
    }
}
