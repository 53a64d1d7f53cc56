package io.qcowscope.engine.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check's parallel L2 scan ({@link L2ClaimBatch}) against the one-table-at-a-time walk (what a {@link ClaimListener}
 * gets): on qemu-made images with 512-byte clusters (thousands of L2 tables, several batches) and each of many seeded
 * damages to L2 and L1 entries (a data cluster claimed twice in one batch or across batches, an entry pointing at an L2
 * table, at the L1 table, past the end, unaligned, with flags; an L2 table shared or unaligned; refcounts changed; a
 * refcount block unreadable; dozens of refcount blocks gone, past the findings' cap), the
 * whole result, every finding in its order included, or the exception thrown, is the same; the refcount comparison in
 * halves ({@link RefcountComparison}) is on in the parallel run and off in the other.
 */
class ParallelWalkMatchesSequentialTest {
    private static final ClaimListener ONE_AT_A_TIME = new ClaimListener() {
        @Override
        public void claim(long cluster, HostClusterRole role, long owner) {
        }

        @Override
        public void beyondEnd(long offset, long size, HostClusterRole role, long owner) {
        }
    };

    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        Qemu.requireInstalled();
    }

    @Test
    void preallocatedImageGivesTheSameResultUnderEveryDamage() throws Exception {
        Path p = dir.resolve("prealloc.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=512,preallocation=metadata", p.toString(),
                "48M");
        damageAndCompare(p, 60, 1);
    }

    @Test
    void writtenImageWithSnapshotGivesTheSameResultUnderEveryDamage() throws Exception {
        Path p = dir.resolve("written.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=512", p.toString(), "32M");
        Qemu.io(dir, p.toString(), "write -P 1 0 4M", "write -P 2 10M 2M", "write -z 13M 64k", "write -P 3 20M 3M");
        Qemu.img(dir, "snapshot", "-c", "one", p.toString());
        Qemu.io(dir, p.toString(), "write -P 4 1M 1M");
        damageAndCompare(p, 40, 2);
    }

    @Test
    void largerClustersAndCompressedEntriesGiveTheSameResult() throws Exception {
        Path p = dir.resolve("64k.qcow2");
        Qemu.img(dir, "create", "-q", "-f", "qcow2", "-o", "cluster_size=65536", p.toString(), "4G");
        Qemu.io(dir, p.toString(), "write -P 1 0 8M", "write -P 2 1G 4M", "write -P 3 2G 2M", "write -c -P 5 21M 64k",
                "write -c -P 6 3G 64k", "write -P 7 4095M 1M");
        damageAndCompare(p, 12, 3);
    }

    private void damageAndCompare(Path p, int damages, long seed) throws IOException {
        assertWalksAgree(p, "undamaged");
        Random rnd = new Random(seed);
        for (int d = 0; d < damages; d++) {
            List<long[]> undo = new ArrayList<>();
            String what;
            try (Qcow2Image img = open(p); RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                what = damage(img, f, rnd, undo);
            }
            assertWalksAgree(p, "damage " + d + ": " + what);
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                for (int k = undo.size() - 1; k >= 0; k--) {
                    f.seek(undo.get(k)[0]);
                    f.writeLong(undo.get(k)[1]);
                }
            }
        }
    }

    /** One to three random changes; each changed word's old value goes to {@code undo}. */
    private static String damage(Qcow2Image img, RandomAccessFile f, Random rnd, List<long[]> undo) throws IOException {
        long[] l1 = img.l1Table();
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < l1.length; i++) {
            if (L1Entry.l2Offset(l1[i]) != 0) {
                used.add(i);
            }
        }
        assertTrue(used.size() > 1, "the image needs several L2 tables");
        int entries = (int) (img.geometry().clusterSize() / 8);
        long cs = img.geometry().clusterSize();
        long end = f.length();
        StringBuilder what = new StringBuilder();
        int changes = 1 + rnd.nextInt(3);
        for (int c = 0; c < changes; c++) {
            int i = used.get(rnd.nextInt(used.size()));
            long l2 = L1Entry.l2Offset(l1[i]);
            long at = l2 + 8L * rnd.nextInt(entries);
            long otherL2 = L1Entry.l2Offset(l1[used.get(rnd.nextInt(used.size()))]);
            long other = read(f, otherL2 + 8L * rnd.nextInt(entries));
            long old = read(f, at);
            long value;
            int kind = rnd.nextInt(15);
            switch (kind) {
                case 0 -> value = other; // a data cluster claimed twice, often in another batch
                case 1 -> value = read(f, l2 + 8L * rnd.nextInt(entries)); // twice in the same table
                case 2 -> value = otherL2 | (1L << 63); // an L2 table as data
                case 3 -> value = img.header().l1TableOffset() | (1L << 63); // the L1 table as data
                case 4 -> value = ((end + cs * (1 + rnd.nextInt(3))) & ~(cs - 1)) | (1L << 63); // past the end
                case 5 -> value = old + 0x100; // unaligned
                case 6 -> value = old | 1; // the zero flag
                case 7 -> value = old & ~(1L << 63); // COPIED clear
                case 8 -> value = old | 0x0100_0000_0000_0000L; // reserved bits
                case 9 -> value = 0; // a leak
                case 10 -> {
                    // an L1 entry: another L1 entry's table (a shared L2 table), or an unaligned one
                    at = img.header().l1TableOffset() + 8L * i;
                    old = read(f, at);
                    value = rnd.nextBoolean() ? l1[used.get(rnd.nextInt(used.size()))] : old + 0x80;
                }
                case 11 -> {
                    // refcounts: four entries of a refcount block word changed (or left alone)
                    long[] reftable = img.refcounts().reftable();
                    long block = reftable[rnd.nextInt(reftable.length)] & ~(cs - 1);
                    if (block == 0) {
                        block = reftable[0] & ~(cs - 1);
                    }
                    at = block + 8L * rnd.nextInt((int) (cs / 8));
                    old = read(f, at);
                    value = rnd.nextBoolean() ? old ^ (1L << (16 * rnd.nextInt(4))) : old + 1;
                }
                case 12 -> {
                    // an unaligned refcount table entry: a whole block of refcounts unreadable
                    int r = rnd.nextInt(img.refcounts().reftableEntries());
                    at = img.header().refcountTableOffset() + 8L * r;
                    old = read(f, at);
                    value = old == 0 ? 0 : old + 0x100;
                }
                case 13 -> {
                    // 60 refcount table entries cleared: thousands of mismatches, past the findings' cap
                    int r0 = rnd.nextInt(Math.max(1, img.refcounts().reftableEntries() - 60));
                    for (int r = r0; r < r0 + 59 && r < img.refcounts().reftableEntries(); r++) {
                        long a = img.header().refcountTableOffset() + 8L * r;
                        undo.add(new long[] {a, read(f, a)});
                        f.seek(a);
                        f.writeLong(0);
                    }
                    at = img.header().refcountTableOffset() + 8L * (r0 + 59);
                    old = read(f, at);
                    value = 0;
                }
                default -> value = old == 0 ? other : old; // nothing
            }
            undo.add(new long[] {at, old});
            f.seek(at);
            f.writeLong(value);
            what.append(String.format("kind %d at 0x%x: %x -> %x; ", kind, at, old, value));
        }
        return what.toString();
    }

    private static long read(RandomAccessFile f, long at) throws IOException {
        f.seek(at);
        return f.readLong();
    }

    private static void assertWalksAgree(Path p, String what) throws IOException {
        String parallel;
        String sequential;
        int threshold = RefcountComparison.parallelMinClusters;
        try {
            RefcountComparison.parallelMinClusters = 1;
            try (Qcow2Image img = open(p)) {
                parallel = outcome(img, null);
            }
            RefcountComparison.parallelMinClusters = Integer.MAX_VALUE;
            try (Qcow2Image img = open(p)) {
                sequential = outcome(img, ONE_AT_A_TIME);
            }
        } finally {
            RefcountComparison.parallelMinClusters = threshold;
        }
        assertEquals(sequential, parallel, what);
    }

    private static String outcome(Qcow2Image img, ClaimListener listener) {
        try {
            return ImageChecker.check(img, ProgressMonitor.NONE, listener).toString();
        } catch (IOException | RuntimeException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static Qcow2Image open(Path p) throws IOException {
        return Qcow2Image.open(p, OpenOptions.readOnly().withCheckMode(true).withBackingChain(false));
    }
}
