package io.qcowscope.engine.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.io.NativeFile;
import io.qcowscope.engine.testkit.L2Dump;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot create / revert / delete against {@code qemu-img snapshot} on copies: same L2 entries and COPIED bits, same
 * content, {@code qemu-img check} clean; and qemu-img reads the snapshots we write.
 */
class SnapshotTest {
    @TempDir
    Path dir;

    @BeforeEach
    void images() {
        Qemu.requireInstalled();
    }

    private void prepare(String opts) throws Exception {
        Qemu.img(dir, "create", "-f", "qcow2", "-o", opts, "theirs.qcow2", "8M");
        Qemu.io(dir, "theirs.qcow2", "write -P 1 0 200k", "write -c -P 2 1M 64k", "write -z 2M 64k");
        Files.copy(dir.resolve("theirs.qcow2"), dir.resolve("ours.qcow2"));
    }

    private void assertSame() throws Exception {
        Qemu.img(dir, "compare", "ours.qcow2", "theirs.qcow2");
        Qemu.Result check = Qemu.imgAllowFail(dir, "check", "ours.qcow2");
        assertEquals(0, check.exitCode(), check.stdout() + check.stderr());
        assertEquals(L2Dump.of(dir.resolve("theirs.qcow2")), L2Dump.of(dir.resolve("ours.qcow2")));
    }

    @Test
    void createWriteRevertDeleteLikeQemuImg() throws Exception {
        for (String opts : List.of("cluster_size=64k", "extended_l2=on", "compat=0.10", "cluster_size=4k,refcount_bits=8")) {
            Files.deleteIfExists(dir.resolve("ours.qcow2"));
            Files.deleteIfExists(dir.resolve("theirs.qcow2"));
            prepare(opts);
            Qemu.img(dir, "snapshot", "-c", "one", "theirs.qcow2");
            try (WritableImage w = WritableImage.open(dir.resolve("ours.qcow2"))) {
                w.snapshotManager().create("one");
            }
            assertSame();
            String[] ops = {"write -P 3 4k 4k", "write -P 4 1M 1k", "write -z -u 0 64k", "discard 2M 64k"};
            Qemu.io(dir, "theirs.qcow2", ops);
            try (WritableImage w = WritableImage.open(dir.resolve("ours.qcow2"))) {
                QemuIoScript.apply(w, ops);
            }
            assertSame();
            Qemu.img(dir, "snapshot", "-c", "two", "theirs.qcow2");
            Qemu.img(dir, "snapshot", "-a", "one", "theirs.qcow2");
            try (WritableImage w = WritableImage.open(dir.resolve("ours.qcow2"))) {
                w.snapshotManager().create("two");
                w.snapshotManager().revert("one");
            }
            assertSame();
            Qemu.img(dir, "snapshot", "-d", "one", "theirs.qcow2");
            try (WritableImage w = WritableImage.open(dir.resolve("ours.qcow2"))) {
                w.snapshotManager().delete("one");
                assertEquals(1, w.snapshots().size());
            }
            assertSame();
            // qemu-img reads the snapshot we wrote and goes back to it
            String list = Qemu.img(dir, "snapshot", "-l", "ours.qcow2").stdout();
            assertTrue(list.contains("two"), list);
            Qemu.img(dir, "snapshot", "-a", "two", "ours.qcow2");
            Qemu.img(dir, "snapshot", "-a", "two", "theirs.qcow2");
            Qemu.img(dir, "compare", "ours.qcow2", "theirs.qcow2");
            assertEquals(0, Qemu.imgAllowFail(dir, "check", "ours.qcow2").exitCode());
        }
    }

    /** qemu-img snapshot -d and -a punch the clusters they free (QCOW2_DISCARD_SNAPSHOT passes through by default). */
    @Test
    void deleteAndRevertGiveFreedClustersBackLikeQemuImg() throws Exception {
        String[] first = {"write -q -P 1 0 1M"};
        String[] second = {"write -q -P 2 0 1M"};
        for (String name : List.of("theirs.qcow2", "ours.qcow2")) {
            Qemu.img(dir, "create", "-f", "qcow2", name, "2M");
        }
        Qemu.io(dir, "theirs.qcow2", first);
        Qemu.img(dir, "snapshot", "-c", "one", "theirs.qcow2");
        Qemu.io(dir, "theirs.qcow2", second);
        Qemu.img(dir, "snapshot", "-c", "two", "theirs.qcow2");
        Qemu.img(dir, "snapshot", "-a", "one", "theirs.qcow2");
        Qemu.img(dir, "snapshot", "-d", "two", "theirs.qcow2");
        try (WritableImage w = WritableImage.open(dir.resolve("ours.qcow2"))) {
            QemuIoScript.apply(w, first);
            w.snapshotManager().create("one");
            QemuIoScript.apply(w, second);
            w.snapshotManager().create("two");
            w.snapshotManager().revert("one");
            w.snapshotManager().delete("two");
        }
        assertSame();
        try (NativeFile theirs = NativeFile.open(dir.resolve("theirs.qcow2"), false);
                NativeFile ours = NativeFile.open(dir.resolve("ours.qcow2"), false)) {
            assertTrue(ours.isNative());
            assertEquals(theirs.allocatedBytes(), ours.allocatedBytes(), "allocated bytes, theirs vs ours");
        }
    }

    @Test
    void oneBitRefcountsCannotSnapshot() throws Exception {
        prepare("refcount_bits=1");
        try (WritableImage w = WritableImage.open(dir.resolve("ours.qcow2"))) {
            assertThrows(RefcountOverflowException.class, () -> w.snapshotManager().create("x"));
        }
        assertEquals(0, Qemu.imgAllowFail(dir, "check", "ours.qcow2").exitCode());
    }
}
