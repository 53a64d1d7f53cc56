package io.qcowscope.engine.check;

import io.qcowscope.engine.host.HostClusterRole;
import io.qcowscope.engine.host.Owner;

/**
 * QEMU's {@code qcow2_inc_refcounts_imrt} (spec 5.2): +1 on every cluster a byte range touches, refusing ranges that reach
 * one cluster or more past the end of the file and counts that would exceed the refcount width. Also notices claims that
 * must not share a cluster (metadata with anything else; qcowscope warning) and feeds an optional {@link ClaimListener}.
 */
final class ReferenceCounter {
    private final int clusterBits;
    private final long clusterSize;
    private final long fileLength;
    private final long refcountMax;
    private final RefcountArray imrt;
    /** Clusters claimed as exclusive metadata, and as L2 tables; every other counted cluster is data. */
    private final SparseClusterSet exclusive = new SparseClusterSet();
    private final SparseClusterSet l2 = new SparseClusterSet();
    private final ClaimListener listener;
    private final Findings findings;
    private final Findings warnings;
    private long overlapsReported;
    long overlaps;

    ReferenceCounter(int clusterBits, long fileLength, long refcountMax, int nbClusters, Findings findings,
            Findings warnings, ClaimListener listener) {
        this.clusterBits = clusterBits;
        this.clusterSize = 1L << clusterBits;
        this.fileLength = fileLength;
        this.refcountMax = refcountMax;
        this.imrt = new RefcountArray(nbClusters);
        this.findings = findings;
        this.warnings = warnings;
        this.listener = listener;
    }

    RefcountArray imrt() {
        return imrt;
    }

    /** Whether a {@link ClaimListener} wants every claim, one at a time. */
    boolean hasListener() {
        return listener != null;
    }

    long fileLength() {
        return fileLength;
    }

    /** Clusters the IMRT covers: the file's clusters, plus one when a reference overhangs the end (QEMU grows it). */
    int nbClusters() {
        return imrt.length();
    }

    void inc(long offset, long size, HostClusterRole role, long owner) throws CheckAbort {
        if (size <= 0) {
            return;
        }
        // A reference may overhang the end by less than one cluster: the last cluster may be partly written.
        if (offset + size - fileLength >= clusterSize) {
            findings.add(Finding.of(FindingKind.REFERENCE_PAST_EOF, Owner.describe(role, owner),
                    String.format("ERROR: counting reference for region exceeding the end of the "
                            + "file by one cluster or more: offset 0x%x size 0x%x", offset, size))
                    .at(offset).cluster(offset >>> clusterBits));
            if (listener != null) {
                listener.beyondEnd(offset, size, role, owner);
            }
            return;
        }
        long mask = clusterSize - 1;
        long start = offset & ~mask;
        long last = (offset + size - 1) & ~mask;
        for (long c = start; Long.compareUnsigned(c, last) <= 0; c += clusterSize) {
            long k = c >>> clusterBits;
            if (k >= Integer.MAX_VALUE - 8) {
                findings.add(Finding.of(FindingKind.IO_ERROR, Owner.describe(role, owner),
                        "ERROR: cannot count a reference to cluster " + Long.toUnsignedString(k)).at(c).cluster(k));
                throw new CheckAbort("Cannot allocate memory");
            }
            int i = (int) k;
            if (i >= imrt.length()) {
                imrt.grow(i + 1);
            }
            long r = imrt.get(i);
            if (r == refcountMax) {
                findings.add(Finding.of(FindingKind.REFCOUNT_OVERFLOW, Owner.describe(role, owner),
                        String.format("ERROR: overflow cluster offset=0x%x", c))
                        .at(c).cluster(k).expected(refcountMax).found(r + 1));
                if (listener != null) {
                    listener.overflowed(k, role, owner);
                }
                continue;
            }
            if (r > 0) {
                noteShared(i, c, role, owner);
            }
            imrt.set(i, r + 1);
            switch (role.group()) {
                case EXCLUSIVE -> exclusive.add(i);
                case L2 -> l2.add(i);
                default -> {
                }
            }
            if (listener != null) {
                listener.claim(k, role, owner);
            }
        }
    }

    /** {@link #inc} for one aligned data cluster: the hot path of the L2 scan, same rules. */
    void incDataCluster(long offset, long owner) throws CheckAbort {
        long k = offset >>> clusterBits;
        if (offset >= fileLength || k >= imrt.length() || listener != null) {
            inc(offset, clusterSize, HostClusterRole.DATA, owner);
            return;
        }
        int i = (int) k;
        long r = imrt.get(i);
        if (r == 0) {
            imrt.set(i, 1);
            return;
        }
        inc(offset, clusterSize, HostClusterRole.DATA, owner);
    }

    /**
     * Metadata must own its cluster alone; L2 tables may be shared by L1 tables and data by L2 tables (snapshots). Called
     * for a cluster already counted at least once, so "neither exclusive nor L2" means it was claimed as data.
     */
    private void noteShared(int i, long clusterOffset, HostClusterRole role, long owner) {
        boolean excl = exclusive.contains(i);
        boolean isL2 = l2.contains(i);
        boolean conflict = switch (role.group()) {
            case EXCLUSIVE -> true;
            case L2 -> excl || !isL2;
            case DATA -> excl || isL2;
            default -> false;
        };
        if (!conflict) {
            return;
        }
        overlaps++;
        if (overlapsReported++ < 1000) {
            String was = excl ? "metadata" : isL2 ? "an L2 table" : "data";
            warnings.add(Finding.of(FindingKind.METADATA_OVERLAP, Owner.describe(role, owner),
                    String.format("WARNING cluster %d (offset 0x%x) is used as %s by %s but is already used as %s",
                            i, clusterOffset, role.name().toLowerCase().replace('_', ' '),
                            Owner.describe(role, owner), was)).at(clusterOffset).cluster(i));
        }
    }
}
