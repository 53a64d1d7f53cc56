package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.io.NativeFile;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * COW regions that read as zeros (a raw backing file's holes, zero flags) copied onto host bytes that already read as
 * zeros are not written: the image must still be QEMU's. qemu-io runs the same writes on a copy; both files are then
 * byte for byte equal (same size, same host offsets, same metadata, same guest bytes: {@code qemu-img compare} too, and
 * {@link QemuIoDifferentialTest}'s L2 dump), while ours leaves the copied zeros as holes where the file can have them.
 */
class ZeroRangeCowTest {
    @TempDir
    static Path dir;

    /** hole.raw: 4 MiB, a hole but for its last byte (as the lab's backing file); part.raw: data in two places. */
    @BeforeAll
    static void backings() throws IOException {
        Qemu.requireInstalled();
        try (FileChannel ch = FileChannel.open(dir.resolve("hole.raw"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1}), (4L << 20) - 1);
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("part.raw"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(filled(64 << 10, 0x33)), 1L << 20);
            ch.write(ByteBuffer.wrap(filled(8 << 10, 0x44)), (3L << 20) + (40 << 10));
            ch.truncate(4L << 20);
        }
        Qemu.img(dir, "create", "-f", "qcow2", "zeros.qcow2", "4M");
        Qemu.io(dir, "zeros.qcow2", "write -P 0x55 0 64k", "write -z 1M 1M");
    }

    private static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        java.util.Arrays.fill(out, (byte) b);
        return out;
    }

    static QemuIoDifferentialTest.Scenario s(String name, String opts, String backing, String... ops) {
        return QemuIoDifferentialTest.s(name, opts, backing, new String[0], ops);
    }

    static Stream<QemuIoDifferentialTest.Scenario> scenarios() {
        List<QemuIoDifferentialTest.Scenario> l = new ArrayList<>();
        String[] random = {"write -P 1 4k 4k", "write -P 2 1000k 4k", "write -P 3 2052k 4k", "write -P 4 3M 4k",
            "write -P 5 8k 4k", "write -P 6 1020k 8k", "write -P 7 4088k 4k"};
        l.add(s("std 64K over a hole", "", "hole.raw", random));
        l.add(s("std 2M over a hole", "cluster_size=2M", "hole.raw", random));
        l.add(s("ext-L2 64K over a hole", "extended_l2=on", "hole.raw", random));
        l.add(s("ext-L2 1M over a hole", "extended_l2=on,cluster_size=1M", "hole.raw", random));
        l.add(s("std 64K over data and holes", "", "part.raw", "write -P 1 1040k 4k", "write -P 2 3100k 4k",
                "write -P 3 1100k 4k", "write -P 4 3076k 1k"));
        l.add(s("ext-L2 256K over data and holes", "extended_l2=on,cluster_size=256k", "part.raw",
                "write -P 1 1040k 4k", "write -P 2 3100k 4k", "write -P 3 3080k 4k", "write -P 4 2M 4k"));
        l.add(s("std 64K over qcow2 zero clusters", "", "zeros.qcow2", "write -P 1 1100k 4k", "write -P 2 32k 4k",
                "write -P 3 2500k 4k"));
        // freed clusters below the end of the file are reused: their old bytes must be overwritten with the zeros
        l.add(s("std 64K over a hole, freed cluster reused", "", "hole.raw", "write -P 1 0 64k",
                "write -P 2 1M 64k", "discard 0 64k", "write -P 3 2M 4k", "write -P 4 3M 4k"));
        return l.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void sameFileAsQemu(QemuIoDifferentialTest.Scenario sc) throws Exception {
        Path work = QemuIoDifferentialTest.assertSameAsQemu(dir, sc, "4M");
        Path ours = work.resolve("ours.qcow2");
        Path theirs = work.resolve("theirs.qcow2");
        assertEquals(Files.size(theirs), Files.size(ours), "file size");
        assertEquals(-1, Files.mismatch(ours, theirs), "byte for byte");
        if (sc.backing().equals("hole.raw") && !sc.name().contains("freed") && NativeFile.isNativeAvailable()) {
            long a = allocated(ours);
            long b = allocated(theirs);
            boolean copies = !sc.name().startsWith("ext-L2 64K"); // 4 KiB writes on 2 KiB subclusters copy nothing
            assertTrue(copies ? a < b : a <= b, "ours leaves the copied zeros as holes: " + a + " vs " + b + " bytes allocated");
        }
    }

    private static long allocated(Path p) throws IOException {
        try (NativeFile f = NativeFile.open(p, false)) {
            return f.allocatedBytes();
        }
    }
}
