package io.qcowscope.engine.check;

/**
 * One problem found by the check, structured for display and for a repair planner.
 *
 * @param kind        what is wrong; its severity says which counter it added to
 * @param path        the structure path, e.g. {@code L1[3] -> L2@0x50000[17] subcluster 5} or {@code cluster 6}
 * @param byteOffset  file offset of the faulty entry or cluster, or -1
 * @param hostCluster host cluster index concerned (the referenced one), or -1
 * @param expected    the value the rules require (a refcount, a flag as 0/1), or null
 * @param found       the value on disk, or null
 * @param guestOffset first guest byte affected, or -1
 * @param guestLength guest bytes affected, or 0
 * @param message     the line {@code qemu-img check} prints for it (qcowscope's wording for warnings)
 */
public record Finding(
        FindingKind kind,
        String path,
        long byteOffset,
        long hostCluster,
        Long expected,
        Long found,
        long guestOffset,
        long guestLength,
        String message) {

    public Severity severity() {
        return kind.severity();
    }

    public boolean repairable() {
        return kind.repairable();
    }
}
