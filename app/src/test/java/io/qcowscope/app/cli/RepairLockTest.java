package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repair never runs on an image that another process (a QEMU) holds: neither in place nor to a copy. */
class RepairLockTest {
    @TempDir
    Path d;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    @Test
    void repairRefusesAnImageQemuHoldsForWriting() throws Exception {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "a.qcow2", "64M");
        Qemu.io(d, "a.qcow2", "write -P 0x11 0 128k");
        ImageBytes b = new ImageBytes(d.resolve("a.qcow2"));
        b.u64(b.l2Table(0) + 8, 0);
        byte[] before = Files.readAllBytes(d.resolve("a.qcow2"));
        Process holder = new ProcessBuilder("qemu-io", "-c", "sleep 60000", d.resolve("a.qcow2").toString())
                .redirectErrorStream(true).start();
        try {
            waitForLock(holder, d.resolve("a.qcow2"));
            Cli.Run inPlace = Cli.run("repair", d.resolve("a.qcow2").toString(), "--apply", "--in-place", "--journal",
                    d.resolve("a.undo").toString());
            assertEquals(1, inPlace.exitCode(), inPlace.stdout());
            assertTrue(inPlace.stderr().contains("locked"), inPlace.stderr());
            Cli.Run copy = Cli.run("repair", d.resolve("a.qcow2").toString(), "--apply", "--to",
                    d.resolve("b.qcow2").toString());
            assertEquals(1, copy.exitCode());
            assertTrue(copy.stderr().contains("locked"), copy.stderr());
            Cli.Run qemuStyle = Cli.run("check", "-r", "all", d.resolve("a.qcow2").toString());
            assertEquals(1, qemuStyle.exitCode());
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        assertArrayEquals(before, Files.readAllBytes(d.resolve("a.qcow2")), "untouched");
        assertTrue(Files.notExists(d.resolve("b.qcow2")), "no copy written");
        Cli.Run ok = Cli.run("repair", d.resolve("a.qcow2").toString(), "--apply", "--to", d.resolve("b.qcow2").toString());
        assertEquals(0, ok.exitCode(), ok.stderr());
    }

    /** Waits until qemu-io's write lock on byte 101 shows in /proc/locks. */
    static void waitForLock(Process p, Path image) throws Exception {
        io.qcowscope.engine.testkit.QemuHolder.waitForLock(p, image);
    }
}
