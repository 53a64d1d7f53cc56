package io.qcowscope.app.cli;

import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The interop set of issue 2: images made by qemu-img and qemu-io covering every structure a reader meets. Each case builds
 * its files in its own directory and names the image to inspect.
 */
public final class InteropImages {
    private InteropImages() {
    }

    /** One image of the set: {@code build} makes it in {@code dir} and returns the file name to inspect. */
    public record Case(String name, Builder build, boolean infoOnly) {
        public Case(String name, Builder build) {
            this(name, build, false);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    public interface Builder {
        String build(Path dir) throws IOException;
    }

    public static List<Case> all() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("v2-64k", d -> std(d, "compat=0.10,cluster_size=65536")));
        for (String cs : new String[]{"512", "4096", "65536", "2097152"}) {
            c.add(new Case("v3-cluster-" + cs, d -> std(d, "cluster_size=" + cs)));
        }
        for (String cs : new String[]{"16384", "65536", "2097152"}) {
            c.add(new Case("extl2-" + cs, d -> extL2(d, cs, false)));
            c.add(new Case("extl2-backing-" + cs, d -> extL2(d, cs, true)));
        }
        for (String bits : new String[]{"1", "2", "4", "8", "16", "32", "64"}) {
            c.add(new Case("refcount-bits-" + bits, d -> std(d, "refcount_bits=" + bits)));
        }
        c.add(new Case("compressed-zlib", d -> compressed(d, "zlib", "65536")));
        c.add(new Case("compressed-zstd", d -> compressed(d, "zstd", "65536")));
        c.add(new Case("compressed-zstd-extl2", d -> compressed(d, "zstd", "65536,extended_l2=on")));
        c.add(new Case("compressed-zlib-4k", d -> compressed(d, "zlib", "4096")));
        c.add(new Case("snapshots", InteropImages::snapshots));
        c.add(new Case("chain-depth-1", d -> chain(d, 1, false)));
        c.add(new Case("chain-depth-2", d -> chain(d, 2, false)));
        c.add(new Case("chain-depth-3-extl2", d -> chain(d, 3, true)));
        c.add(new Case("raw-backing", InteropImages::rawBacking));
        c.add(new Case("prealloc-metadata", d -> prealloc(d, "metadata", "")));
        c.add(new Case("prealloc-metadata-extl2", d -> prealloc(d, "metadata", ",extended_l2=on")));
        c.add(new Case("prealloc-falloc", d -> prealloc(d, "falloc", "")));
        c.add(new Case("data-file", d -> dataFile(d, false)));
        c.add(new Case("data-file-raw", d -> dataFile(d, true)));
        c.add(new Case("bitmap", InteropImages::bitmap));
        c.add(new Case("lazy-refcounts", d -> std(d, "lazy_refcounts=on")));
        c.add(new Case("backing-larger-than-top", InteropImages::smallTop));
        // Encrypted images: info only (map and convert need the key, which qemu-img asks for too).
        c.add(new Case("encrypted-luks", d -> encrypted(d, "encrypt.format=luks,encrypt.iter-time=10"), true));
        c.add(new Case("encrypted-aes", d -> encrypted(d, "encryption=on"), true));
        return c;
    }

