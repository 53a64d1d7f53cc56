package io.qcowscope.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OFD lock semantics and the permission protocol between descriptors of this JVM. */
class NativeFileLockTest {

    @TempDir
    Path dir;
    Path img;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(NativeFile.isNativeAvailable());
        img = dir.resolve("img.bin");
        try (RandomAccessFile raf = new RandomAccessFile(img.toFile(), "rw")) {
            raf.setLength(65536);
        }
    }

    @Test
    void ofdLocksBelongToTheDescriptor() throws IOException {
        NativeFile b = NativeFile.open(img, false);
        try (NativeFile a = NativeFile.open(img, false)) {
            assertTrue(a.lockShared(101));
            assertFalse(a.isLockedByOthers(101), "own lock ignored");
            assertTrue(b.isLockedByOthers(101), "same process, other descriptor");
            assertFalse(b.isLockedByOthers(100));
            assertTrue(b.lockShared(101), "shared locks coexist");
            a.unlock(101);
            assertTrue(a.isLockedByOthers(101), "b still holds it");
            b.close();
            assertFalse(a.isLockedByOthers(101), "closing releases");
        } finally {
            b.close();
        }
    }

    @Test
    void permissionProtocolBetweenTwoOpeners() throws IOException {
        try (ImageLocks w = ImageLocks.acquireForWriting(img)) {
            assertArrayEquals(new int[] {100, 101, 103, 201, 203}, w.heldBytes());
            ImageLockedException e = assertThrows(ImageLockedException.class, () -> ImageLocks.acquireForWriting(img));
            assertEquals(ImageLocks.HOLD_WRITE, e.lockByte());
            assertTrue(e.getMessage().startsWith(
                    "image is locked by another process (byte 101: another writer); is a QEMU process using it?"),
                    e.getMessage());
            assertEquals(101, assertThrows(ImageLockedException.class, () -> ImageLocks.acquireForReading(img)).lockByte());
            try (ImageLocks r = ImageLocks.acquireSharedRead(img)) {
                assertTrue(r.foreignWriter());
                assertArrayEquals(new int[] {100}, r.heldBytes());
            }
        }
        try (ImageLocks r = ImageLocks.acquireForReading(img)) {
            assertArrayEquals(new int[] {100, 201, 203}, r.heldBytes());
            assertEquals(201, assertThrows(ImageLockedException.class, () -> ImageLocks.acquireForWriting(img)).lockByte());
            try (ImageLocks r2 = ImageLocks.acquireForReading(img); ImageLocks s = ImageLocks.acquireSharedRead(img)) {
                assertFalse(s.foreignWriter());
                assertEquals(65536, r2.file().size());
            }
        }
        try (ImageLocks w = ImageLocks.acquireForWriting(img)) {
            assertTrue(w.file().isNative());
        }
    }
}
