package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.app.ui.viewmodel.edit.PendingOperation;
import io.qcowscope.engine.repair.QemuStyleRepair;
import io.qcowscope.engine.repair.RepairReport;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code qemu-img check -r leaks} or {@code -r all}, queued: exactly the repairs QEMU 7.2 makes, in its order (spec 5.4,
 * 5.6), planned anew on the target when it runs. In place, recorded into the apply's undo journal first (QEMU keeps none;
 * what is written is the same).
 */
public final class QemuRepairOperation implements PendingOperation {
    private final boolean all;
    private volatile RepairReport report;

    public QemuRepairOperation(boolean all) {
        this.all = all;
    }

    public boolean all() {
        return all;
    }

    public RepairReport report() {
        return report;
    }

    @Override
    public String title() {
        return "Repair like qemu-img check -r " + (all ? "all" : "leaks");
    }

    @Override
    public List<String> changes() {
        return all ? List.of("free leaked clusters, raise refcounts or rebuild the refcount structure, fix OFLAG_COPIED, "
                + "the snapshot table and unaligned preallocated zero clusters, clear the dirty bit (QEMU's -r all)")
                : List.of("free leaked clusters; fix OFLAG_COPIED and clear the dirty bit only when nothing else is "
                        + "wrong (QEMU's -r leaks)");
    }

    @Override
    public boolean isRepair() {
        return true;
    }

    @Override
    public RiskLevel risk() {
        return all ? RiskLevel.REWRITES_METADATA : RiskLevel.SAFE;
    }

    @Override
    public String apply(Path target, UndoJournal journal, ProgressMonitor monitor) throws IOException {
        RepairReport r = QemuStyleRepair.repair(target, all, journal, monitor);
        if (r == null) {
            throw new IOException(QemuStyleRepair.NEED_REBUILD + " (qemu-img check -r leaks leaves the image as it is; "
                    + "-r all rebuilds it)");
        }
        report = r;
        return "like qemu-img check -r " + (all ? "all" : "leaks") + ": " + r.corruptionsFixed() + " corruptions and "
                + r.leaksFixed() + " leaks repaired; " + RepairOperation.summary(r).replaceFirst("^.*; ", "");
    }
}
