package io.qcowscope.engine.layout;

/**
 * One extent of the guest map with the meaning of {@code qemu-img map --output=json} (spec 6.1).
 *
 * @param depth  index in the backing chain of the layer that decided the status (0 = top)
 * @param offset host offset in that layer's file, or -1 when not directly addressable
 */
public record GuestExtent(long start, long length, int depth, boolean present, boolean zero, boolean data, long offset) {

    public boolean hasOffset() {
        return offset >= 0;
    }

    public long end() {
        return start + length;
    }

    /** qemu-img's entry_mergeable: same flags and depth, and contiguous host offsets when there are any. */
    boolean mergeableWith(GuestExtent next) {
        if (length == 0) {
            return false;
        }
        if (zero != next.zero || data != next.data || depth != next.depth || present != next.present
                || hasOffset() != next.hasOffset()) {
            return false;
        }
        return !hasOffset() || offset + length == next.offset;
    }

    GuestExtent extendedBy(long more) {
        return new GuestExtent(start, length + more, depth, present, zero, data, offset);
    }
}
