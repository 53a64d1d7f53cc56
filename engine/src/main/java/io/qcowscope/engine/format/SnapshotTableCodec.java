package io.qcowscope.engine.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the snapshot table (spec 4.4) with QEMU's running bounds, so a hostile table cannot drive allocation. */
public final class SnapshotTableCodec {
    private static final Structure TABLE = Structure.SNAPSHOT_TABLE;
    public static final int FIXED_LENGTH = 40;

    private SnapshotTableCodec() {
    }

    /**
     * Decodes {@code count} entries starting at {@code tableOffset}.
     *
     * @param currentDiskSize disk size assumed for entries without that extra data (QEMU uses the current size)
     * @param tolerant        check mode with repair: entries with too much extra data are accepted (the excess dropped)
     *                        instead of failing, as {@code qemu-img check -r all} does
     */
    public static List<SnapshotEntry> decode(ByteSource src, long tableOffset, long count, long currentDiskSize,
            boolean tolerant) throws IOException {
        if (count > Limits.MAX_SNAPSHOTS) {
            throw new Qcow2FormatException(TABLE, tableOffset, "Snapshot table too large (" + count + " snapshots)");
        }
        List<SnapshotEntry> out = new ArrayList<>((int) Math.min(count, 1024));
        long off = tableOffset;
        for (int i = 0; i < count; i++) {
            off = (off + 7) & ~7L;
            long start = off;
            ByteBuffer b = ByteBuffer.wrap(src.read(off, FIXED_LENGTH)).order(ByteOrder.BIG_ENDIAN);
            long l1Offset = b.getLong(0);
            long l1Size = b.getInt(8) & 0xFFFFFFFFL;
            int idLen = b.getShort(12) & 0xFFFF;
            int nameLen = b.getShort(14) & 0xFFFF;
            long dateSec = b.getInt(16) & 0xFFFFFFFFL;
            long dateNsec = b.getInt(20) & 0xFFFFFFFFL;
            long vmClock = b.getLong(24);
            long vmState32 = b.getInt(32) & 0xFFFFFFFFL;
            long extraSize = b.getInt(36) & 0xFFFFFFFFL;
            off += FIXED_LENGTH;
            if (extraSize > Limits.MAX_SNAPSHOT_EXTRA_DATA && !tolerant) {
                throw new Qcow2FormatException(TABLE, start + 36, "Too much extra metadata in snapshot table entry "
                        + i + " (" + extraSize + " > " + Limits.MAX_SNAPSHOT_EXTRA_DATA + ")");
            }
            if (off - tableOffset + extraSize > Limits.MAX_SNAPSHOT_TABLE_BYTES) {
                throw new Qcow2FormatException(TABLE, start, "Snapshot table is too big");
            }
            int keptExtra = (int) Math.min(extraSize, Limits.MAX_SNAPSHOT_EXTRA_DATA);
            byte[] extra = src.read(off, keptExtra);
            off += extraSize;
            ByteBuffer e = ByteBuffer.wrap(extra).order(ByteOrder.BIG_ENDIAN);
            long vmState = extraSize >= 8 ? e.getLong(0) : vmState32;
            long diskSize = extraSize >= 16 ? e.getLong(8) : currentDiskSize;
            long icount = extraSize >= 24 ? e.getLong(16) : -1;
            if (off - tableOffset + idLen + nameLen > Limits.MAX_SNAPSHOT_TABLE_BYTES) {
                throw new Qcow2FormatException(TABLE, start, "Snapshot table is too big");
            }
            String id = new String(src.read(off, idLen), StandardCharsets.UTF_8);
            off += idLen;
            String name = new String(src.read(off, nameLen), StandardCharsets.UTF_8);
            off += nameLen;
            int len = (int) (((off + 7) & ~7L) - start);
            out.add(new SnapshotEntry(i, start, len, l1Offset, l1Size, id, name, dateSec, dateNsec, vmClock, vmState32,
                    extraSize, vmState, diskSize, icount, extra));
        }
        return out;
    }

    /** Bytes the table occupies (end of last entry, padded, minus start). */
    public static long tableBytes(List<SnapshotEntry> entries, long tableOffset) {
        if (entries.isEmpty()) {
            return 0;
        }
        SnapshotEntry last = entries.get(entries.size() - 1);
        return last.offset() + last.length() - tableOffset;
    }

    /** Encodes one entry as QEMU writes it (extra data as given, id, name, padding to 8). */
    public static byte[] encode(SnapshotEntry s) {
        byte[] id = s.id().getBytes(StandardCharsets.UTF_8);
        byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
        byte[] extra = s.extraData();
        int raw = FIXED_LENGTH + extra.length + id.length + name.length;
        ByteBuffer b = ByteBuffer.allocate((raw + 7) & ~7).order(ByteOrder.BIG_ENDIAN);
        b.putLong(s.l1TableOffset());
        b.putInt((int) s.l1Size());
        b.putShort((short) id.length);
        b.putShort((short) name.length);
        b.putInt((int) s.dateSec());
        b.putInt((int) s.dateNsec());
        b.putLong(s.vmClockNsec());
        b.putInt((int) s.vmStateSize32());
        b.putInt(extra.length);
        b.put(extra);
        b.put(id);
        b.put(name);
        return b.array();
    }
}
