package io.qcowscope.engine.host;

/**
 * What one host cluster of an image file holds (spec 4.1: everything occupying host clusters is refcounted). Stored as one
 * byte per cluster ({@link #code()}), so a 16-million-cluster layout is a 16 MiB array.
 */
public enum HostClusterRole {
    /** Cluster 0: header, extensions, backing file name. */
    HEADER(Group.EXCLUSIVE),
    /** The active L1 table (one contiguous run, spec 3.1). */
    ACTIVE_L1(Group.EXCLUSIVE),
    /** A snapshot's L1 table (spec 4.4). */
    SNAPSHOT_L1(Group.EXCLUSIVE),
    /** An L2 table reachable from the active L1 (it may also be shared with snapshots). */
    L2_TABLE(Group.L2),
    /** An L2 table reachable only from snapshot L1 tables. */
    SNAPSHOT_L2_TABLE(Group.L2),
    REFCOUNT_TABLE(Group.EXCLUSIVE),
    REFCOUNT_BLOCK(Group.EXCLUSIVE),
    /** A guest data cluster (normal or preallocated zero), first claimed by the active tables or a snapshot's. */
    DATA(Group.DATA),
    /** A host cluster touched by one or more compressed streams (spec 3.4); they share it byte-granularly. */
    COMPRESSED(Group.DATA),
    SNAPSHOT_TABLE(Group.EXCLUSIVE),
    BITMAP_DIRECTORY(Group.EXCLUSIVE),
    BITMAP_TABLE(Group.EXCLUSIVE),
    BITMAP_DATA(Group.EXCLUSIVE),
    /** The LUKS header area the full-disk-encryption extension points at (spec 2.4). */
    ENCRYPTION_HEADER(Group.EXCLUSIVE),
    /** Nothing points here and the on-disk refcount is 0. */
    FREE(Group.NONE),
    /** Nothing points here but the on-disk refcount is not 0 (spec 5.3: a leak). */
    LEAKED(Group.NONE),
    /** Claimed by owners that must not share a cluster (metadata with anything else, spec section 8). */
    OVERLAP(Group.NONE);

    /** Which claims may legitimately share a cluster: L2 tables among L1 tables, data among L2 entries (snapshots). */
    public enum Group {
        EXCLUSIVE, L2, DATA, NONE
    }

    private static final HostClusterRole[] BY_CODE = values();
    private final Group group;

    HostClusterRole(Group group) {
        this.group = group;
    }

    public Group group() {
        return group;
    }

    public byte code() {
        return (byte) ordinal();
    }

    public static HostClusterRole ofCode(byte code) {
        return BY_CODE[code];
    }

    /** True when a second claim of role {@code other} on a cluster already claimed as this role is an overlap. */
    public boolean conflictsWith(HostClusterRole other) {
        return group == Group.EXCLUSIVE || other.group == Group.EXCLUSIVE || group != other.group;
    }

    public boolean isMetadata() {
        return group == Group.EXCLUSIVE || group == Group.L2;
    }
}
