package io.qcowscope.app.ui.viewmodel.edit;

/** The guest edits the window queues (qemu-io's write -P, write from a file, write -z [-u], discard). */
public enum GuestEdit {
    WRITE_PATTERN("Write pattern"),
    WRITE_FILE("Write from file"),
    ZERO("Zero"),
    ZERO_UNMAP("Zero (unmap)"),
    DISCARD("Discard");

    private final String label;

    GuestEdit(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
