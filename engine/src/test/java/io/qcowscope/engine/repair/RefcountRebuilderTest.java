package io.qcowscope.engine.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.storage.FileStorage;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** A rebuilt refcount structure is one qemu-img accepts and leaves the guest content alone. */
class RefcountRebuilderTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    @ParameterizedTest(name = "cluster {0}, refcount_bits {1}")
    @CsvSource({"65536,16", "512,1", "4096,2", "4096,4", "65536,8", "65536,32", "65536,64", "2097152,16", "512,16"})
    void rebuildingFromTheReferencesKeepsTheImageClean(int cs, int bits) throws Exception {
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=" + cs + ",refcount_bits=" + bits, "a.qcow2",
                "64M");
        Qemu.io(dir, "a.qcow2", "write -P 0x11 0 3M", "write -P 0x22 40M 1M", "write -c -P 0x33 50M " + cs);
        if (bits > 1) {
            // Snapshots share clusters (refcount 2), which 1-bit refcounts cannot hold.
            Qemu.img(dir, "snapshot", "-c", "s", "a.qcow2");
        }
        Qemu.io(dir, "a.qcow2", "write -P 0x44 1M 64k");
        Files.copy(dir.resolve("a.qcow2"), dir.resolve("orig.qcow2"));
        Path img = dir.resolve("a.qcow2");

        // For a clean image the references are the on-disk refcounts.
        long[] refs;
        Geometry g;
        try (Qcow2Image q = Qcow2Image.open(img, OpenOptions.readOnly().withBackingChain(false))) {
            g = q.geometry();
            refs = new long[(int) g.clustersFor(q.storage().size())];
            for (int i = 0; i < refs.length; i++) {
                refs[i] = q.refcounts().refcount(i);
            }
            // The old refcount table and blocks are not references: a rebuild abandons them.
            long rt = q.header().refcountTableOffset() >>> g.clusterBits();
            for (long c = 0; c < q.header().refcountTableClusters(); c++) {
                refs[(int) (rt + c)] = 0;
            }
            for (int i = 0; i < q.refcounts().reftableEntries(); i++) {
                long b = q.refcounts().reftableEntry(i) & ~511L;
                if (b != 0) {
                    refs[(int) (b >>> g.clusterBits())] = 0;
                }
            }
        }
        long oldLength = Files.size(img);
        RefcountRebuilder.Result r;
        try (FileStorage s = FileStorage.openReadWrite(img)) {
            r = RefcountRebuilder.rebuild(s, g, array(refs));
        }
        assertTrue(r.reftableOffset() >= oldLength, "new structure placed past the old end");
        var check = Qemu.imgAllowFail(dir, "check", "a.qcow2");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        Qemu.img(dir, "compare", "-q", "orig.qcow2", "a.qcow2");
    }

    static ReferenceCounts array(long[] a) {
        return new ReferenceCounts() {
            @Override
            public long clusterCount() {
                return a.length;
            }

            @Override
            public long get(long index) {
                return index < a.length ? a[(int) index] : 0;
            }
        };
    }

}
