package io.qcowscope.engine.image;

import io.qcowscope.engine.format.SubclusterType;

/**
 * The answer of QEMU's qcow2_get_host_offset for a guest offset (spec B.1): the type of the subcluster there, where it lives
 * and how many bytes from the offset share that type (and, for offset-bearing types, contiguous host offsets).
 *
 * @param hostOffset for NORMAL, ZERO_ALLOC and UNALLOCATED_ALLOC the host byte offset matching the guest offset; for
 *                   COMPRESSED the raw L2 descriptor word; otherwise 0
 * @param l2Offset   the L2 table consulted, or 0 when the L1 entry is empty or beyond the L1 table
 * @param l2Index    the entry consulted in that table
 */
public record HostMapping(SubclusterType type, long hostOffset, long bytes, long l2Offset, int l2Index) {
}
