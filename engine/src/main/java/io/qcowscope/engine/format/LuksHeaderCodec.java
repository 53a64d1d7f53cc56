package io.qcowscope.engine.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes a LUKS1 header (the on-disk layout of the LUKS1 specification; QEMU 7.2 writes version 1 only). */
public final class LuksHeaderCodec {
    private static final Structure WHAT = Structure.LUKS_HEADER;
    private static final byte[] MAGIC = {'L', 'U', 'K', 'S', (byte) 0xBA, (byte) 0xBE};
    private static final int SLOT_ENABLED = 0x00AC71F3;
    private static final int SLOT_DISABLED = 0x0000DEAD;
    private static final int SECTOR = 512;

    private LuksHeaderCodec() {
    }

    /** @param at the header's byte offset in the image file, for messages */
    public static LuksHeader decode(byte[] b, long at) throws Qcow2FormatException {
        if (b.length < LuksHeader.LENGTH) {
            throw new Qcow2FormatException(WHAT, at, "LUKS header is truncated");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                throw new Qcow2FormatException(WHAT, at, "Volume is not in LUKS format");
            }
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        int version = bb.getShort(6) & 0xFFFF;
        if (version != 1) {
            throw new Qcow2FormatException(WHAT, at + 6, "LUKS version " + version + " is not supported");
        }
        List<LuksHeader.KeySlot> slots = new ArrayList<>();
        for (int i = 0; i < LuksHeader.KEY_SLOTS; i++) {
            int p = 208 + 48 * i;
            int active = bb.getInt(p);
            if (active != SLOT_ENABLED && active != SLOT_DISABLED) {
                throw new Qcow2FormatException(WHAT, at + p, "Keyslot " + i + " state 0x" + Integer.toHexString(active)
                        + " is neither enabled nor disabled");
            }
            slots.add(new LuksHeader.KeySlot(active == SLOT_ENABLED, bb.getInt(p + 4) & 0xFFFFFFFFL,
                    (bb.getInt(p + 40) & 0xFFFFFFFFL) * SECTOR, bb.getInt(p + 44) & 0xFFFFFFFFL));
        }
        return new LuksHeader(version, text(b, 8, 32), text(b, 40, 32), text(b, 72, 32),
                (bb.getInt(104) & 0xFFFFFFFFL) * SECTOR, bb.getInt(108) & 0xFFFFFFFFL, bb.getInt(164) & 0xFFFFFFFFL,
                text(b, 168, 40), slots);
    }

    private static String text(byte[] b, int off, int max) {
        int n = 0;
        while (n < max && b[off + n] != 0) {
            n++;
        }
        return new String(b, off, n, StandardCharsets.US_ASCII);
    }
}
