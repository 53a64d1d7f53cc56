package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.CompressionType;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code ImageCreator} against {@code qemu-img create}: byte-identical files, and {@code qemu-img check} clean. */
class ImageCreatorTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void base() {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-f", "raw", "base.raw", "1G");
    }

    record Case(String name, CreateOptions ours, String qemuOptions, String size) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> l = new ArrayList<>();
        CreateOptions g = CreateOptions.of(1L << 30);
        l.add(new Case("defaults 1G", g, "", "1G"));
        l.add(new Case("v2", g.withVersion(2), "compat=0.10", "1G"));
        l.add(new Case("512-byte clusters", g.withClusterSize(512), "cluster_size=512", "1G"));
        l.add(new Case("4K clusters v2", g.withClusterSize(4096).withVersion(2), "cluster_size=4k,compat=0.10", "1G"));
        l.add(new Case("2M clusters ext-L2", g.withClusterSize(2 << 20).withExtendedL2(true),
                "cluster_size=2M,extended_l2=on", "1G"));
        l.add(new Case("16K ext-L2", g.withClusterSize(16384).withExtendedL2(true), "cluster_size=16k,extended_l2=on",
                "1G"));
        for (int bits : new int[]{1, 2, 4, 8, 32, 64}) {
            l.add(new Case("refcount_bits " + bits, g.withRefcountBits(bits), "refcount_bits=" + bits, "1G"));
        }
        l.add(new Case("lazy refcounts zstd", g.withLazyRefcounts(true).withCompressionType(CompressionType.ZSTD),
                "lazy_refcounts=on,compression_type=zstd", "1G"));
        l.add(new Case("40G 64K", CreateOptions.of(40L << 30), "", "40G"));
        l.add(new Case("40G 512-byte clusters (L1 needs new refcount blocks and a larger refcount table)",
                CreateOptions.of(40L << 30).withClusterSize(512), "cluster_size=512", "40G"));
        l.add(new Case("odd size", CreateOptions.of(65537), "", "65537"));
        l.add(new Case("backing raw", g.withBacking("base.raw", "raw"), "BACKING", "1G"));
        l.add(new Case("backing 4K clusters", g.withClusterSize(4096).withBacking("base.raw", "raw"),
                "cluster_size=4k,BACKING", "1G"));
        l.add(new Case("preallocation=metadata", CreateOptions.of(64 << 20).withPreallocation(Preallocation.METADATA),
                "preallocation=metadata", "64M"));
        l.add(new Case("preallocation=metadata ext-L2 backing", CreateOptions.of(64 << 20).withExtendedL2(true)
                .withPreallocation(Preallocation.METADATA).withBacking("base.raw", "raw"),
                "preallocation=metadata,extended_l2=on,BACKING", "64M"));
        return l.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void createMatchesQemuImg(Case c) throws Exception {
        String id = c.name().replaceAll("[^A-Za-z0-9]", "_");
        Path ours = dir.resolve(id + ".ours.qcow2");
        Path theirs = dir.resolve(id + ".theirs.qcow2");
        ImageCreator.create(ours, c.ours());
        List<String> cmd = new ArrayList<>(List.of("create", "-f", "qcow2"));
        String opts = c.qemuOptions();
        if (opts.contains("BACKING")) {
            cmd.addAll(List.of("-b", "base.raw", "-F", "raw"));
            opts = opts.replace(",BACKING", "").replace("BACKING", "");
        }
        if (!opts.isEmpty()) {
            cmd.addAll(List.of("-o", opts));
        }
        cmd.addAll(List.of(theirs.getFileName().toString(), c.size()));
        Qemu.img(dir, cmd.toArray(new String[0]));
        Qemu.Result check = Qemu.imgAllowFail(dir, "check", ours.getFileName().toString());
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        String infoOurs = Qemu.img(dir, "info", "--output=json", ours.getFileName().toString()).stdout();
        String infoTheirs = Qemu.img(dir, "info", "--output=json", theirs.getFileName().toString()).stdout();
        assertEquals(strip(infoTheirs), strip(infoOurs));
        assertEquals(Files.size(theirs), Files.size(ours), "file length");
        assertTrue(Files.mismatch(ours, theirs) < 0, "first difference at byte " + Files.mismatch(ours, theirs));
    }

    /** Drops the lines that name the file or depend on host allocation. */
    private static String strip(String json) {
        StringBuilder b = new StringBuilder();
        for (String line : json.split("\n")) {
            if (!line.contains("filename") && !line.contains("actual-size")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }
}
