package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.testkit.Qemu;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 at the command line: {@code repair} rescues an image with a damaged header (plan with candidates, apply to a
 * copy that qemu-img passes), {@code --choose} takes the user's value, while {@code info}, {@code map} and {@code check}
 * refuse the image with the error they gave before; a file that is no qcow2 image gets no plan.
 */
class RepairRescueCliTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    private static Path damaged(String name, int offset, int value) throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", name, "64M");
        Qemu.io(dir, name, "write -P 0x11 0 64k");
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(offset);
            f.write(ByteBuffer.allocate(4).putInt(value).array());
        }
        return p;
    }

    @Test
    void aDamagedClusterBitsFieldIsRescuedToACleanCopy() throws Exception {
        Path p = damaged("bits.qcow2", 20, 40);
        for (String cmd : new String[] {"info", "map", "check"}) {
            Cli.Run r = Cli.run(cmd, p.toString());
            assertEquals(1, r.exitCode(), cmd);
            assertTrue(r.stderr().contains("Unsupported cluster size: 2^40"), cmd + ": " + r.stderr());
        }
        Cli.Run plan = Cli.run("repair", p.toString(), "--plan");
        assertEquals(0, plan.exitCode(), plan.stderr());
        assertTrue(plan.stdout().contains("header damage: cluster_bits at byte 20"), plan.stdout());
        assertTrue(plan.stdout().contains("chosen 16"), plan.stdout());
        Cli.Run json = Cli.run("repair", p.toString(), "--plan", "--output=json");
        assertTrue(json.stdout().contains("\"header-damage\"") && json.stdout().contains("\"chosen\" : 16")
                || json.stdout().contains("\"chosen\": 16"), json.stdout());
        Path copy = dir.resolve("bits-fixed.qcow2");
        Cli.Run apply = Cli.run("repair", p.toString(), "--apply", "--to", copy.toString());
        assertEquals(0, apply.exitCode(), apply.stdout() + apply.stderr());
        assertEquals(0, Qemu.imgAllowFail(dir, "check", copy.toString()).exitCode());
        assertFalse(Files.readAllBytes(p)[23] == 16, "the original is untouched");
    }

    @Test
    void unknownIncompatibleBitsWaitForTheUsersChoice() throws Exception {
        Path p = damaged("feature.qcow2", 76, 1 << 9);
        Cli.Run plan = Cli.run("repair", p.toString(), "--plan");
        assertTrue(plan.stdout().contains("bit(s) 9"), plan.stdout());
        assertTrue(plan.stdout().contains("--choose incompatible_features=VALUE"), plan.stdout());
        Path copy = dir.resolve("feature-fixed.qcow2");
        Cli.Run refused = Cli.run("repair", p.toString(), "--apply", "--to", copy.toString());
        assertEquals(1, refused.exitCode());
        assertFalse(Files.exists(copy));
        Cli.Run apply = Cli.run("repair", p.toString(), "--choose", "incompatible_features=0", "--apply", "--to",
                copy.toString());
        assertEquals(0, apply.exitCode(), apply.stdout() + apply.stderr());
        assertEquals(0, Qemu.imgAllowFail(dir, "check", copy.toString()).exitCode());
    }

    @Test
    void aFileThatIsNoQcow2HasNothingToRescue() throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "raw", "disk.raw", "4M");
        Cli.Run r = Cli.run("repair", dir.resolve("disk.raw").toString(), "--plan");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("not a qcow2 image, nothing to rescue"), r.stderr());
        assertFalse(r.stdout().contains("Repair plan"), r.stdout());
    }
}
