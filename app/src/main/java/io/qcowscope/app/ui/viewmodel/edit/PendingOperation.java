package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One change the window has queued (a repair plan, a guest write, zero or discard, a snapshot operation). Nothing is
 * written until the queue is applied; then each operation runs in queue order against the apply's target.
 */
public interface PendingOperation {

    /** One line for the queue panel, e.g. "Zero 64 KiB at 0x10000 (unmap)". */
    String title();

    /** What will change, one line each, for the Apply confirmation. */
    List<String> changes();

    /** The highest risk among the changes (engine's labels: safe, rewrites-metadata, changes-guest-data). */
    RiskLevel risk();

    /** True for a repair: the only kind an image reserved for repair only may apply. */
    default boolean isRepair() {
        return false;
    }

    /**
     * Writes the change into {@code target}. The window holds no open image on it while this runs; the operation opens
     * what it needs (taking QEMU's write lock) and closes it again, flushed in the engine's crash-safe order.
     *
     * @param journal in place, the apply's undo journal: every byte this operation overwrites is recorded in it before it
     *                is written (it may already hold earlier operations' records); null when the target is a new copy
     * @return one line saying what was done ("2 subclusters allocated, 0 bytes copied, 1 L2 entry updated")
     */
    String apply(Path target, UndoJournal journal, ProgressMonitor monitor) throws IOException;
}
