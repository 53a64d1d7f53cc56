package io.qcowscope.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeFileSparseTest {

    private static final int K4 = 4096;
    private static final long M1 = 1L << 20;
    private static final long M4 = 4L << 20;

    @TempDir
    Path dir;

    /** 4 MiB file with 4 KiB of data at 0 and at 1 MiB, holes elsewhere. */
    private Path sparseFile() throws IOException {
        Path p = dir.resolve("sparse.bin");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(M4);
            byte[] block = new byte[K4];
            java.util.Arrays.fill(block, (byte) 0x5a);
            raf.seek(0);
            raf.write(block);
            raf.seek(M1);
            raf.write(block);
            raf.getFD().sync();
        }
        return p;
    }

    @Test
    void nativeIsAvailableOnSupportedLinux() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        assumeTrue(os.equals("linux") && (arch.equals("amd64") || arch.equals("aarch64")));
        assumeTrue(!"false".equalsIgnoreCase(System.getProperty(NativeFile.DISABLE_PROPERTY)));
        assertTrue(NativeFile.isNativeAvailable(), "JNA/libc should load on " + os + "/" + arch);
    }

    @Test
    void punchHoleDeallocatesAndKeepsTheSize() throws IOException {
        assumeTrue(NativeFile.isNativeAvailable());
        Path p = sparseFile();
        try (NativeFile f = NativeFile.open(p, true)) {
            assumeTrue(f.allocatedBytes() < M4, "file system does not create holes");
            long before = f.allocatedBytes();
            assertTrue(f.punchHole(M1, K4));
            assertEquals(before - K4, f.allocatedBytes());
            assertEquals(M4, f.size());
            assertEquals(-1, f.seekData(K4));
        }
        byte[] back = java.nio.file.Files.readAllBytes(p);
        assertEquals(0, back[(int) M1]);
        assertEquals(0x5a, back[0]);
    }

    @Test
    void fallbackCannotPunchAndLeavesTheBytes() throws IOException {
        Path p = sparseFile();
        try (NativeFile f = NativeFile.openFallback(p, true)) {
            assertTrue(!f.punchHole(M1, K4));
        }
        assertEquals(0x5a, java.nio.file.Files.readAllBytes(p)[(int) M1]);
    }

    @Test
    void seekDataAndHoleFindBoundaries() throws IOException {
        assumeTrue(NativeFile.isNativeAvailable());
        Path p = sparseFile();
        try (NativeFile f = NativeFile.open(p, false)) {
            assertTrue(f.isNative());
            assumeTrue(f.allocatedBytes() < M4, "file system does not create holes");
            assertEquals(M4, f.size());
            assertEquals(0, f.seekData(0));
            assertEquals(K4, f.seekHole(0));
            assertEquals(K4, f.seekHole(100));
            assertEquals(M1, f.seekData(K4));
            assertEquals(K4 + 1, f.seekHole(K4 + 1)); // already inside a hole
            assertEquals(M1 + 100, f.seekData(M1 + 100)); // already inside data
            assertEquals(M1 + K4, f.seekHole(M1));
            assertEquals(-1, f.seekData(M1 + K4)); // trailing hole: no more data
            assertEquals(M1 + K4, f.seekHole(M1 + K4));
            assertEquals(-1, f.seekData(M4));
            assertEquals(-1, f.seekHole(M4));
            assertThrows(IllegalArgumentException.class, () -> f.seekData(-1));
        }
    }

    @Test
    void allocatedBytesAndSizeMatchStat() throws Exception {
        assumeTrue(NativeFile.isNativeAvailable());
        Path p = sparseFile();
        Procs.Result r = Procs.run(dir, "stat", "-c", "%b %B %s", p.toString());
        assertEquals(0, r.exit(), r::toString);
        String[] f = r.stdout().trim().split(" ");
        long blocks = Long.parseLong(f[0]);
        long unit = Long.parseLong(f[1]);
        long size = Long.parseLong(f[2]);
        try (NativeFile nf = NativeFile.open(p, false)) {
            assertEquals(blocks * unit, nf.allocatedBytes());
            assertEquals(size, nf.size());
            assertTrue(nf.allocatedBytes() >= 2 * K4, "both data blocks are allocated");
        }
    }

    @Test
    void missingFileAndClosedFile() throws IOException {
        assertThrows(NoSuchFileException.class, () -> NativeFile.open(dir.resolve("nope"), false));
        NativeFile f = NativeFile.open(sparseFile(), false);
        f.close();
        f.close(); // idempotent
        assertThrows(IOException.class, f::size);
    }
}
