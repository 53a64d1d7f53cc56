package io.qcowscope.app.ui.viewmodel;

/** What a guest cluster reads as, summarised over its subclusters (spec 3.3, 3.5). */
public enum GuestClusterState {
    UNALLOCATED("unallocated, reads zeros"),
    BACKING("unallocated, read from a backing layer"),
    ZERO("reads as zeros"),
    DATA("data in this image"),
    PARTIAL("some subclusters allocated"),
    COMPRESSED("compressed"),
    INVALID("invalid entry");

    private static final GuestClusterState[] VALUES = values();
    private final String label;

    GuestClusterState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static GuestClusterState of(byte code) {
        return VALUES[code & 0x0F];
    }

    /** The chain layer answering, packed in the high nibble (0 = this image). */
    public static int depthOf(byte code) {
        return (code >>> 4) & 0x0F;
    }
}
