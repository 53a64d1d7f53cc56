package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.testkit.Qemu;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-side commands against qemu-io doing the same on a copy. */
class WriteCommandsTest {
    @TempDir
    Path dir;

    private int run(StringWriter err, String... args) {
        return QcowscopeCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    }

    @Test
    void createWriteZeroDiscardSnapshotLikeQemu() throws Exception {
        Qemu.requireInstalled();
        StringWriter err = new StringWriter();
        Path ours = dir.resolve("ours.qcow2");
        assertEquals(0, run(err, "create", "--extended-l2", "--cluster-size", "128k", ours.toString(), "64M"), err.toString());
        Qemu.img(dir, "create", "-f", "qcow2", "-o", "extended_l2=on,cluster_size=128k", "theirs.qcow2", "64M");
        assertEquals(-1, Files.mismatch(ours, dir.resolve("theirs.qcow2")));
        Path data = dir.resolve("data.bin");
        Files.write(data, new byte[3000]);
        assertEquals(0, run(err, "write", ours.toString(), "5k", "--pattern", "0x5a", "--length", "2k"), err.toString());
        assertEquals(0, run(err, "write", ours.toString(), "1M", "--from", data.toString()), err.toString());
        assertEquals(0, run(err, "zero", ours.toString(), "8k", "4k"), err.toString());
        assertEquals(0, run(err, "zero", "--unmap", ours.toString(), "2M", "256k"), err.toString());
        assertEquals(0, run(err, "discard", ours.toString(), "4M", "128k"), err.toString());
        assertEquals(0, run(err, "snapshot", "-c", "s1", ours.toString()), err.toString());
        Qemu.io(dir, "theirs.qcow2", "write -P 0x5a 5k 2k", "write -P 0 1M 3000", "write -z 8k 4k",
                "write -z -u 2M 256k", "discard 4M 128k");
        Qemu.img(dir, "snapshot", "-c", "s1", "theirs.qcow2");
        Qemu.img(dir, "compare", "ours.qcow2", "theirs.qcow2");
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "ours.qcow2").exitCode());
        assertTrue(Qemu.img(dir, "snapshot", "-l", "ours.qcow2").stdout().contains("s1"));
        StringWriter out = new StringWriter();
        assertEquals(0, QcowscopeCommand.run(new PrintWriter(out), new PrintWriter(err), "snapshot", "-l", ours.toString()));
        assertTrue(out.toString().contains("s1"), out.toString());
    }

    @Test
    void refusesAnImageQemuIsWriting() throws Exception {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-f", "qcow2", "a.qcow2", "16M");
        Process q = new ProcessBuilder("qemu-io", "-c", "sleep 5000", dir.resolve("a.qcow2").toString())
                .redirectErrorStream(true).start();
        try {
            Thread.sleep(1000);
            StringWriter err = new StringWriter();
            assertEquals(1, run(err, "write", dir.resolve("a.qcow2").toString(), "0", "--pattern", "1", "--length", "1"));
            assertTrue(err.toString().contains("locked by another process"), err.toString());
        } finally {
            q.destroyForcibly();
            q.waitFor();
        }
    }
}
