package io.qcowscope.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeFileFallbackTest {

    @TempDir
    Path dir;

    private Path file(long size) throws IOException {
        Path p = dir.resolve("f.bin");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(size);
        }
        return p;
    }

    @Test
    void treatsWholeFileAsData() throws IOException {
        try (NativeFile f = NativeFile.openFallback(file(1 << 20), false)) {
            assertFalse(f.isNative());
            assertEquals(1 << 20, f.size());
            assertEquals(1 << 20, f.allocatedBytes());
            assertEquals(0, f.seekData(0));
            assertEquals(4096, f.seekData(4096));
            assertEquals(1 << 20, f.seekHole(0));
            assertEquals(-1, f.seekData(1 << 20));
            assertEquals(-1, f.seekHole(1 << 20));
        }
    }

    @Test
    void posixLocksSeeEachOtherAndNativeOfdLocks() throws IOException {
        Path p = file(4096);
        try (NativeFile fb = NativeFile.openFallback(p, true)) {
            assertTrue(fb.lockShared(101));
            assertFalse(fb.isLockedByOthers(101), "own lock is not reported");
            fb.unlock(101);
            assertFalse(fb.isLockedByOthers(101));

            assumeTrue(NativeFile.isNativeAvailable());
            try (NativeFile nat = NativeFile.open(p, false)) {
                assertTrue(nat.lockShared(201));
                assertTrue(fb.isLockedByOthers(201), "POSIX probe sees the OFD lock");
                assertTrue(fb.lockShared(201), "shared locks coexist");
                assertTrue(nat.isLockedByOthers(201), "OFD probe sees the POSIX lock");
                fb.unlock(201);
                assertFalse(nat.isLockedByOthers(201));
            }
            assertFalse(fb.isLockedByOthers(201));
        }
    }
}
