package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L1Entry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.image.Qcow2Image;
import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The OFLAG_COPIED rule (spec 4.2, 5.4 step 4): in the active L1 and its L2 tables, COPIED is set exactly where the
 * cluster's refcount is 1 (always 1 with an external data file). Walks the active tables once and lists the entries to
 * rewrite, judged against the refcounts the caller gives (the references found, or the on-disk refcounts after a fix).
 * With QEMU's rule ({@code qemu-img check -r}'s check_oflag_copied) broken entries count too: an unaligned entry is
 * judged by the cluster its offset falls in, one past the end of the file by its refcount there (0 when no block covers
 * it), and an entry whose refcount cannot be read (refcountOf negative) is left alone.
 */
final class CopiedPatches {
    /** One entry to flip, with where it is and which guest range it covers. */
    record Flip(String path, Patch patch, long guestOffset, long guestLength) {
    }

    private CopiedPatches() {
    }

    static List<Flip> compute(Qcow2Image img, LongUnaryOperator refcountOf, ProgressMonitor monitor) throws IOException {
        return compute(img, refcountOf, monitor, false);
    }

    static List<Flip> compute(Qcow2Image img, LongUnaryOperator refcountOf, ProgressMonitor monitor, boolean qemuRule)
            throws IOException {
        Geometry g = img.geometry();
        long fileClusters = g.clustersFor(img.storage().size());
        List<Flip> out = new ArrayList<>();
        ActiveTables.Visitor visitor = new ActiveTables.Visitor() {
            @Override
            public void l1Entry(int l1Index, long entryOffset, long raw, long l2Offset) {
                long rc = refcountOf.applyAsLong(l2Offset >>> g.clusterBits());
                if (qemuRule && rc < 0) {
                    return;
                }
                boolean want = rc == 1;
                if (want != L1Entry.copied(raw)) {
                    long ne = want ? raw | L1Entry.COPIED : raw & ~L1Entry.COPIED;
                    out.add(new Flip("L1[" + l1Index + "]", Patch.word(HostClusterRole.ACTIVE_L1, entryOffset, raw, ne),
                            l1Index * g.bytesPerL1Entry(), g.bytesPerL1Entry()));
                }
            }

            @Override
            public void clusterEntry(int l1Index, long l2Offset, int l2Index, long entryOffset, long w, long guest) {
                long c = L2Entry.hostOffset(w) >>> g.clusterBits();
                if (!qemuRule && !img.hasDataFile() && c >= fileClusters) {
                    return;
                }
                long rc = img.hasDataFile() ? 1 : refcountOf.applyAsLong(c);
                if (qemuRule && rc < 0) {
                    return;
                }
                boolean want = rc == 1;
                if (want != L2Entry.copied(w)) {
                    long nw = want ? w | L2Entry.COPIED : w & ~L2Entry.COPIED;
                    out.add(new Flip("L1[" + l1Index + "] -> L2@0x" + Long.toHexString(l2Offset) + "[" + l2Index + "]",
                            Patch.word(HostClusterRole.L2_TABLE, entryOffset, w, nw), guest, g.clusterSize()));
                }
            }
        };
        if (qemuRule) {
            ActiveTables.walkAsQemu(img, monitor, visitor);
        } else {
            ActiveTables.walk(img, monitor, visitor);
        }
        return out;
    }
}
