package io.qcowscope.app.ui.viewmodel.edit;

import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.image.OpenOptions;
import io.qcowscope.engine.repair.RiskLevel;
import io.qcowscope.engine.repair.UndoJournal;
import io.qcowscope.engine.task.ProgressMonitor;
import io.qcowscope.engine.write.SnapshotManager;
import io.qcowscope.engine.write.WritableImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A queued internal snapshot create, delete or revert with {@code qemu-img snapshot} semantics (spec 4.4). */
public final class SnapshotOperation implements PendingOperation {
    private final SnapshotEdit kind;
    private final String name;
    private final OpenOptions options;

    public SnapshotOperation(SnapshotEdit kind, String name, OpenOptions options) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a snapshot needs a name");
        }
        this.kind = kind;
        this.name = name.strip();
        this.options = options;
    }

    public SnapshotEdit kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    @Override
    public String title() {
        return switch (kind) {
            case CREATE -> "Create snapshot '" + name + "'";
            case DELETE -> "Delete snapshot '" + name + "'";
            case REVERT -> "Revert to snapshot '" + name + "'";
        };
    }

    @Override
    public List<String> changes() {
        return switch (kind) {
            case CREATE -> List.of("a copy of the active L1 table is written and every cluster it reaches gets one "
                    + "more reference (qemu-img snapshot -c)");
            case DELETE -> List.of("the snapshot's L1 table and the clusters only it references are freed "
                    + "(qemu-img snapshot -d)");
            case REVERT -> List.of("the disk's content becomes the snapshot's: everything written since it was taken "
                    + "is lost unless another snapshot holds it (qemu-img snapshot -a)");
        };
    }

    @Override
    public RiskLevel risk() {
        return kind == SnapshotEdit.REVERT ? RiskLevel.CHANGES_GUEST_DATA : RiskLevel.REWRITES_METADATA;
    }

    @Override
    public String apply(Path target, UndoJournal journal, ProgressMonitor monitor) throws IOException {
        monitor.checkCancelled();
        try (WritableImage w = WritableImage.open(target, options, journal)) {
            SnapshotManager m = w.snapshotManager();
            long written0 = w.hostBytesWritten();
            String done = switch (kind) {
                case CREATE -> {
                    SnapshotEntry e = m.create(name);
                    yield "snapshot '" + e.name() + "' created (ID " + e.id() + ", L1 table at 0x"
                            + Long.toHexString(e.l1TableOffset()) + ")";
                }
                case DELETE -> {
                    m.delete(name);
                    yield "snapshot '" + name + "' deleted";
                }
                case REVERT -> {
                    m.revert(name);
                    yield "reverted to snapshot '" + name + "'";
                }
            };
            w.flush();
            return done + ", " + io.qcowscope.app.ui.viewmodel.Sizes.bytes(w.hostBytesWritten() - written0)
                    + " of metadata written";
        }
    }
}
