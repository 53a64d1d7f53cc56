package io.qcowscope.app.ui.viewmodel.teach;

/** The structures the Explain panel teaches besides the enumerated header fields, feature bits, roles and states. */
public enum Topic {
    GUEST_OFFSET("guest-offset"),
    L1_ENTRY("l1-entry"),
    L2_ENTRY_STANDARD("l2-entry-standard"),
    L2_ENTRY_EXTENDED("l2-entry-extended"),
    COMPRESSED_DESCRIPTOR("compressed-descriptor"),
    REFCOUNT_BLOCK("refcount-block"),
    REFCOUNT_WIDTH("refcount-width"),
    SNAPSHOT("snapshot"),
    BITMAP("bitmap"),
    BACKING_CHAIN("backing-chain");

    private final String file;

    Topic(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }
}
