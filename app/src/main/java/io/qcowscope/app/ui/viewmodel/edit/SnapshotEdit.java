package io.qcowscope.app.ui.viewmodel.edit;

/** The snapshot operations the window queues, as {@code qemu-img snapshot -c / -d / -a}. */
public enum SnapshotEdit {
    CREATE,
    DELETE,
    REVERT
}
