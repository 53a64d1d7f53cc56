package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Geometry;
import java.util.List;

/**
 * The outcome of a write planned on a scratch overlay ({@link WriteDryRun}): per guest cluster what QEMU's rules decide,
 * then every call on the file in the order the engine made it (spec B.3), and the metadata entries that changed. The
 * file itself is untouched.
 *
 * @param backingFile the image's backing file name, or null
 * @param cowBytes    bytes of copy-on-write regions written around the guest data
 */
public record WritePlan(long guestOffset, long length, Geometry geometry, String backingFile, long fileSizeBefore,
        long fileSizeAfter, List<ClusterPlan> clusters, List<HostEvent> events, List<L1Change> l1Changes,
        List<L2Change> l2Changes, List<RefcountChange> refcountChanges, long cowBytes) {

    /** An L1 entry rewritten (spec 3.2). */
    public record L1Change(int index, long fileOffset, long before, long after, int phase) {
    }

    /** An L2 entry rewritten (spec 3.3, 3.5): {@code word0} and, with extended L2, the subcluster bitmap. */
    public record L2Change(long tableOffset, int index, long guestOffset, long fileOffset, long word0Before,
            long bitmapBefore, long word0After, long bitmapAfter, int phase) {
    }

    /** A refcount entry rewritten (spec 2): host cluster {@code cluster} went from {@code before} to {@code after}. */
    public record RefcountChange(long cluster, long fileOffset, long before, long after, int phase) {
        public boolean increment() {
            return after > before;
        }
    }

    /** Host clusters whose refcount went from 0 to 1: data, L2 tables and refcount structures the write allocated. */
    public long clustersAllocated() {
        return refcountChanges.stream().filter(r -> r.before() == 0 && r.after() > 0).count();
    }

    /** Bytes written into metadata structures (header, L1, L2, refcount table and blocks). */
    public long metadataBytesWritten() {
        return bytesWritten(true);
    }

    /** Bytes written into data clusters: the guest's bytes and the COW regions. */
    public long dataBytesWritten() {
        return bytesWritten(false);
    }

    private long bytesWritten(boolean metadata) {
        long n = 0;
        for (HostEvent e : events) {
            if (e.kind() == HostEvent.Kind.WRITE && e.role().metadata() == metadata) {
                n += e.length();
            }
        }
        return n;
    }

    public long flushes() {
        return events.stream().filter(e -> e.kind() == HostEvent.Kind.FLUSH).count();
    }
}
