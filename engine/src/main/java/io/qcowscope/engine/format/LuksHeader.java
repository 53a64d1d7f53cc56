package io.qcowscope.engine.format;

import java.util.List;

/**
 * The LUKS1 header at the start of the full-disk-encryption area (spec 2.4). Offsets are in bytes relative to the area
 * start (LUKS stores sectors; the codec converts).
 */
public record LuksHeader(
        int version,
        String cipherName,
        String cipherMode,
        String hashSpec,
        long payloadOffset,
        long keyBytes,
        long masterKeyIterations,
        String uuid,
        List<KeySlot> keySlots) {

    public static final int LENGTH = 592;
    public static final int KEY_SLOTS = 8;

    public LuksHeader {
        keySlots = List.copyOf(keySlots);
    }

    /** One of the eight key slots. */
    public record KeySlot(boolean active, long iterations, long keyMaterialOffset, long stripes) {
    }
}
