package io.qcowscope.engine.format;

/**
 * One snapshot table entry (spec 4.4).
 *
 * @param offset        where the entry starts in the file
 * @param length        bytes the entry occupies including padding to 8
 * @param vmStateSize   the 64-bit VM state size from extra data when present, else the 32-bit field
 * @param diskSize      virtual disk size recorded in extra data, or -1 when the entry does not have it
 * @param icount        instruction count from extra data, or -1
 * @param extraData     the raw extra data bytes (all of them, known fields included)
 */
public record SnapshotEntry(
        int index,
        long offset,
        int length,
        long l1TableOffset,
        long l1Size,
        String id,
        String name,
        long dateSec,
        long dateNsec,
        long vmClockNsec,
        long vmStateSize32,
        long extraDataSize,
        long vmStateSize,
        long diskSize,
        long icount,
        byte[] extraData) {

    public SnapshotEntry {
        extraData = extraData.clone();
    }

    @Override
    public byte[] extraData() {
        return extraData.clone();
    }

    /** v3 images need at least the VM state size and disk size in extra data (spec 4.4). */
    public boolean incompleteForV3() {
        return extraDataSize < 16;
    }
}
