package io.qcowscope.engine.check;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.mapping.L2Table;
import io.qcowscope.engine.storage.Storage;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;

/**
 * QEMU's {@code check_oflag_copied} without repair (spec 4.2, 5.4 step 4): for the active L1 and each L2 table it points
 * at, COPIED must equal (on-disk refcount == 1); one finding per entry. Entries whose refcount cannot be read are skipped
 * silently, as QEMU does. Data clusters of an external data file count as refcount 1.
 */
final class CopiedCheck {
    private CopiedCheck() {
    }

    static void run(Storage storage, Geometry geo, boolean dataFile, long[] l1, long[] reftable, Findings out,
            ProgressMonitor monitor) throws IOException {
        OnDiskRefcounts disk = new OnDiskRefcounts(storage, geo, reftable);
        byte[] raw = new byte[(int) geo.clusterSize()];
        long[] words = L2Table.emptyWords(geo);
        for (int i = 0; i < l1.length; i++) {
            long e1 = l1[i];
            long l2Offset = L1Entry.l2Offset(e1);
            if (l2Offset == 0) {
                continue;
            }
            monitor.checkCancelled();
            String l1Path = "L1[" + i + "]";
            long refcount = refcount(disk, l2Offset >>> geo.clusterBits());
            boolean wrong = refcount >= 0 && (refcount == 1) != L1Entry.copied(e1);
            if (wrong && !out.keepsMore()) {
                out.count(FindingKind.COPIED_L1);
            } else if (wrong) {
                out.add(Finding.of(FindingKind.COPIED_L1, l1Path,
                        String.format("ERROR OFLAG_COPIED L2 cluster: l1_index=%d l1_entry=%x refcount=%d", i, e1,
                                refcount))
                        .cluster(l2Offset >>> geo.clusterBits()).expected(refcount == 1 ? 1L : 0L)
                        .found(L1Entry.copied(e1) ? 1L : 0L)
                        .guest((long) i * geo.bytesPerL1Entry(), geo.bytesPerL1Entry()));
            }
            L2Table t = L2Table.read(storage, geo, dataFile, l2Offset, raw, words);
            for (int j = 0; j < t.entries(); j++) {
                long e = t.word0(j);
                ClusterType type = t.clusterType(j);
                if (type != ClusterType.NORMAL && type != ClusterType.ZERO_ALLOC) {
                    continue;
                }
                long offset = L2Entry.hostOffset(e);
                long rc = dataFile ? 1 : refcount(disk, offset >>> geo.clusterBits());
                if (rc < 0 || (rc == 1) == L2Entry.copied(e)) {
                    continue;
                }
                if (!out.keepsMore()) {
                    // Only counted: its text would be dropped. Formatting it was 68% of the time of a rescue's
                    // refcount_order trials on a 1 TiB image, where a wrong width gives one finding per cluster.
                    out.count(FindingKind.COPIED_L2);
                    continue;
                }
                long guest = (((long) i << geo.l2Bits()) + j) << geo.clusterBits();
                out.add(Finding.of(FindingKind.COPIED_L2,
                        l1Path + " -> L2@0x" + Long.toHexString(l2Offset) + "[" + j + "]",
                        String.format("ERROR OFLAG_COPIED data cluster: l2_entry=%x refcount=%d", e, rc))
                        .at(t.entryOffset(j)).cluster(offset >>> geo.clusterBits()).expected(rc == 1 ? 1L : 0L)
                        .found(L2Entry.copied(e) ? 1L : 0L).guest(guest, geo.clusterSize()));
            }
        }
    }

    /** The on-disk refcount, or -1 where QEMU's lookup fails. */
    private static long refcount(OnDiskRefcounts disk, long cluster) throws IOException {
        try {
            return disk.get(cluster);
        } catch (OnDiskRefcounts.Unreadable e) {
            return -1;
        }
    }
}
