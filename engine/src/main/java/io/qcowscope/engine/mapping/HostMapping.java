package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.SubclusterType;

/**
 * The answer of QEMU's qcow2_get_host_offset for a guest offset (spec B.1): the type of the subcluster there, where it lives
 * and how many bytes from the offset share that type (and, for offset-bearing types, contiguous host offsets).
 *
 * @param hostOffset for NORMAL, ZERO_ALLOC and UNALLOCATED_ALLOC the host byte offset matching the guest offset; otherwise 0
 * @param descriptor for COMPRESSED the raw L2 descriptor word (spec 3.4); otherwise 0
 * @param l2Offset   the L2 table consulted, or 0 when the L1 entry is empty or beyond the L1 table
 * @param l2Index    the entry consulted in that table
 */
public record HostMapping(SubclusterType type, long hostOffset, long descriptor, long bytes, long l2Offset, int l2Index) {

    /** The host offset, for the types that have one. */
    public HostOffset host() {
        if (!type.hasHostOffset()) {
            throw new IllegalStateException(type + " has no host offset");
        }
        return new HostOffset(hostOffset);
    }

    static HostMapping unallocated(long bytes, int l2Index) {
        return new HostMapping(SubclusterType.UNALLOCATED_PLAIN, 0, 0, bytes, 0, l2Index);
    }
}
