package io.qcowscope.engine.testkit;

import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.rescue.RescuePlanner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Issue 14's damaged-image corpus, for rescue tests in both modules: qemu-made images (standard and extended L2, with and
 * without snapshots) damaged by byte patches, one or more per damage kind, each with the fix a rescue is expected to
 * propose first.
 */
public final class RescueCorpus {
    private RescueCorpus() {
    }

    /** The undamaged images. */
    public enum Base {
        STD, EXTL2, STD_SNAP, EXTL2_SNAP, SMALL_CLUSTERS
    }

    /** One damage: the image it starts from and the fix expected first. */
    public enum Damage {
        MAGIC(Base.STD, FixKind.RESCUE_MAGIC),
        MAGIC_EXTL2_SNAPSHOT(Base.EXTL2_SNAP, FixKind.RESCUE_MAGIC),
        VERSION(Base.STD, FixKind.RESCUE_VERSION),
        CLUSTER_BITS(Base.STD, FixKind.RESCUE_CLUSTER_BITS),
        CLUSTER_BITS_EXTL2(Base.EXTL2, FixKind.RESCUE_CLUSTER_BITS),
        CLUSTER_BITS_SNAPSHOT(Base.STD_SNAP, FixKind.RESCUE_CLUSTER_BITS),
        CLUSTER_BITS_AND_REFCOUNTS(Base.SMALL_CLUSTERS, FixKind.RESCUE_CLUSTER_BITS),
        L1_SIZE_ZERO(Base.STD, FixKind.RESCUE_L1_SIZE),
        L1_SIZE_ABSURD(Base.STD_SNAP, FixKind.RESCUE_L1_SIZE),
        L1_SIZE_PAST_EOF(Base.STD, FixKind.RESCUE_L1_SIZE),
        REFCOUNT_ORDER(Base.STD, FixKind.RESCUE_REFCOUNT_ORDER),
        REFCOUNT_ORDER_EXTL2_SNAPSHOT(Base.EXTL2_SNAP, FixKind.RESCUE_REFCOUNT_ORDER),
        UNKNOWN_INCOMPATIBLE(Base.STD, FixKind.CLEAR_UNKNOWN_INCOMPATIBLE),
        VIRTUAL_SIZE(Base.EXTL2, FixKind.RESCUE_VIRTUAL_SIZE),
        VIRTUAL_SIZE_SNAPSHOT(Base.STD_SNAP, FixKind.RESCUE_VIRTUAL_SIZE),
        EXTENSION_TOO_LONG(Base.STD, FixKind.TRIM_HEADER_EXTENSIONS),
        EXTENSION_DUPLICATE(Base.EXTL2_SNAP, FixKind.TRIM_HEADER_EXTENSIONS),
        SNAPSHOT_L1_PAST_EOF(Base.STD_SNAP, FixKind.RELINK_SNAPSHOT_L1),
        SNAPSHOT_L1_UNALIGNED(Base.EXTL2_SNAP, FixKind.RELINK_SNAPSHOT_L1),
        SNAPSHOT_L1_LOST(Base.STD_SNAP, FixKind.DROP_UNREADABLE_SNAPSHOT),
        BACKING_MISSING(Base.STD, FixKind.REPOINT_BACKING),
        BACKING_LOOP(Base.STD, FixKind.DROP_BACKING),
        ORPHAN_L2(Base.STD, FixKind.RELINK_ORPHAN_L2),
        ORPHAN_REFBLOCK(Base.STD, FixKind.RELINK_ORPHAN_REFBLOCK),
        ORPHAN_REFBLOCK_SMALL_CLUSTERS(Base.SMALL_CLUSTERS, FixKind.RELINK_ORPHAN_REFBLOCK);

        public final Base base;
        public final FixKind expected;

        Damage(Base base, FixKind expected) {
            this.base = base;
            this.expected = expected;
        }

