package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qcowscope.engine.check.Severity;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter answers the window's questions from the engine layout. */
class EngineHostLayoutTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        Qemu.requireInstalled();
    }

    private static Qcow2Image open(Path p) throws Exception {
        return Qcow2Image.open(p, OpenOptions.readOnly().withCheckMode(true));
    }

    @Test
    void rolesOwnersAndReferencesComeFromTheEngine() throws Exception {
        try (Qcow2Image img = open(TestImages.extendedWithBacking(dir))) {
            EngineHostLayout l = EngineHostLayout.build(img, ProgressMonitor.NONE);
            var h = img.header();
            assertEquals(HostClusterRole.HEADER, l.role(0));
            assertEquals(HostClusterRole.ACTIVE_L1, l.role(h.l1TableOffset() >>> 16));
            assertEquals(HostClusterRole.REFCOUNT_TABLE, l.role(h.refcountTableOffset() >>> 16));
            long l2 = L1Entry.l2Offset(img.l1Entry(0)) >>> 16;
            assertEquals(HostClusterRole.L2_TABLE, l.role(l2));
            assertEquals(0, l.l1IndexOf(l2));
            assertEquals(HostClusterRole.SNAPSHOT_TABLE, l.role(h.snapshotsOffset() >>> 16));
            assertEquals(HostClusterRole.SNAPSHOT_L1, l.role(img.snapshots().get(0).l1TableOffset() >>> 16));
            long data0 = img.l2Entry(l2 << 16, 0).hostOffset() >>> 16;
            assertEquals(HostClusterRole.DATA, l.role(data0));
            assertEquals(TestImages.PARTLY_WRITTEN, l.guestClusterOf(data0));
            assertEquals(2, l.referencesFound(data0), "active L1 and the snapshot's");
            assertEquals(2, l.storedRefcount(data0));
            long comp = img.l2Entry(l2 << 16, (int) TestImages.COMPRESSED).word0();
            assertEquals(HostClusterRole.COMPRESSED, l.role((comp & CompressedDescriptor.offsetMask(16)) >>> 16));
            assertTrue(l.check().findings().stream().allMatch(f -> f.severity() == Severity.WARNING), l.check().findings().toString());
            assertTrue(l.bytesOf(HostClusterRole.DATA) >= 2 * 65536);
            assertTrue(l.describeOwner(data0).contains("L1[0] -> L2[0] (guest 0x0)"), l.describeOwner(data0));
        }
    }

    @Test
    void fillRolesPadsPastTheEndWithFree() throws Exception {
        try (Qcow2Image img = open(TestImages.withLeak(dir, 3))) {
            EngineHostLayout l = EngineHostLayout.build(img, ProgressMonitor.NONE);
            byte[] b = new byte[4];
            l.fillRoles(l.clusterCount() - 1, b, 0, 4);
            assertEquals(HostClusterRole.FREE.code(), b[3]);
            assertEquals(65536, l.bytesOf(HostClusterRole.LEAKED));
            assertEquals(HostClusterRole.FREE, l.role(l.clusterCount()));
        }
    }
}
