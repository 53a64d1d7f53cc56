package io.qcowscope.engine.repair.rescue;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.image.FuzzTest;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.Patch;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's rescue pass over the fuzz suite's mutants (the mutant generator of {@code FuzzTest}, seeded), half of them
 * with one more header field made absurd (magic, version, cluster_bits, the virtual size, l1_size, refcount_order, the
 * incompatible bits): on every mutant the rescue plan ({@code repair --plan}) terminates within the limit, throws nothing
 * but the engine's typed exception, and proposes no write outside the file.
 */
class RescueFuzzTest {
    private static final long SEED = 0x14EEDL;
    private static final int LIMIT_S = 30;
    private static final String[] BASES = {"std-snapshot-compressed-backing", "extl2-zstd-bitmap", "v2",
        "tiny-clusters-1bit"};
    /** Header fields a rescue reads (spec 1.1): offset and width. */
    private static final int[][] FIELDS = {{0, 4}, {4, 4}, {20, 4}, {24, 8}, {36, 4}, {96, 4}, {72, 8}};

    @TempDir
    static Path root;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    @Test
    void everyRescuePlanTerminatesTypedAndInsideTheFile() throws Exception {
        run(25);
    }

    @Test
    @Tag("large")
    void everyRescuePlanTerminatesTypedAndInsideTheFileLargeSet() throws Exception {
        run(250);
    }

    private void run(int perBase) throws Exception {
        List<String> failures = new ArrayList<>();
        int planned = 0;
        int refused = 0;
        int rescued = 0;
        int pending = 0;
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rescue-fuzz");
            t.setDaemon(true);
            return t;
        });
        try {
            for (String base : BASES) {
                Path dir = Files.createDirectories(root.resolve(base));
                Path pristine = FuzzTest.build(base, dir);
                List<FuzzTest.Target> targets = FuzzTest.targets(pristine);
                Random rnd = new Random(SEED ^ base.hashCode());
                for (int i = 0; i < perBase; i++) {
                    Path mutant = dir.resolve("m" + i + ".qcow2");
                    Files.copy(pristine, mutant, StandardCopyOption.REPLACE_EXISTING);
                    String what = FuzzTest.mutate(mutant, targets, rnd);
                    if (rnd.nextBoolean()) {
                        what += "; " + damageHeader(mutant, rnd);
                    }
                    String name = base + " #" + i + " (" + what + ")";
                    long size = Files.size(mutant);
                    Future<RescuePlan> f = ex.submit(() -> RescuePlanner.plan(mutant, RescuePlanner.Options.defaults(),
                            ProgressMonitor.NONE));
                    try {
                        RescuePlan p = f.get(LIMIT_S, TimeUnit.SECONDS);
                        planned++;
                        rescued += p.header().isEmpty() ? 0 : 1;
                        pending += p.pending() == null ? 0 : 1;
                        for (Fix x : p.plan().fixes()) {
                            for (Patch q : x.patches()) {
                                // Entries of a copied L2 table are patched inside the copy the apply writes first.
                                boolean inCopy = x.kind() == FixKind.COPY_ALIASED_DATA;
                                if (q.offset() < 0 || !inCopy && q.offset() + q.length() > size) {
                                    failures.add(name + ": fix " + x.id() + " (" + x.kind().option() + ") writes "
                                            + q.length() + " bytes at 0x" + Long.toHexString(q.offset())
                                            + ", outside the " + size + "-byte file");
                                }
                            }
                        }
                    } catch (TimeoutException e) {
                        f.cancel(true);
                        failures.add(name + ": no plan within " + LIMIT_S + " s");
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (e.getCause() instanceof Qcow2Exception) {
                            refused++;
                        } else {
                            failures.add(name + ": " + e.getCause());
                        }
                    }
                    Files.delete(mutant);
                }
            }
        } finally {
            ex.shutdownNow();
        }
        System.out.printf("rescue fuzz: %d mutants; planned %d (header rescued %d, waiting for a choice %d); refused "
                + "with a typed error %d%n", perBase * BASES.length, planned, rescued, pending, refused);
        assertTrue(failures.isEmpty(), failures.size() + " mutant(s):\n" + String.join("\n", failures));
    }

    /** One rescue-relevant header field set to an absurd or random value. */
    private static String damageHeader(Path p, Random r) throws Exception {
        int[] field = FIELDS[r.nextInt(FIELDS.length)];
        long[] values = {0, -1L, 1, 2, 7, 9, 31, 40, 64, 1L << 31, r.nextLong()};
        long v = values[r.nextInt(values.length)];
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(field[0]);
            f.write(field[1] == 4 ? ByteBuffer.allocate(4).putInt((int) v).array()
                    : ByteBuffer.allocate(8).putLong(v).array());
        }
        return "header byte " + field[0] + " = 0x" + Long.toHexString(v);
    }
}