        /** Rescue fixes that are never the default; a test selects them, as a user would. */
        public boolean userChoice() {
            return expected == FixKind.CLEAR_UNKNOWN_INCOMPATIBLE || expected == FixKind.REPOINT_BACKING
                    || expected == FixKind.DROP_BACKING || orphan();
        }

        public boolean orphan() {
            return expected == FixKind.RELINK_ORPHAN_L2 || expected == FixKind.RELINK_ORPHAN_REFBLOCK;
        }

        /** The header fails validation: no plain open reads the image. */
        public boolean headerDamage() {
            return ordinal() <= EXTENSION_DUPLICATE.ordinal() && this != L1_SIZE_PAST_EOF;
        }
    }

    /**
     * A damaged image of the corpus.
     *
     * @param original  the undamaged image it was made from
     * @param image     the damaged image
     * @param reference the image whose guest content a rescue should give back (the original, or for the backing
     *                  damages the undamaged overlay)
     * @param options   the rescue options a user would give (a chosen value, a backing file)
     */
    public record Damaged(Path original, Path image, Path reference, RescuePlanner.Options options) {
    }

    /** Writes the undamaged image {@code a.qcow2} in {@code d} with qemu-img and qemu-io. */
    public static Path build(Base b, Path d) {
        switch (b) {
            case STD -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "a.qcow2", "64M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 64k", "write -P 0x22 32M 128k");
            }
            case EXTL2 -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on,cluster_size=128k", "a.qcow2", "64M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 8k", "write -P 0x22 32M 200k");
            }
            case STD_SNAP -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "a.qcow2", "4M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 64k", "write -P 0x22 1M 64k");
                Qemu.img(d, "snapshot", "-c", "s1", "a.qcow2");
                Qemu.io(d, "a.qcow2", "write -P 0x33 0 64k");
            }
            case EXTL2_SNAP -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "extended_l2=on,cluster_size=64k", "a.qcow2", "4M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 4k", "write -P 0x22 1M 64k");
                Qemu.img(d, "snapshot", "-c", "s1", "a.qcow2");
                Qemu.io(d, "a.qcow2", "write -P 0x33 0 4k");
            }
            case SMALL_CLUSTERS -> {
                // 4 KiB clusters: one refcount block covers 2048 clusters (8 MiB), so 10 MiB of data needs two
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-o", "cluster_size=4k", "a.qcow2", "64M");
                Qemu.io(d, "a.qcow2", "write -P 0x11 0 10M", "write -P 0x22 32M 8k");
            }
        }
        return d.resolve("a.qcow2");
    }

    /** Builds the damage's base image in {@code d}, copies it to {@code damaged.qcow2} and damages the copy. */
    public static Damaged damage(Damage damage, Path d) throws IOException {
        Path original = build(damage.base, d);
        Path image = d.resolve("damaged.qcow2");
        Files.copy(original, image);
        Path reference = original;
        RescuePlanner.Options options = RescuePlanner.Options.defaults();
        switch (damage) {
            case MAGIC, MAGIC_EXTL2_SNAPSHOT -> put32(image, 0, 0x514649FA);
            case VERSION -> put32(image, 4, 0x7);
            case CLUSTER_BITS, CLUSTER_BITS_EXTL2, CLUSTER_BITS_SNAPSHOT -> put32(image, 20, 0x40);
            case CLUSTER_BITS_AND_REFCOUNTS -> {
                // two damages: thousands of refcounts read 0, so no cluster size makes the check clean
                long block = u64(image, u64(image, 48));
                try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                    f.seek(block);
                    f.write(new byte[4096]); // refcount block 0: host clusters 0..2047 (4 KiB clusters, 16 bits)
                }
                put32(image, 20, 0x40);
            }
            case L1_SIZE_ZERO -> put32(image, 36, 0);
            case L1_SIZE_ABSURD -> put32(image, 36, 0x7FFFFFFF);
            case L1_SIZE_PAST_EOF -> put32(image, 36, 0x20000); // QEMU opens it: the table reads on past the file
            case REFCOUNT_ORDER, REFCOUNT_ORDER_EXTL2_SNAPSHOT -> put32(image, 96, 9);
            case UNKNOWN_INCOMPATIBLE -> {
                put64(image, 72, u64(image, 72) | 1L << 9);
                options = new RescuePlanner.Options(Map.of("incompatible_features", 0L), null);
            }
            case VIRTUAL_SIZE, VIRTUAL_SIZE_SNAPSHOT -> put64(image, 24, 1L << 62);
            case EXTENSION_TOO_LONG -> put32(image, 112 + 4, 0xFFFF0);
            case EXTENSION_DUPLICATE -> {
                long len = u32(image, 116);
                long next = 112 + 8 + ((len + 7) & ~7L);
                put32(image, next, 0x6803F857); // a second feature name table, empty
                put32(image, next + 4, 0);
            }
            case SNAPSHOT_L1_PAST_EOF -> put64(image, snapshotEntry(image), 0x70000000L);
            case SNAPSHOT_L1_UNALIGNED -> put64(image, snapshotEntry(image), u64(image, snapshotEntry(image)) + 0x200);
            case SNAPSHOT_L1_LOST -> {
                long at = snapshotEntry(image);
                long l1 = u64(image, at);
                put64(image, at, 0x70000000L);
                put64(image, l1, 0); // the table itself is gone too: nothing to find
            }
            case BACKING_MISSING, BACKING_LOOP -> {
                Qemu.img(d, "create", "-q", "-f", "qcow2", "-b", "a.qcow2", "-F", "qcow2", "top.qcow2");
                Qemu.io(d, "top.qcow2", "write -P 0x77 64k 64k");
                Files.delete(image);
                Files.copy(d.resolve("top.qcow2"), image);
                reference = d.resolve("top.qcow2");
                if (damage == Damage.BACKING_MISSING) {
                    Path elsewhere = Files.createDirectories(d.resolve("moved")).resolve("a-copy.qcow2");
                    Files.copy(original, elsewhere);
                    rebaseUnsafe(d, image, "gone.qcow2");
                    options = new RescuePlanner.Options(Map.of(), elsewhere);
                } else {
                    Files.copy(image, d.resolve("loop.qcow2"));
                    rebaseUnsafe(d, image, "loop.qcow2");
                    rebaseUnsafe(d, d.resolve("loop.qcow2"), "damaged.qcow2");
                }
            }
            case ORPHAN_L2 -> put64(image, u64(image, 40), 0);
            case ORPHAN_REFBLOCK -> put64(image, u64(image, 48), 0); // refcount table entry 0: every refcount reads 0
            case ORPHAN_REFBLOCK_SMALL_CLUSTERS -> {
                long reftable = u64(image, 48);
                if (u64(image, reftable + 8) == 0) {
                    throw new AssertionError("the image this damage assumes has a second refcount block");
                }
                put64(image, reftable + 8, 0); // the second block: host clusters 2048..4095 read refcount 0
            }
        }
        return new Damaged(original, image, reference, options);
    }

    private static void rebaseUnsafe(Path d, Path image, String backing) {
        Qemu.img(d, "rebase", "-u", "-b", backing, "-F", "qcow2", image.toString());
    }

    /** Where the first snapshot table entry's l1_table_offset is (spec 4.3: the entry's first field). */
    public static long snapshotEntry(Path p) throws IOException {
        return u64(p, 64);
    }

    public static long u64(Path p, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            f.seek(at);
            return f.readLong();
        }
    }

    public static long u32(Path p, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            f.seek(at);
            return f.readInt() & 0xFFFFFFFFL;
        }
    }

    public static void put64(Path p, long at, long v) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(at);
            f.write(ByteBuffer.allocate(8).putLong(v).array());
        }
    }

    public static void put32(Path p, long at, long v) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(at);
            f.write(ByteBuffer.allocate(4).putInt((int) v).array());
        }
    }
}
