package io.qcowscope.engine.layout;

/**
 * What a guest cluster reads as, summarised over its subclusters (spec 3.3, 3.5), as {@link GuestLayout} stores it: the
 * state in the low nibble of a code byte, the backing layer that answers in the high nibble.
 */
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