    private static String std(Path d, String opts) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", opts, "a.qcow2", "8M");
        Qemu.io(d, "a.qcow2", "write -P 0x11 0 64k", "write -P 0x22 100k 3k", "write -z 1M 128k",
                "write -P 0x33 2M 1k", "write -P 0x44 7M 1M", "discard 7M 64k", "write -P 0x55 3M 512");
        return "a.qcow2";
    }

    private static String extL2(Path d, String cs, boolean backing) {
        List<String> create = new ArrayList<>(List.of("create", "-q", "-f", "qcow2", "-o",
                "extended_l2=on,cluster_size=" + cs));
        if (backing) {
            Qemu.img(d, "create", "-q", "-f", "qcow2", "base.qcow2", "8M");
            Qemu.io(d, "base.qcow2", "write -P 0xff 0 8M");
            create.addAll(List.of("-b", "base.qcow2", "-F", "qcow2"));
        }
        create.addAll(List.of("a.qcow2", "8M"));
        Qemu.img(d, create.toArray(new String[0]));
        Qemu.io(d, "a.qcow2", "write -P 0x11 1k 1k", "write -P 0x22 5k 2k", "write -z 8k 4k",
                "write -z 16k 2k", "write -P 0x33 63k 4k", "write -z -u 1M 32k", "write -z 2M 256k",
                "discard 4M 16k", "write -P 0x44 5M 100k", "write -z -u 5M 8k");
        return "a.qcow2";
    }

    private static String compressed(Path d, String type, String cs) throws IOException {
        Path raw = d.resolve("src.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(4 << 20);
            byte[] block = new byte[65536];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) ((i * 7) ^ (i >> 5));
            }
            f.seek(0);
            f.write(block);
            f.seek(1 << 20);
            f.write(new byte[65536]);
            java.util.Random r = new java.util.Random(1);
            byte[] rnd = new byte[65536];
            r.nextBytes(rnd);
            f.seek(2 << 20);
            f.write(rnd);
            for (int i = 0; i < 8; i++) {
                f.seek((3 << 20) + i * 65536L);
                block[0] = (byte) i;
                f.write(block);
            }
        }
        Qemu.img(d, "convert", "-q", "-c", "-f", "raw", "-O", "qcow2", "-o",
                "compression_type=" + type + ",cluster_size=" + cs, "src.raw", "a.qcow2");
        Qemu.io(d, "a.qcow2", "write -P 0x66 3M 512");
        return "a.qcow2";
    }

    private static String snapshots(Path d) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "a.qcow2", "8M");
        Qemu.io(d, "a.qcow2", "write -P 0x11 0 1M");
        Qemu.img(d, "snapshot", "-c", "first", "a.qcow2");
        Qemu.io(d, "a.qcow2", "write -P 0x22 512k 1M");
        Qemu.img(d, "snapshot", "-c", "second", "a.qcow2");
        Qemu.io(d, "a.qcow2", "write -P 0x33 0 64k", "discard 2M 64k");
        return "a.qcow2";
    }

    private static String chain(Path d, int depth, boolean extL2) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "l0.qcow2", "8M");
        Qemu.io(d, "l0.qcow2", "write -P 0xa0 0 4M", "write -z 4M 1M");
        for (int i = 1; i <= depth; i++) {
            String opts = extL2 ? "extended_l2=on,cluster_size=65536" : "cluster_size=65536";
            Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", opts, "-b", "l" + (i - 1) + ".qcow2", "-F", "qcow2",
                    "l" + i + ".qcow2", (8 + i) + "M");
            int p = 0xb0 + i;
            Qemu.io(d, "l" + i + ".qcow2", "write -P " + p + " " + (i * 3) + "k 2k",
                    "write -z " + (i * 128) + "k 64k", "write -z -u " + (i * 256) + "k 4k",
                    "discard " + (i * 512) + "k 64k", "write -P " + (p + 1) + " " + (7 + i) + "M 5k");
        }
        return "l" + depth + ".qcow2";
    }

    private static String rawBacking(Path d) throws IOException {
        Path raw = d.resolve("base.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(6 << 20);
            f.seek(1 << 20);
            f.write(new byte[]{1, 2, 3, 4});
            f.seek(3 << 20);
            byte[] b = new byte[300000];
            java.util.Arrays.fill(b, (byte) 9);
            f.write(b);
        }
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", "a.qcow2", "8M");
        Qemu.io(d, "a.qcow2", "write -P 0x77 3200k 8k", "write -z 1M 64k");
        return "a.qcow2";
    }

    private static String prealloc(Path d, String mode, String extra) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "preallocation=" + mode + extra, "a.qcow2", "16M");
        Qemu.io(d, "a.qcow2", "write -P 0x11 0 100k", "write -z 1M 64k", "discard 2M 64k");
        return "a.qcow2";
    }

    private static String dataFile(Path d, boolean raw) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "data_file=a.data,data_file_raw=" + (raw ? "on" : "off"),
                "a.qcow2", "8M");
        Qemu.io(d, "a.qcow2", "write -P 0x11 0 100k", "write -z 1M 64k", "write -P 0x22 3M 4k");
        return "a.qcow2";
    }

    private static String bitmap(Path d) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "a.qcow2", "8M");
        Qemu.img(d, "bitmap", "--add", "a.qcow2", "b0");
        Qemu.img(d, "bitmap", "--add", "-g", "512k", "a.qcow2", "second");
        Qemu.io(d, "a.qcow2", "write -P 0x11 0 100k");
        return "a.qcow2";
    }

    private static String smallTop(Path d) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "base.qcow2", "8M");
        Qemu.io(d, "base.qcow2", "write -P 0x55 0 8M");
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", "mid.qcow2", "2M");
        Qemu.img(d, "resize", "-q", "mid.qcow2", "6M");
        Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "mid.qcow2", "-F", "qcow2", "a.qcow2", "10M");
        Qemu.io(d, "a.qcow2", "write -P 0x66 1M 4k");
        return "a.qcow2";
    }

    private static String encrypted(Path d, String opts) {
        Qemu.img(d, "create", "-q", "-f", "qcow2", "--object", "secret,id=sec0,data=abc", "-o",
                opts + ",encrypt.key-secret=sec0", "a.qcow2", "4M");
        return "a.qcow2";
    }

    public static Path freshDir(Path root, String name) throws IOException {
        return Files.createDirectories(root.resolve(name));
    }
}
