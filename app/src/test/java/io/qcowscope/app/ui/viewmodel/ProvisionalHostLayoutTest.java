package io.qcowscope.app.ui.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.testkit.Qemu;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionalHostLayoutTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void qemu() {
        assumeTrue(Qemu.available(), "qemu-img is needed");
    }

    @Test
    void scanAssignsRolesFromTheStructures() throws Exception {
        try (Qcow2Image img = Qcow2Image.open(TestImages.extendedWithBacking(dir))) {
            ProvisionalHostLayout l = ProvisionalHostLayout.scan(img, ProgressMonitor.NONE);
            var h = img.header();
            assertEquals(HostClusterRole.HEADER, l.role(0));
            assertEquals(HostClusterRole.L1, l.role(h.l1TableOffset() >>> 16));
            assertEquals(HostClusterRole.REFCOUNT_TABLE, l.role(h.refcountTableOffset() >>> 16));
            long l2 = L1Entry.l2Offset(img.l1Entry(0));
            assertEquals(HostClusterRole.L2, l.role(l2 >>> 16));
            assertEquals(0, l.l1IndexOf(l2 >>> 16));
            assertEquals(HostClusterRole.SNAPSHOT_TABLE, l.role(h.snapshotsOffset() >>> 16));
            assertEquals(HostClusterRole.SNAPSHOT_L1, l.role(img.snapshots().get(0).l1TableOffset() >>> 16));
            long data0 = img.l2Entry(l2, 0).hostOffset() >>> 16;
            assertEquals(HostClusterRole.DATA, l.role(data0));
            assertEquals(TestImages.PARTLY_WRITTEN, l.guestClusterOf(data0));
            assertEquals(2, l.referencesFound(data0), "active L1 and the snapshot's");
            assertEquals(2, l.storedRefcount(data0));
            long comp = img.l2Entry(l2, (int) TestImages.COMPRESSED).word0();
            long compCluster = (comp & io.qcowscope.engine.format.CompressedDescriptor.offsetMask(16)) >>> 16;
            assertEquals(HostClusterRole.COMPRESSED, l.role(compCluster));
            assertTrue(L2Entry.isCompressed(comp));
            assertTrue(l.findings().isEmpty(), l.findings().toString());
            assertTrue(l.bytesOf(HostClusterRole.DATA) >= 2 * 65536);
            assertTrue(l.describeOwner(l2 >>> 16).startsWith("L2 table of L1[0]"));
        }
    }

    @Test
    void scanFindsALeakedCluster() throws Exception {
        try (Qcow2Image img = Qcow2Image.open(TestImages.withLeak(dir, 5))) {
            ProvisionalHostLayout l = ProvisionalHostLayout.scan(img, ProgressMonitor.NONE);
            long leaked = -1;
            for (long c = 0; c < l.clusterCount(); c++) {
                if (l.role(c) == HostClusterRole.LEAKED) {
                    leaked = c;
                }
            }
            assertTrue(leaked > 0);
            assertEquals(1, l.findings().size());
            assertEquals(Finding.Severity.LEAK, l.findings().get(0).severity());
            assertEquals(leaked, l.findings().get(0).hostCluster());
            assertEquals(65536, l.bytesOf(HostClusterRole.LEAKED));
        }
    }

    @Test
    void fillRolesPadsPastTheEndWithFree() throws Exception {
        try (Qcow2Image img = Qcow2Image.open(TestImages.withLeak(dir, 3))) {
            ProvisionalHostLayout l = ProvisionalHostLayout.scan(img, ProgressMonitor.NONE);
            byte[] b = new byte[4];
            l.fillRoles(l.clusterCount() - 1, b, 0, 4);
            assertEquals(HostClusterRole.FREE.code(), b[3]);
        }
    }
}
