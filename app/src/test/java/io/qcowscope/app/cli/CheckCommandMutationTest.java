package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcowscope.engine.testkit.Qemu;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random byte damage in the metadata of qemu-made images (header fields, L1, L2, refcount table and block,
 * snapshot table): whatever the damage, the verdict equals qemu-img check's (JSON on its keys and exit code).
 */
class CheckCommandMutationTest {
    private static final int ROUNDS = 24;

    @TempDir
    Path dir;

    @Test
    void randomMetadataDamageGetsQemuImgsVerdict() throws Exception {
        Qemu.requireInstalled();
        Path a = dir.resolve("a.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", a.toString(), "64M");
        Qemu.io(dir, a.toString(), "write -P 1 0 256k", "write -c -P 2 1M 64k", "write -z 3M 64k");
        Qemu.img(dir, "snapshot", "-c", "s1", a.toString());
        Qemu.io(dir, a.toString(), "write -P 4 64k 64k", "write 5M 64k");
        Path b = dir.resolve("b.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on,refcount_bits=4", b.toString(), "64M");
        Qemu.io(dir, b.toString(), "write -P 1 0 100k", "write -c -P 2 1M 64k", "write -z 2M 32k");
        Qemu.img(dir, "snapshot", "-c", "s1", b.toString());
        Random random = new Random(20261125);
        Path f = dir.resolve("f.qcow2");
        int damaged = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Files.copy(random.nextBoolean() ? a : b, f, StandardCopyOption.REPLACE_EXISTING);
            ImageBytes bytes = new ImageBytes(f);
            long[][] regions = {
                {32, 40}, {bytes.l1Offset(), 64}, {bytes.l2Table(0), 256}, {bytes.refblock(0), 128},
                {bytes.reftableOffset(), 16}, {bytes.snapshotsOffset(), 128}};
            long[] region = regions[random.nextInt(regions.length)];
            StringBuilder what = new StringBuilder();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                long at = region[0] + random.nextInt((int) region[1]);
                int value = random.nextInt(256);
                bytes.u8(at, value);
                what.append(String.format(" [0x%x]=0x%02x", at, value));
            }
            Qemu.Result q = Qemu.imgAllowFail(dir, "check", "--output=json", f.toString());
            StringWriter out = new StringWriter();
            int exit = QcowscopeCommand.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "check",
                    "--output=json", f.toString());
            String context = "round " + round + what + "\nqemu-img: " + q.stdout() + q.stderr() + "\nqcowscope: " + out;
            assertEquals(q.exitCode(), exit, context);
            damaged += exit != 0 ? 1 : 0;
            JsonNode theirs = q.stdout().isBlank() ? null : TestJson.mapper().readTree(q.stdout());
            JsonNode ours = out.toString().isBlank() ? null : TestJson.mapper().readTree(out.toString());
            if (ours != null) {
                ((ObjectNode) ours).remove("qcowscope");
            }
            assertEquals(theirs, ours, context);
        }
        assertTrue(damaged >= ROUNDS / 4, "only " + damaged + " rounds found damage");
    }
}
