package io.qcowscope.engine.format;

/** The structure an error is about, by its name in the spec (spec sections 1-4, 7); the label is what messages print. */
public enum Structure {
    HEADER("header"),
    HEADER_EXTENSION("header extension"),
    BACKING_FORMAT_EXTENSION("backing format extension"),
    BITMAPS_EXTENSION("bitmaps extension"),
    BITMAP_DIRECTORY("bitmap directory"),
    ENCRYPTION_HEADER_POINTER("encryption header pointer"),
    LUKS_HEADER("LUKS header"),
    L1_TABLE("L1 table"),
    L2_TABLE("L2 table"),
    REFCOUNT_TABLE("refcount table"),
    REFCOUNT_BLOCK("refcount block"),
    SNAPSHOT_TABLE("snapshot table"),
    COMPRESSED_CLUSTER("compressed cluster"),
    BACKING_FILE("backing file"),
    DATA_FILE("data file"),
    IMAGE("image"),
    IMAGE_FILE("image file"),
    /** A host file named in the message (its name replaces the label). */
    FILE("file"),
    BLOCK_STATUS("block status"),
    UNDO_JOURNAL("undo journal"),
    REPAIR_PLAN("repair plan");

    private final String label;

    Structure(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
