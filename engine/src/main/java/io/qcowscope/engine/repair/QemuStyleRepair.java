package io.qcowscope.engine.repair;

import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code qemu-img check -r leaks|all} (spec 5.4, 5.6): in place, no journal, the repairs QEMU makes and no others. With
 * {@code leaks}, an image whose refcount structure needs a rebuild is left alone and reported as a check error.
 */
public final class QemuStyleRepair {
    /** The fix kinds (options) {@code -r all} may use: exactly what QEMU 7.2 repairs. */
    public static final Set<String> ALL = Set.of(FixKind.FREE_LEAK.option(), FixKind.RAISE_REFCOUNT.option(),
            FixKind.REBUILD_REFCOUNTS.option(), FixKind.FIX_COPIED.option(), FixKind.REWRITE_SNAPSHOT_TABLE.option(),
            FixKind.PREALLOCATED_TO_ZERO.option(), FixKind.CLEAR_DIRTY_BIT.option());
    /** {@code -r leaks}: leaks, then COPIED and the header bits only when nothing else is wrong. */
    public static final Set<String> LEAKS = Set.of(FixKind.FREE_LEAK.option(), FixKind.FIX_COPIED.option(),
            FixKind.CLEAR_DIRTY_BIT.option());

    /** The message QEMU prints when {@code -r leaks} meets damage only a rebuild mends. */
    public static final String NEED_REBUILD = "ERROR need to rebuild refcount structures";

    private QemuStyleRepair() {
    }

    /** Returns null when {@code -r leaks} refuses (a rebuild is needed); the caller reports {@link #NEED_REBUILD}. */
    public static RepairReport repair(Path image, boolean all, ProgressMonitor monitor) throws IOException {
        return repair(image, all, null, monitor);
    }

    /**
     * The same, recording every overwritten byte into {@code journal} first when it is not null (the window's apply puts
     * this behind its undo); QEMU itself keeps no journal, and what is written is the same either way.
     */
    public static RepairReport repair(Path image, boolean all, UndoJournal journal, ProgressMonitor monitor)
            throws IOException {
        RepairPlan plan = RepairPlanner.plan(image, monitor);
        if (!all && plan.check().rebuildNeeded()) {
            return null;
        }
        RepairApplier.Mode mode = journal == null ? new RepairApplier.InPlace(null) : new RepairApplier.Journaled(journal);
        return RepairApplier.apply(plan, mode, all ? ALL : LEAKS, !all, monitor);
    }
}
