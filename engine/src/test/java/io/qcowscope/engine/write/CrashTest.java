package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.testkit.Qemu;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A separate JVM writes random operations and is killed with SIGKILL at a random moment (after 0-3 flushes and a random
 * delay), 25 times per configuration, 100 kills in all.
 * After each kill {@code qemu-img check} must find no corruption (leaks are allowed: exit 0 or 3), and every byte written
 * before the last completed flush must read back, except bytes the operations after that flush may have touched. The
 * next round continues on the crashed image.
 */
class CrashTest {
    private static final long DISK = 4L << 20;
    private static final int KILLS_PER_CONFIG = 25;
    private static final int OPS_PER_FLUSH = 8;

    @TempDir
    static Path dir;
    static byte[] backing;

    @BeforeAll
    static void base() throws Exception {
        Qemu.requireInstalled();
        backing = new byte[(int) DISK];
        new Random(3).nextBytes(backing);
        Files.write(dir.resolve("base.raw"), backing);
    }

    record Config(String name, CreateOptions options) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Config> configs() {
        CreateOptions o = CreateOptions.of(DISK);
        return Stream.of(
                new Config("64K std backing", o.withBacking("base.raw", "raw")),
                new Config("64K ext-L2", o.withExtendedL2(true)),
                new Config("128K ext-L2 backing", o.withClusterSize(128 << 10).withExtendedL2(true)
                        .withBacking("base.raw", "raw")),
                new Config("512B 64-bit refcounts (block and table growth)", o.withClusterSize(512).withRefcountBits(64)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void killedWriterLeavesNoCorruption(Config c) throws Exception {
        Path img = dir.resolve(c.name().replaceAll("[^A-Za-z0-9]", "_") + ".qcow2");
        ImageCreator.create(img, c.options());
        byte[] state = c.options().backingFile() != null ? backing.clone() : new byte[(int) DISK];
        long cs = 1L << c.options().clusterBits();
        Random timing = new Random(c.name().hashCode());
        int completedFlushes = 0;
        for (int round = 0; round < KILLS_PER_CONFIG; round++) {
            long seed = round * 1000L + c.name().length();
            Process p = new ProcessBuilder(javaBin(), "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                    System.getProperty("java.class.path"), CrashWriterMain.class.getName(), img.toString(),
                    Long.toString(seed), Integer.toString(OPS_PER_FLUSH))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("R", out.readLine(), "the writer did not start");
            // A random moment, paced by the writer's progress so a loaded machine does not shift it: after 0 to 3
            // flushes, plus up to 40 ms.
            int flushed = 0;
            for (int k = timing.nextInt(4); k > 0; k--) {
                String line = out.readLine();
                flushed = Integer.parseInt(line.substring(2));
            }
            Thread.sleep(timing.nextInt(40));
            // SIGKILL through kill(1): Process.destroyForcibly would also close our end of the child's stdout
            new ProcessBuilder("kill", "-KILL", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue(), "the writer was not killed by SIGKILL");
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("F ")) {
                    flushed = Integer.parseInt(line.substring(2));
                }
            }
            if (flushed > 0) {
                completedFlushes++;
            }
            Qemu.Result check = Qemu.imgAllowFail(dir, "check", img.getFileName().toString());
            assertTrue(check.exitCode() == 0 || check.exitCode() == 3,
                    "round " + round + ": corruption after SIGKILL\n" + check.stdout() + check.stderr());
            // Replay: operations before the last flush must be visible; later ones may or may not be.
            Random r = new Random(seed);
            boolean[] unsure = new boolean[(int) DISK];
            for (int n = 1; n < flushed + 2 * OPS_PER_FLUSH; n++) {
                CrashOps.Op op = CrashOps.next(r, DISK, cs);
                if (n <= flushed) {
                    op.applyTo(state, cs);
                } else {
                    long[] t = op.touched(DISK, cs);
                    for (long i = t[0]; i < t[1]; i++) {
                        unsure[(int) i] = true;
                    }
                }
            }
            byte[] actual = new byte[(int) DISK];
            try (Qcow2Image q = Qcow2Image.open(img, OpenOptions.readOnly())) {
                q.read(0, actual, 0, actual.length);
            }
            for (int i = 0; i < DISK; i++) {
                if (!unsure[i] && actual[i] != state[i]) {
                    throw new AssertionError("round " + round + ": byte " + i + " is " + actual[i] + ", expected "
                            + state[i] + " (" + flushed + " operations flushed)");
                }
            }
            state = actual; // the next round starts from what the crash left
        }
        assertTrue(completedFlushes >= KILLS_PER_CONFIG / 2, "too few rounds got past a flush: " + completedFlushes);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static List<Config> all() {
        return new ArrayList<>(configs().toList());
    }
}
