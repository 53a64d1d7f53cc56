package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.testkit.Qemu;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backing and data files named inside images open only through the gate (spec section 8). */
class TrustGateTest {
    @TempDir
    Path root;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    /** Rewrites the backing file name in place (it must not be longer than the old one); pads by shortening the size. */
    static void setBackingName(Path image, String name) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.seek(8);
            long off = f.readLong();
            byte[] b = name.getBytes(StandardCharsets.UTF_8);
            f.seek(off);
            f.write(b);
            f.seek(16);
            f.writeInt(b.length);
        }
    }

    @Test
    void backingFileOutsideTheImageDirectoryIsRefusedUnlessAllowed() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path inside = Files.createDirectories(root.resolve("inside"));
        Qemu.img(outside, "create", "-q", "-f", "qcow2", "base.qcow2", "1M");
        Qemu.io(outside, "base.qcow2", "write -P 0x42 0 4k");
        Qemu.img(inside, "create", "-q", "-f", "qcow2", "-b", outside.resolve("base.qcow2").toString(), "-F", "qcow2",
                "top.qcow2", "1M");
        String top = inside.resolve("top.qcow2").toString();

        Cli.Run refused = Cli.run("map", "--output=json", top);
        assertEquals(1, refused.exitCode());
        assertTrue(refused.stderr().contains("outside the image's directory"), refused.stderr());
        assertEquals(1, refused.stderr().strip().lines().count(), "one line: " + refused.stderr());

        // info does not need the backing file, as qemu-img info does not open it.
        assertEquals(0, Cli.run("info", "--output=json", top).exitCode());

        Cli.Run allowed = Cli.run("map", "--output=json", "--allow-file", outside.resolve("base.qcow2").toString(), top);
        assertEquals(0, allowed.exitCode(), allowed.stderr());
        assertTrue(allowed.stdout().contains("\"depth\": 1, \"present\": true, \"zero\": false, \"data\": true"));
        assertEquals(0, Cli.run("map", "--output=json", "--follow-any-backing", top).exitCode());
    }

    @Test
    void jsonAndProtocolSpecsAreAlwaysRefused() throws Exception {
        Path d = Files.createDirectories(root.resolve("proto"));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "base.qcow2", "1M");
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "-o", "cluster_size=4096",
                "top.qcow2", "1M");
        // 4 KiB clusters leave room after the name; write a longer spec by moving nothing: the name area is at the end.
        for (String spec : new String[]{"json:{\"file.filename\":\"/etc/passwd\"}", "nbd://127.0.0.1/x", "http://h/x",
            "file:/etc/passwd"}) {
            setBackingName(d.resolve("top.qcow2"), spec);
            Cli.Run r = Cli.run("map", "--output=json", "--follow-any-backing", d.resolve("top.qcow2").toString());
            assertEquals(1, r.exitCode(), spec);
            assertTrue(r.stderr().contains("protocol specs"), spec + ": " + r.stderr());
        }
    }

    @Test
    void backingLoopsAreDetected() throws Exception {
        Path d = Files.createDirectories(root.resolve("loop"));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "b.qcow2", "1M");
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "b.qcow2", "-F", "qcow2", "a.qcow2", "1M");
        Qemu.img(d, "rebase", "-u", "-b", "a.qcow2", "-F", "qcow2", "b.qcow2");
        Cli.Run r = Cli.run("info", "--backing-chain", "--output=json", d.resolve("a.qcow2").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("creates an infinite loop"), r.stderr());
        // An image that is its own backing file.
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "-u", "self.qcow2", "1M");
        Qemu.img(d, "rebase", "-u", "-b", "self.qcow2", "-F", "qcow2", "self.qcow2");
        Cli.Run s = Cli.run("map", "--output=json", d.resolve("self.qcow2").toString());
        assertEquals(1, s.exitCode());
        assertTrue(s.stderr().contains("infinite loop"), s.stderr());
    }

    @Test
    void chainDepthIsBounded() throws Exception {
        Path d = Files.createDirectories(root.resolve("deep"));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "l0.qcow2", "1M");
        for (int i = 1; i <= 18; i++) {
            Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "l" + (i - 1) + ".qcow2", "-F", "qcow2", "-u",
                    "l" + i + ".qcow2", "1M");
        }
        Cli.Run r = Cli.run("map", "--output=json", d.resolve("l18.qcow2").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("deeper than"), r.stderr());
        assertEquals(0, Cli.run("map", "--output=json", d.resolve("l15.qcow2").toString()).exitCode());
    }

    @Test
    void unrecordedBackingFormatIsNotProbedUnlessAsked() throws Exception {
        Path d = Files.createDirectories(root.resolve("probe"));
        Qemu.img(d, "create", "-q", "-f", "qcow2", "base.qcow2", "1M");
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "top.qcow2", "1M");
        // Drop the backing format extension by renaming its type to an unknown one.
        try (RandomAccessFile f = new RandomAccessFile(d.resolve("top.qcow2").toFile(), "rw")) {
            f.seek(112);
            assertEquals(0xE2792ACA, f.readInt());
            f.seek(112);
            f.writeInt(0x7777AAAA);
        }
        Cli.Run r = Cli.run("map", "--output=json", d.resolve("top.qcow2").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("format probing"), r.stderr());
        assertEquals(0, Cli.run("map", "--output=json", "--probe-backing-format", d.resolve("top.qcow2").toString())
                .exitCode());
    }

    @Test
    void badImagesGiveOneLineAndExitOne() throws Exception {
        Path d = Files.createDirectories(root.resolve("bad"));
        Files.write(d.resolve("junk.qcow2"), new byte[]{1, 2, 3});
        Qemu.img(d, "create", "-q", "-f", "qcow2", "a.qcow2", "1M");
        try (RandomAccessFile f = new RandomAccessFile(d.resolve("a.qcow2").toFile(), "rw")) {
            f.seek(96);
            f.writeInt(7);
        }
        for (String name : new String[]{"junk.qcow2", "a.qcow2", "missing.qcow2"}) {
            for (String cmd : new String[]{"info", "map", "dump", "convert"}) {
                String img = d.resolve(name).toString();
                Cli.Run r = switch (cmd) {
                    case "dump" -> Cli.run("dump", "l2", img);
                    case "convert" -> Cli.run("convert", "-O", "raw", img, d.resolve("out.raw").toString());
                    default -> Cli.run(cmd, img);
                };
                assertEquals(1, r.exitCode(), cmd + " " + name);
                assertEquals(1, r.stderr().strip().lines().count(), cmd + " " + name + ": " + r.stderr());
                assertTrue(r.stderr().startsWith("qcowscope: "), r.stderr());
                assertFalse(r.stderr().contains("Exception"), r.stderr());
            }
        }
        assertTrue(Cli.run("info", d.resolve("a.qcow2").toString()).stderr().contains("Reference count entry width"));
    }
}
