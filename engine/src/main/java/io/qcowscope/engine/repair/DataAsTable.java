package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.ClusterType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L2Entry;
import java.nio.ByteBuffer;

/**
 * A cluster an active L1 entry reads as its L2 table, judged as a table (issue 15): is it guest data instead, and what
 * would a new L2 table that reads the same look like? Guest reads go by the cluster type alone (spec 3.3: reserved bits are
 * ignored, a zero flag reads zeros whatever the offset), so each word maps to a clean entry that reads what it reads now:
 * 0 stays 0, a zero word becomes plain zero, an entry with no offset becomes 0, and a data entry inside the file keeps its
 * offset for the planner to copy out. Compressed entries, and data entries that are unaligned or past the end of the file,
 * have no clean equivalent: then no copy is offered. Standard L2 only.
 *
 * @param words      the cluster's words as L2 entries
 * @param normalized the clean entry for each word, or null when there is none (see above)
 * @param invalid    entries QEMU's check reports (reserved bits, compressed, unaligned or past-the-end offsets)
 * @param nonzero    words that are not 0
 * @param reads      entries that read anything but "unallocated" (zero flags and data)
 */
record DataAsTable(long[] words, long[] normalized, int invalid, int nonzero, int reads) {
    /** Invalid entries that prove a cluster is no L2 table, with no other evidence (a bit flip makes at most a few). */
    private static final int INVALID_PROOF = 8;

    static DataAsTable read(byte[] cluster, Geometry g, long fileSize) {
        int n = cluster.length / 8;
        ByteBuffer b = ByteBuffer.wrap(cluster);
        long[] words = new long[n];
        long[] clean = new long[n];
        boolean cleanable = true;
        int invalid = 0;
        int nonzero = 0;
        int reads = 0;
        for (int i = 0; i < n; i++) {
            long w = b.getLong(8 * i);
            words[i] = w;
            if (w == 0) {
                continue;
            }
            nonzero++;
            long host = L2Entry.hostOffset(w);
            boolean bad = (w & L2Entry.RESERVED_MASK) != 0;
            switch (L2Entry.clusterType(w, false, false)) {
                case COMPRESSED -> {
                    bad = true;
                    cleanable = false;
                    reads++;
                }
                case ZERO_PLAIN, ZERO_ALLOC -> {
                    bad |= host != 0 && ((host & g.clusterMask()) != 0 || host + g.clusterSize() > fileSize);
                    clean[i] = L2Entry.ZERO;
                    reads++;
                }
                case UNALLOCATED -> clean[i] = 0;
                default -> {
                    boolean inside = (host & g.clusterMask()) == 0 && host + g.clusterSize() <= fileSize;
                    bad |= !inside;
                    cleanable &= inside;
                    clean[i] = (w & ~L2Entry.RESERVED_MASK) | L2Entry.COPIED;
                    reads++;
                }
            }
            if (bad) {
                invalid++;
            }
        }
        return new DataAsTable(words, cleanable ? clean : null, invalid, nonzero, reads);
    }

    /**
     * Evidence that the cluster is not an L2 table: referenced as guest data elsewhere and at least half its entries
     * invalid (or all 0), or so many invalid entries that no bit flip of a real table explains them.
     */
    boolean isData(boolean referencedAsData) {
        return referencedAsData && 2 * invalid >= nonzero
                || invalid >= INVALID_PROOF && 4 * invalid >= 3 * nonzero;
    }

    /** True when every entry reads as unallocated, or as zeros with nothing behind: dropping the pointer reads the same. */
    boolean dropReadsTheSame(boolean hasBacking) {
        return reads == 0 || !hasBacking && dataEntries() == 0;
    }

    /** Entries of the clean table that map data (to be copied out). */
    int dataEntries() {
        if (normalized == null) {
            return -1;
        }
        int d = 0;
        for (long w : normalized) {
            d += L2Entry.clusterType(w, false, false) == ClusterType.NORMAL ? 1 : 0;
        }
        return d;
    }
}
