package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.format.BitmapTableEntry;

/**
 * One entry of a persistent bitmap's table (spec 2.3) with the guest range its cluster of bits covers: a cluster of
 * bitmap data holds {@code cluster_size * 8} bits, one per {@code granularity} guest bytes.
 */
public record BitmapTableRow(int index, BitmapTableEntry entry, long guestStart, long guestBytes) {
    /** What the entry says about its bits, in a few words. */
    public String meaning() {
        if (entry.invalid()) {
            return "invalid (reserved bits or all-ones with an offset)";
        }
        if (entry.dataOffset() != 0) {
            return "bits in the cluster at " + Sizes.hex(entry.dataOffset());
        }
        return entry.allOnes() ? "all ones (every range dirty), no cluster" : "all zeros (nothing dirty), no cluster";
    }
}
