package io.qcowscope.engine.repair;

/**
 * What a fix does. {@code option} is the name {@code repair --only} takes; {@code qemuRepairs} says whether
 * {@code qemu-img check -r all} makes the same repair (spec 5.6).
 */
public enum FixKind {
    FREE_LEAK("leaks", RiskLevel.SAFE, true, "lower the refcount to the references found"),
    RAISE_REFCOUNT("refcounts", RiskLevel.SAFE, true, "raise the refcount to the references found"),
    REBUILD_REFCOUNTS("rebuild", RiskLevel.REWRITES_METADATA, true,
            "write a new refcount table and blocks from the references found, past the end of the file"),
    FIX_COPIED("copied", RiskLevel.SAFE, true, "set OFLAG_COPIED exactly where the refcount is 1"),
    REWRITE_SNAPSHOT_TABLE("snapshots", RiskLevel.REWRITES_METADATA, true,
            "write the snapshot table anew with complete extra data"),
    PREALLOCATED_TO_ZERO("prealloc", RiskLevel.SAFE, true,
            "turn an unaligned preallocated zero cluster into a plain zero cluster"),
    CLEAR_DIRTY_BIT("header-bits", RiskLevel.SAFE, true, "clear the dirty bit once refcounts are right"),
    CLEAR_CORRUPT_BIT("header-bits", RiskLevel.SAFE, true, "clear the corrupt bit once nothing is left"),
    CLEAR_RESERVED_BITS("reserved-bits", RiskLevel.SAFE, false, "clear reserved bits QEMU ignores when reading"),
    CLEAR_COMPRESSED_COPIED("compressed", RiskLevel.SAFE, false, "clear OFLAG_COPIED on a compressed entry"),
    CLEAR_COMPRESSED_BITMAP("compressed", RiskLevel.SAFE, false,
            "zero the subcluster bitmap of a compressed entry (QEMU ignores it when reading)"),
    DROP_PAST_EOF_REFERENCE("past-eof-drop", RiskLevel.CHANGES_GUEST_DATA, false,
            "drop an entry that points past the end of the file"),
    EXTEND_FILE("past-eof-extend", RiskLevel.REWRITES_METADATA, false,
            "extend the file with zeros so the entry points inside it (reads stay zeros)"),
    SUBCLUSTERS_DATA_WINS("subclusters-data", RiskLevel.CHANGES_GUEST_DATA, false,
            "for subclusters both allocated and zero, keep the stored data"),
    SUBCLUSTERS_ZERO_WINS("subclusters-zero", RiskLevel.CHANGES_GUEST_DATA, false,
            "for subclusters both allocated and zero, read zeros"),
    CLEAR_ALLOC_BITS("alloc-bits", RiskLevel.CHANGES_GUEST_DATA, false,
            "clear allocation bits of an unallocated extended entry"),
    DROP_UNALIGNED_ENTRY("unaligned", RiskLevel.CHANGES_GUEST_DATA, false,
            "drop an entry whose offset is not cluster aligned"),
    UNSHARE_CLUSTER("unshare", RiskLevel.REWRITES_METADATA, false,
            "copy a cluster two entries share so each keeps its data"),
    CLEAR_EMPTY_L1_ENTRY("l1-flags", RiskLevel.SAFE, false,
            "clear an L1 entry with flags but no L2 offset (guest reads ignore it; QEMU's check reads the header as its "
                    + "L2 table)"),
    COPY_ALIASED_L2_TABLE("aliased-table-copy", RiskLevel.REWRITES_METADATA, false,
            "copy a cluster an L1 entry reads as its L2 table, though it is another structure, to a new L2 table and "
                    + "point the entry there (reads stay the same; its entries into metadata are copied out too)"),
    DROP_ALIASED_L2_TABLE("aliased-table", RiskLevel.CHANGES_GUEST_DATA, false,
            "drop an L1 entry whose L2 table is another structure (the header, an L1 or refcount table, ...)"),
    COPY_ALIASED_DATA("aliased-copy", RiskLevel.REWRITES_METADATA, false,
            "copy a data cluster that is also metadata to a new cluster and point the entry there (reads stay the same)"),
    DROP_ALIASED_DATA("aliased-drop", RiskLevel.CHANGES_GUEST_DATA, false,
            "drop an L2 entry whose data cluster is metadata"),
    TRIM_L1_SIZE("l1-size", RiskLevel.SAFE, false,
            "shrink l1_size to what the virtual size needs where the entries beyond run into other structures (guest "
                    + "reads never use them)"),
    DROP_SNAPSHOT("snapshot-drop", RiskLevel.CHANGES_GUEST_DATA, false,
            "forget a snapshot whose L1 table lies inside another structure (the snapshot table is written anew without "
                    + "it; the active disk reads as before)"),
    DROP_SNAPSHOT_TABLE("snapshots-drop", RiskLevel.CHANGES_GUEST_DATA, false,
            "forget a snapshot table that lies inside another structure (nb_snapshots and snapshots_offset become 0; "
                    + "the snapshots it lists are lost, the active disk reads as before)"),
    // Rescue fixes (issue 14, package repair.rescue): written before the image is opened, the rest of the plan is
    // computed on the image as they leave it.
    RESCUE_MAGIC("header-magic", RiskLevel.REWRITES_METADATA, false, "restore the qcow2 magic QFI\\xfb"),
    RESCUE_VERSION("header-version", RiskLevel.REWRITES_METADATA, false,
            "restore the version the header fields and tables show"),
    RESCUE_CLUSTER_BITS("header-cluster-bits", RiskLevel.REWRITES_METADATA, false,
            "set cluster_bits to the cluster size the tables' alignment, the refcounts and the file size show"),
    RESCUE_L1_SIZE("header-l1-size", RiskLevel.REWRITES_METADATA, false,
            "set l1_size to the entries the virtual size needs (QEMU's rule)"),
    RESCUE_VIRTUAL_SIZE("header-size", RiskLevel.CHANGES_GUEST_DATA, false,
            "set the virtual size to what the L1 table covers (the disk changes size)"),
    RESCUE_REFCOUNT_ORDER("header-refcount-order", RiskLevel.REWRITES_METADATA, false,
            "set refcount_order to the width under which the stored refcounts agree with the references found"),
    CLEAR_UNKNOWN_INCOMPATIBLE("header-unknown-features", RiskLevel.CHANGES_GUEST_DATA, false,
            "clear incompatible feature bits no QEMU knows (a feature we do not know may change how data is read)"),
    TRIM_HEADER_EXTENSIONS("header-extensions", RiskLevel.REWRITES_METADATA, false,
            "keep the header extensions that parse, drop the rest"),
    RELINK_SNAPSHOT_L1("snapshot-l1-search", RiskLevel.REWRITES_METADATA, false,
            "point a snapshot at the L1 table found in the file for it"),
    DROP_UNREADABLE_SNAPSHOT("snapshot-unreadable-drop", RiskLevel.CHANGES_GUEST_DATA, false,
            "drop a snapshot whose L1 table is unreadable (that point in time is lost; the active disk reads as before)"),
    REPOINT_BACKING("backing-repoint", RiskLevel.CHANGES_GUEST_DATA, false,
            "point the image at the backing file the user names"),
    DROP_BACKING("backing-drop", RiskLevel.CHANGES_GUEST_DATA, false,
            "drop the backing link (the guest then reads zeros where it read the backing file)"),
    RELINK_ORPHAN_L2("orphan-relink", RiskLevel.CHANGES_GUEST_DATA, false,
            "link an orphan L2 table into the empty L1 slot its guest range evidence names"),
    RELINK_ORPHAN_REFBLOCK("orphan-refblock-relink", RiskLevel.REWRITES_METADATA, false,
            "link an orphan refcount block into the empty refcount table slot whose clusters' references its refcounts "
                    + "match");

    private final String option;
    private final RiskLevel risk;
    private final boolean qemuRepairs;
    private final String summary;

    FixKind(String option, RiskLevel risk, boolean qemuRepairs, String summary) {
        this.option = option;
        this.risk = risk;
        this.qemuRepairs = qemuRepairs;
        this.summary = summary;
    }

    public String option() {
        return option;
    }

    public RiskLevel risk() {
        return risk;
    }

    public boolean qemuRepairs() {
        return qemuRepairs;
    }

    public String summary() {
        return summary;
    }

    /** A rescue fix: its patches are written first, before the image is opened (issue 14). */
    public boolean rescue() {
        return ordinal() >= RESCUE_MAGIC.ordinal();
    }
}
