package io.qcowscope.engine.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scan's block status (L2 tables read ahead) answers exactly as the image's own, in order and out of it. */
class ScanLayerTest {
    @TempDir
    static Path dir;
    static Path image;

    @BeforeAll
    static void make() {
        Qemu.requireInstalled();
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=4k", "base.qcow2", "64M");
        Qemu.io(dir, "base.qcow2", "write -P 1 0 1M", "write -P 2 40M 64k");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=4k", "-b", "base.qcow2", "-F", "qcow2",
                "top.qcow2", "64M");
        // scattered writes over many L2 tables (a 4 KiB table maps 2 MiB), a zeroed range, a discard
        Qemu.io(dir, "top.qcow2", "write -P 3 512k 8k", "write -P 4 5M 2M", "write -z 20M 64k", "write -P 5 33M 4k",
                "discard 5M 4k", "write -P 6 63M 1M");
        image = dir.resolve("top.qcow2");
    }

    private static List<long[]> probes(ImageLayer layer, long start, long step) throws IOException {
        List<long[]> out = new ArrayList<>();
        for (long o = start; o < layer.virtualSize(); o += step) {
            BlockStatus s = layer.blockStatus(o, 1L << 30);
            out.add(new long[]{o, s.length(), s.data() ? 1 : 0, s.zero() ? 1 : 0, s.allocated() ? 1 : 0,
                s.hostOffset()});
        }
        return out;
    }

    @Test
    void inGuestOrderFromAnyStart() throws IOException {
        try (Qcow2Image img = Qcow2Image.open(image)) {
            for (long start : new long[]{0, 3L << 20, 33L << 20}) {
                for (long step : new long[]{4096, 1L << 20, 3L << 20}) {
                    List<long[]> plain = probes(img, start, step);
                    List<long[]> scanned;
                    try (ScanLayer scan = ScanLayer.of(img, start)) {
                        scanned = probes(scan, start, step);
                    }
                    assertEquals(plain.size(), scanned.size());
                    for (int i = 0; i < plain.size(); i++) {
                        assertEquals(java.util.Arrays.toString(plain.get(i)), java.util.Arrays.toString(scanned.get(i)),
                                "start " + start + " step " + step);
                    }
                }
            }
        }
    }

    @Test
    void outOfOrderQuestionsFallBackToTheCache() throws IOException {
        try (Qcow2Image img = Qcow2Image.open(image); ScanLayer scan = ScanLayer.of(img, 0)) {
            long[] offsets = {40L << 20, 0, 5L << 20, 63L << 20, 512L << 10, 33L << 20, 20L << 20, 6L << 20};
            for (long o : offsets) {
                BlockStatus a = img.blockStatus(o, 1L << 20);
                BlockStatus b = scan.blockStatus(o, 1L << 20);
                assertEquals(a, b, "offset " + o);
            }
            assertEquals(img.backing(), scan.backing());
        }
    }
}
