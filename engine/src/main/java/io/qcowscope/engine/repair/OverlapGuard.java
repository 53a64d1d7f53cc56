package io.qcowscope.engine.repair;

import io.qcowscope.engine.host.HostClusterRole;
import java.util.List;

/**
 * Checks every repair write against the clusters other structures own (issue 15; QEMU's qcow2_check_metadata_overlap,
 * spec section 8): a write meant for a structure of one role may touch only clusters that structure owns, and none that
 * any other structure owns. Clusters at or past the end of the file the guard was made for are new space: the rebuilt
 * refcount structure, a new snapshot table, copied clusters. A cluster nothing references has no owner to protect. L2
 * tables are one role: a table shared by the active and a snapshot L1 is one structure.
 */
final class OverlapGuard {
    private final MetadataClaims claims;
    private final ReferenceCounts refs;
    private final int clusterBits;
    private final long end;

    /**
     * @param refs references per cluster from the same pass: a referenced cluster no metadata claims is guest data
     * @param end  the file length when {@code claims} were collected
     */
    OverlapGuard(MetadataClaims claims, ReferenceCounts refs, int clusterBits, long end) {
        this.claims = claims;
        this.refs = refs;
        this.clusterBits = clusterBits;
        this.end = end;
    }

    static OverlapGuard of(Analysis a, int clusterBits, long end) {
        return new OverlapGuard(a.refs().metadata(), a.refs(), clusterBits, end);
    }

    /**
     * Refuses a write of {@code length} bytes at {@code offset} into a structure of role {@code into}; {@code what} names
     * the write for the message (the fix and its structure path).
     */
    void check(long offset, int length, HostClusterRole into, String what) throws MetadataOverlapException {
        if (length <= 0 || offset >= end) {
            return;
        }
        if (!claims.complete()) {
            throw new MetadataOverlapException(what, offset, "the image has more metadata claims than the overlap guard "
                    + "keeps (" + MetadataClaims.MAX_CLAIMS + "); nothing written");
        }
        long last = Math.min(offset + length, end) - 1;
        for (long c = offset >>> clusterBits; c <= last >>> clusterBits; c++) {
            List<MetadataClaims.Claim> owners = claims.owners(c);
            String target = describe(into);
            // A cluster nothing references (free, leaked, or past where an aborted check got) has no owner to protect.
            if (owners.isEmpty() && refs.get(c) == 0) {
                continue;
            }
            if (owners.stream().noneMatch(o -> same(o.role(), into))) {
                throw new MetadataOverlapException(what, offset, String.format("refused: it writes into %s, but "
                        + "cluster %d (0x%x) holds %s; nothing written", target, c, c << clusterBits,
                        owners.isEmpty() ? "guest data" : owners.get(0).describe()));
            }
            for (MetadataClaims.Claim o : owners) {
                if (!same(o.role(), into)) {
                    throw new MetadataOverlapException(what, offset, String.format("refused: it writes into %s, and "
                            + "cluster %d (0x%x) is also %s; nothing written", target, c, c << clusterBits,
                            o.describe()));
                }
            }
        }
    }

    /** Patches into their structures; all checked before the first is written. */
    void check(List<Patch> patches, String what) throws MetadataOverlapException {
        for (Patch p : patches) {
            check(p.offset(), p.length(), p.into(), what);
        }
    }

    private static boolean same(HostClusterRole owner, HostClusterRole into) {
        return owner == into || owner.group() == HostClusterRole.Group.L2 && into.group() == HostClusterRole.Group.L2;
    }

    private static String describe(HostClusterRole r) {
        return switch (r) {
            case HEADER -> "the header";
            case ACTIVE_L1 -> "the active L1 table";
            case SNAPSHOT_L1 -> "a snapshot L1 table";
            case L2_TABLE, SNAPSHOT_L2_TABLE -> "an L2 table";
            case REFCOUNT_TABLE -> "the refcount table";
            case REFCOUNT_BLOCK -> "a refcount block";
            case SNAPSHOT_TABLE -> "the snapshot table";
            default -> r.name().toLowerCase().replace('_', ' ');
        };
    }
}
