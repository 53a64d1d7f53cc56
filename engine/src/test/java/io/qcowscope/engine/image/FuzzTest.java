package io.qcowscope.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.layout.GuestMapper;
import io.qcowscope.engine.report.InfoReport;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 2's fuzz test: real qemu-made images, damaged by bit flips, absurd values and truncation aimed at every structure.
 * Opening and reading each one may only ever throw the engine's typed exception, must finish within a second, and must
 * leave the file unchanged.
 */
public class FuzzTest {
    private static final int CASES_PER_IMAGE = 750;
    private static final long SEED = 0x9C0F5C0FEL;
    private static final long CASE_LIMIT_MS = 1000;

    @TempDir
    static Path root;

    private static ExecutorService worker;

    @BeforeAll
    static void setUp() {
        Qemu.requireInstalled();
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void tearDown() {
        if (worker != null) {
            worker.shutdownNow();
        }
    }

    /** A base image and the byte ranges of its structures, the targets of mutation. */
    public record Target(String name, long start, long length) {
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"std-snapshot-compressed-backing", "extl2-zstd-bitmap", "v2", "tiny-clusters-1bit", "luks"})
    void damagedImagesOnlyEverRaiseTypedErrors(String kind) throws Exception {
        Path dir = Files.createDirectories(root.resolve(kind));
        Path pristine = build(kind, dir);
        List<Target> targets = targets(pristine);
        Random rnd = new Random(SEED ^ kind.hashCode());
        Path victim = dir.resolve("victim.qcow2");
        int typedErrors = 0;
        long slowest = 0;
        for (int i = 0; i < CASES_PER_IMAGE; i++) {
            Files.copy(pristine, victim, StandardCopyOption.REPLACE_EXISTING);
            String what = mutate(victim, targets, rnd);
            byte[] before = sha256(victim);
            long t0 = System.nanoTime();
            Future<Boolean> f = worker.submit(() -> exercise(victim));
            boolean typed;
            try {
                typed = f.get(CASE_LIMIT_MS * 5, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                fail(kind + " case " + i + " (" + what + ") did not finish");
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError(kind + " case " + i + " (" + what + ") threw " + e.getCause(), e.getCause());
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            slowest = Math.max(slowest, ms);
            assertTrue(ms < CASE_LIMIT_MS, kind + " case " + i + " (" + what + ") took " + ms + " ms");
            if (typed) {
                typedErrors++;
            }
            assertArrayEquals(before, sha256(victim), kind + " case " + i + " (" + what + ") changed the file");
        }
        System.out.printf("fuzz %s: %d cases, %d typed errors, slowest %d ms%n", kind, CASES_PER_IMAGE, typedErrors,
                slowest);
        assertTrue(typedErrors > CASES_PER_IMAGE / 20, "the mutations should break many images: " + typedErrors);
    }

    /** Opens and reads everything a user could ask for; true when the engine reported a typed error. */
    static boolean exercise(Path image) {
        try (Qcow2Image img = Qcow2Image.open(image)) {
            InfoReport.of(img);
            long vs = img.virtualSize();
            GuestMapper.map(img, 0, Math.min(vs, 64L << 20), e -> { }, ProgressMonitor.NONE);
            if (vs > 64L << 20) {
                GuestMapper.map(img, vs - (16L << 20), vs, e -> { }, ProgressMonitor.NONE);
            }
            Random r = new Random(vs);
            byte[] buf = new byte[65536];
            for (int i = 0; i < 16 && vs > 0; i++) {
                long off = Math.floorMod(r.nextLong(), vs);
                int len = (int) Math.min(buf.length, vs - off);
                img.read(off, buf, 0, len);
            }
            long[] l1 = img.l1Table();
            for (int i = 0; i < Math.min(l1.length, 4096); i++) {
                long o = L1Entry.l2Offset(l1[i]);
                if (o != 0 && (o & img.geometry().clusterMask()) == 0) {
                    img.l2Table(o);
                }
            }
            long clusters = img.geometry().clustersFor(img.storage().size());
            for (long c = 0; c < Math.min(clusters, 65536); c++) {
                img.refcounts().refcount(c);
            }
            for (var s : img.snapshots().subList(0, Math.min(8, img.snapshots().size()))) {
                img.readL1Table(s.l1TableOffset(), s.l1Size());
            }
            img.bitmaps();
            return false;
        } catch (Qcow2Exception e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("typed error without a message", e);
            }
            return true;
        } catch (IOException e) {
            throw new AssertionError("untyped I/O error escaped: " + e, e);
        }
    }

    public static Path build(String kind, Path d) {
        switch (kind) {
            case "std-snapshot-compressed-backing" -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "base.qcow2", "4M");
                Qemu.io(d, "base.qcow2", "write -P 0x5a 0 2M");
                Qemu.img(d, "convert", "-q", "-c", "-O", "qcow2", "-B", "base.qcow2", "-F", "qcow2", "base.qcow2",
                        "a.qcow2");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 64k", "write -P 0x22 1M 4k", "write -z 3M 64k");
                Qemu.img(d, "snapshot", "-c", "s1", "a.qcow2");
                Qemu.io(d, "a.qcow2", "write -P 0x33 64k 128k");
            }
            case "extl2-zstd-bitmap" -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o",
                        "extended_l2=on,compression_type=zstd,cluster_size=32768", "a.qcow2", "8M");
                Qemu.io(d, "a.qcow2", "write -c -P 0x44 0 32k", "write -P 0x11 33k 2k", "write -z 40k 4k",
                        "write -P 0x55 1M 100k");
                Qemu.img(d, "bitmap", "--add", "a.qcow2", "dirty0");
            }
            case "luks" -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "--object", "secret,id=s0,data=x", "-o",
                        "encrypt.format=luks,encrypt.key-secret=s0,encrypt.iter-time=10", "a.qcow2", "4M");
            }
            case "v2" -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "compat=0.10", "a.qcow2", "8M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 200k", "write -c -P 0x12 1M 64k");
                Qemu.img(d, "snapshot", "-c", "old", "a.qcow2");
            }
            default -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "cluster_size=512,refcount_bits=1", "a.qcow2",
                        "1M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 20k", "write -z 64k 4k", "write -P 0x13 500k 1k");
            }
        }
        return d.resolve("a.qcow2");
    }

    /** The byte ranges of the structures the pristine image holds. */
    public static List<Target> targets(Path image) throws IOException {
        List<Target> t = new ArrayList<>();
        try (Qcow2Image img = Qcow2Image.open(image, OpenOptions.readOnly().withBackingChain(false))) {
            Qcow2Header h = img.header();
            long cs = h.clusterSize();
            t.add(new Target("header", 0, h.version() == 2 ? 72 : 112));
            t.add(new Target("extensions", h.version() == 2 ? 72 : h.headerLength(), Math.min(cs, 4096) - 112));
            t.add(new Target("L1", h.l1TableOffset(), Math.max(8, h.l1Size() * 8)));
            t.add(new Target("reftable", h.refcountTableOffset(), Math.min(4096, h.refcountTableClusters() * cs)));
            for (long e : img.l1Table()) {
                if (L1Entry.l2Offset(e) != 0) {
                    t.add(new Target("L2", L1Entry.l2Offset(e), cs));
                }
            }
            long block = img.refcounts().reftableEntry(0) & ~511L;
            if (block != 0) {
                t.add(new Target("refblock", block, Math.min(cs, 4096)));
            }
            if (h.nbSnapshots() > 0) {
                t.add(new Target("snapshots", h.snapshotsOffset(), 128));
                t.add(new Target("snapshot L1", img.snapshots().get(0).l1TableOffset(), 64));
            }
            for (var e : img.extensions()) {
                if (e instanceof io.qcowscope.engine.format.HeaderExtension.FullDiskEncryption fde) {
                    t.add(new Target("LUKS header", fde.areaOffset(), 592));
                }
            }
            var bm = img.bitmapsExtension();
            if (bm != null) {
                t.add(new Target("bitmap directory", bm.directoryOffset(), bm.directorySize()));
            }
        }
        return t;
    }

    /** Applies one random mutation and says what it did. */
    public static String mutate(Path file, List<Target> targets, Random r) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long size = f.length();
            int kind = r.nextInt(10);
            if (kind == 0) {
                long to = (long) (r.nextDouble() * size);
                f.setLength(to);
                return "truncate to " + to;
            }
            Target t = targets.get(r.nextInt(targets.size()));
            long span = Math.max(1, Math.min(t.length(), size - t.start()));
            long at = t.start() + (long) (r.nextDouble() * span);
            if (at >= size) {
                at = Math.max(0, size - 1);
            }
            switch (kind) {
                case 1, 2, 3 -> {
                    int flips = 1 + r.nextInt(4);
                    for (int i = 0; i < flips; i++) {
                        long p = Math.min(size - 1, at + r.nextInt(8));
                        f.seek(p);
                        int b = f.read();
                        f.seek(p);
                        f.write(b ^ (1 << r.nextInt(8)));
                    }
                    return t.name() + ": " + flips + " bit flips near 0x" + Long.toHexString(at);
                }
                case 4, 5, 6 -> {
                    long aligned = at & ~7L;
                    long[] absurd = {0, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62, 0x8000000000000000L | (1L << 55),
                        0x00FFFFFFFFFFFE00L, 0x4000000000000000L | r.nextLong() >>> 8, r.nextLong(),
                        0x8000000000000000L | (r.nextInt(64) * 65536L), 0x8000000000000000L | (r.nextInt(64) * 512L),
                        (long) r.nextInt(1 << 20)};
                    long v = absurd[r.nextInt(absurd.length)];
                    f.seek(aligned);
                    f.write(ByteBuffer.allocate(8).putLong(v).array());
                    return t.name() + ": word at 0x" + Long.toHexString(aligned) + " = 0x" + Long.toHexString(v);
                }
                case 7, 8 -> {
                    long aligned = at & ~3L;
                    int[] absurd = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 65536, 65537, 4194305, 1 << 20, 1023,
                        1024, r.nextInt()};
                    int v = absurd[r.nextInt(absurd.length)];
                    f.seek(aligned);
                    f.write(ByteBuffer.allocate(4).putInt(v).array());
                    return t.name() + ": u32 at 0x" + Long.toHexString(aligned) + " = " + v;
                }
                default -> {
                    byte[] junk = new byte[1 + r.nextInt(64)];
                    r.nextBytes(junk);
                    f.seek(at);
                    f.write(junk);
                    return t.name() + ": " + junk.length + " random bytes at 0x" + Long.toHexString(at);
                }
            }
        }
    }

    static byte[] sha256(Path p) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
    }
}
