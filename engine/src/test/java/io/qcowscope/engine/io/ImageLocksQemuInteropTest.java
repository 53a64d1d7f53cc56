package io.qcowscope.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImageLocks} against real qemu-io processes (qcow2-spec.md section 7). */
class ImageLocksQemuInteropTest {

    @TempDir
    Path dir;
    Path img;

    @BeforeEach
    void createImage() throws Exception {
        assumeTrue(Procs.onPath("qemu-io"), "qemu-io not on PATH");
        img = dir.resolve("x.qcow2");
        Procs.Result r = Procs.run(dir, "qemu-img", "create", "-f", "qcow2", img.toString(), "1M");
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    void refusesToWriteWhileQemuWrites() throws Exception {
        Process holder = Procs.start(dir, List.of("qemu-io", "-c", "sleep 60000", img.toString()));
        try {
            awaitLockedInProcLocks(holder, 101, 201);
            ImageLockedException e = assertThrows(ImageLockedException.class, () -> ImageLocks.acquireForWriting(img));
            assertTrue(List.of(101, 103, 201, 203).contains(e.lockByte()), e.getMessage());
            assertTrue(e.getMessage().contains("is a QEMU process using it?"), e.getMessage());
            try (ImageLocks r = ImageLocks.acquireSharedRead(img)) {
                assertTrue(r.foreignWriter());
                assertEquals(Files.size(img), r.file().size());
            }
        } finally {
            Procs.stop(holder);
        }
        try (ImageLocks w = ImageLocks.acquireForWriting(img)) {
            assertTrue(w.file().size() > 0);
        }
    }

    @Test
    void qemuRefusesToOpenWhileWeWrite() throws Exception {
        try (ImageLocks w = ImageLocks.acquireForWriting(img)) {
            assertEquals(5, w.heldBytes().length);
            Procs.Result rw = Procs.run(dir, "qemu-io", "-c", "read 0 512", img.toString());
            assertNotEquals(0, rw.exit(), rw::toString);
            assertTrue(rw.stderr().toLowerCase(Locale.ROOT).contains("lock"), rw::toString);
            Procs.Result ro = Procs.run(dir, "qemu-io", "-r", "-c", "read 0 512", img.toString());
            assertNotEquals(0, ro.exit(), ro::toString);
            assertTrue(ro.stderr().toLowerCase(Locale.ROOT).contains("lock"), ro::toString);
        }
        Procs.Result rw = Procs.run(dir, "qemu-io", "-c", "read 0 512", img.toString());
        assertEquals(0, rw.exit(), rw::toString);
        Procs.Result ro = Procs.run(dir, "qemu-io", "-r", "-c", "read 0 512", img.toString());
        assertEquals(0, ro.exit(), ro::toString);
    }

    /** Polls /proc/locks (up to 10 s) until every byte in {@code bytes} of the image is locked. */
    private void awaitLockedInProcLocks(Process holder, int... bytes) throws IOException, InterruptedException {
        long ino = ((Number) Files.getAttribute(img, "unix:ino")).longValue();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!holder.isAlive()) {
                fail("qemu-io exited early with " + holder.exitValue());
            }
            List<String> lines = Files.readAllLines(Path.of("/proc/locks"));
            boolean all = true;
            for (int b : bytes) {
                all &= lines.stream().anyMatch(l -> covers(l, ino, b));
            }
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        fail("qemu-io did not lock the image within 10 s");
    }

    /** Parses "1: OFDLCK ADVISORY READ -1 fe:00:2146583 100 101" (ranges may be merged). */
    private static boolean covers(String line, long ino, long b) {
        String[] f = line.trim().split("\\s+");
        for (int i = 0; i + 2 < f.length; i++) {
            String[] dev = f[i].split(":");
            if (dev.length == 3 && dev[2].equals(Long.toString(ino))) {
                long start = Long.parseLong(f[i + 1]);
                String end = f[i + 2];
                return start <= b && (end.equals("EOF") || b <= Long.parseLong(end));
            }
        }
        return false;
    }
}
