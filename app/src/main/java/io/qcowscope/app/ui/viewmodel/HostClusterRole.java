package io.qcowscope.app.ui.viewmodel;

/** What a host cluster holds (spec 4); the role byte of a host layout is the ordinal. */
public enum HostClusterRole {
    HEADER("header"),
    L1("L1 table"),
    SNAPSHOT_L1("snapshot L1 table"),
    L2("L2 table"),
    REFCOUNT_TABLE("refcount table"),
    REFCOUNT_BLOCK("refcount block"),
    DATA("guest data"),
    COMPRESSED("compressed data"),
    SNAPSHOT_TABLE("snapshot table"),
    BITMAP("bitmap"),
    FREE("free"),
    LEAKED("leaked"),
    OVERLAP("overlap / error");

    private static final HostClusterRole[] VALUES = values();
    private final String label;

    HostClusterRole(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public byte code() {
        return (byte) ordinal();
    }

    public static HostClusterRole of(byte code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : OVERLAP;
    }

    public boolean isMetadata() {
        return switch (this) {
            case HEADER, L1, SNAPSHOT_L1, L2, REFCOUNT_TABLE, REFCOUNT_BLOCK, SNAPSHOT_TABLE, BITMAP -> true;
            default -> false;
        };
    }
}
