package io.qcowscope.engine.mapping;

import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.Qcow2FormatException;

/**
 * The steps {@link GuestResolver} takes for one guest offset in one qcow2 layer (spec 3.1, 3.3, 3.5, B.1), recorded by
 * {@link GuestResolver#trace(GuestOffset)} from the same code a read runs: the L1 index and entry, the L2 table and entry,
 * the subcluster, and the resolver's answer. For teaching and step-through views; one object per traced offset.
 *
 * @param l1EntryOffset the host offset of the L1 entry itself
 * @param l1Entry       the raw L1 entry; 0 when the index is past the table ({@code l1Index >= l1Size})
 * @param l2Offset      the L2 table's host offset; 0 when the L1 entry names none (then the L2 fields are 0)
 * @param l2EntryOffset the host offset of the L2 entry itself (0 without a table)
 * @param mapping       what the resolver answered; null when it refused the entry ({@code error} says why)
 * @param descriptor    the compressed descriptor (spec 3.4) for a COMPRESSED answer, else null
 */
public record ResolutionTrace(GuestOffset guest, long l1Index, int l1Size, long l1EntryOffset, long l1Entry,
        long l2Offset, int l2Index, long l2EntryOffset, long word0, long bitmap, int subclusterIndex,
        HostMapping mapping, CompressedDescriptor descriptor, Qcow2FormatException error) {

    public boolean pastL1() {
        return l1Index >= l1Size;
    }

    public boolean hasL2Table() {
        return l2Offset != 0;
    }
}
