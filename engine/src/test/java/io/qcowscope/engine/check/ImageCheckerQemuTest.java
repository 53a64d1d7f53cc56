package io.qcowscope.engine.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.FeatureBit;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ImageChecker} in the engine against {@code qemu-img check --output=json}: on clean images of every layout, and on
 * images damaged one entry at a time, every counter and the exit code are qemu-img's.
 */
class ImageCheckerQemuTest {
    private static final Pattern FIELD = Pattern.compile("\"([a-z-]+)\": (\\d+)");
    private static final List<String> COUNTERS = List.of("corruptions", "leaks", "check-errors", "image-end-offset",
            "total-clusters", "allocated-clusters", "fragmented-clusters", "compressed-clusters");

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    /** Changes the image file after qemu wrote it: the first active L2 table and its entries are at hand. */
    @FunctionalInterface
    interface Damage {
        void apply(Qcow2Image img, RandomAccessFile f) throws IOException;
    }

    static Stream<Arguments> images() {
        Damage none = (img, f) -> { };
        return Stream.of(
                Arguments.of("clean", "cluster_size=65536", none, 0),
                Arguments.of("clean-v2", "compat=0.10", none, 0),
                Arguments.of("clean-4k", "cluster_size=4096", none, 0),
                Arguments.of("clean-extl2", "extended_l2=on", none, 0),
                Arguments.of("clean-refcount-bits-1", "refcount_bits=1", none, 0),
                Arguments.of("clean-prealloc", "preallocation=metadata", none, 0),
                Arguments.of("leak", "cluster_size=65536", (Damage) (img, f) -> putEntry(img, f, 1, 0L), 3),
                Arguments.of("refcount-too-low", "cluster_size=65536",
                        (Damage) (img, f) -> putEntry(img, f, 3, firstL2(img).word0(1)), 2),
                Arguments.of("copied-clear", "cluster_size=65536",
                        (Damage) (img, f) -> putEntry(img, f, 1, firstL2(img).word0(1) & ~(1L << 63)), 2),
                Arguments.of("unaligned-data", "cluster_size=65536",
                        (Damage) (img, f) -> putEntry(img, f, 1, firstL2(img).word0(1) + 0x2000), 2),
                Arguments.of("l2-reserved-bits", "cluster_size=65536",
                        (Damage) (img, f) -> putEntry(img, f, 1, firstL2(img).word0(1) | 0x100), 2),
                Arguments.of("l1-reserved-bits", "cluster_size=65536", (Damage) (img, f) -> {
                    f.seek(img.header().l1TableOffset());
                    f.writeLong(img.l1Entry(0) | 0x2);
                }, 2),
                Arguments.of("compressed-copied", "cluster_size=65536", (Damage) (img, f) -> {
                    int i = compressedIndex(firstL2(img));
                    putEntry(img, f, i, firstL2(img).word0(i) | (1L << 63));
                }, 2),
                // past the findings' cap (10,000 kept): the counters stay exact though the rest are only counted
                Arguments.of("refblocks-zeroed-past-cap", "cluster_size=4096,preallocation=metadata",
                        (Damage) (img, f) -> {
                            long at = img.header().refcountTableOffset();
                            for (int i = 1; i < 8; i++) {
                                f.seek(at + 8L * i);
                                f.writeLong(0);
                            }
                        }, 2),
                Arguments.of("corrupt-bit", "cluster_size=65536", (Damage) (img, f) -> {
                    f.seek(72);
                    f.writeLong(img.header().incompatibleFeatures() | FeatureBit.CORRUPT.mask());
                }, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void countersAndExitCodeAreQemuImgs(String name, String options, Damage damage, int exit) throws Exception {
        Path p = dir.resolve(name + ".qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", options, p.toString(), "64M");
        Qemu.io(dir, p.toString(), "write -P 1 0 256k", "write -P 2 5M 8k", "write -z 9M 64k", "write -P 3 40M 1M",
                "discard 40M 128k");
        if (!options.contains("compat=0.10") && !options.contains("refcount_bits=1")) {
            Qemu.img(dir, "snapshot", "-c", "one", p.toString());
            Qemu.io(dir, p.toString(), "write -P 4 64k 64k");
        }
        if (options.equals("cluster_size=65536")) {
            Qemu.io(dir, p.toString(), "write -c -P 5 20M 64k", "write -c -P 6 30M 64k");
        }
        try (Qcow2Image img = open(p); RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            damage.apply(img, f);
        }
        Qemu.Result theirs = Qemu.imgAllowFail(dir, "check", "--output=json", p.toString());
        CheckResult ours;
        try (Qcow2Image img = open(p)) {
            ours = ImageChecker.check(img, ProgressMonitor.NONE);
        }
        assertEquals(exit, theirs.exitCode(), "qemu-img's verdict on " + name + ": " + theirs.stdout());
        assertEquals(theirs.exitCode(), ours.exitCode(), () -> name + ": " + ours.findings());
        assertEquals(counters(theirs.stdout()), counters(ours), () -> name + ": " + ours.findings());
        assertTrue(ours.findings().size() <= 3 * ImageChecker.MAX_FINDINGS, "the findings kept are bounded");
        long problems = ours.findings().stream().filter(x -> x.severity() != Severity.WARNING).count();
        assertEquals(exit == 0, problems == 0, () -> "findings behind the verdict: " + ours.findings());
    }

    private static Qcow2Image open(Path p) throws IOException {
        return Qcow2Image.open(p, OpenOptions.readOnly().withCheckMode(true).withBackingChain(false));
    }

    private static L2Table firstL2(Qcow2Image img) throws IOException {
        return img.l2Table(L1Entry.l2Offset(img.l1Entry(0)));
    }

    private static int compressedIndex(L2Table t) {
        for (int i = 0; i < t.entries(); i++) {
            if (t.compressed(i)) {
                return i;
            }
        }
        throw new AssertionError("no compressed entry in the first L2 table");
    }

    private static void putEntry(Qcow2Image img, RandomAccessFile f, int index, long word0) throws IOException {
        f.seek(firstL2(img).entryOffset(index));
        f.writeLong(word0);
    }

    private static Map<String, Long> counters(String json) {
        Map<String, Long> m = new LinkedHashMap<>();
        COUNTERS.forEach(k -> m.put(k, 0L));
        Matcher x = FIELD.matcher(json);
        while (x.find()) {
            if (m.containsKey(x.group(1))) {
                m.put(x.group(1), Long.parseLong(x.group(2)));
            }
        }
        return m;
    }

    private static Map<String, Long> counters(CheckResult r) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("corruptions", r.corruptions());
        m.put("leaks", r.leaks());
        m.put("check-errors", r.checkErrors());
        m.put("image-end-offset", r.imageEndOffset());
        m.put("total-clusters", r.totalClusters());
        m.put("allocated-clusters", r.allocatedClusters());
        m.put("fragmented-clusters", r.fragmentedClusters());
        m.put("compressed-clusters", r.compressedClusters());
        return m;
    }
}
