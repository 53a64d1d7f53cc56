package io.qcowscope.engine.check;

import io.qcowscope.engine.format.Limits;
import io.qcowscope.engine.format.Qcow2Exception;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.format.SnapshotEntry;
import io.qcowscope.engine.format.SnapshotTableCodec;
import io.qcowscope.engine.image.Qcow2Image;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Phase 1 of QEMU's check, {@code qcow2_check_read_snapshot_table} (spec 5.1), without repairs: the snapshot table is read
 * again from the header's pointer with the strict bounds (too much extra data is an error here, not a truncation).
 */
final class SnapshotTableCheck {
    private static final int ENTRY_HEADER = SnapshotTableCodec.FIXED_LENGTH;

    private SnapshotTableCheck() {
    }

    /** The table and its size in bytes as QEMU counts it (the last entry's end, without its padding). */
    record Table(List<SnapshotEntry> entries, long bytes) {
    }

    static Table read(Qcow2Image img, Findings findings) throws IOException, CheckAbort {
        Qcow2Header h = img.header();
        long nb = h.nbSnapshots();
        long offset = h.snapshotsOffset();
        if (nb > Limits.MAX_SNAPSHOTS) {
            findings.add(Finding.of(FindingKind.SNAPSHOT_COUNT_TOO_LARGE, "header.nb_snapshots",
                    "ERROR Number of snapshots exceeds the maximum (" + nb + " > " + Limits.MAX_SNAPSHOTS + ")")
                    .at(60).expected(Limits.MAX_SNAPSHOTS).found(nb));
        }
        // qcow2_validate_table: entries * 40 within 40 * 65536, offset aligned, offset + size <= INT64_MAX.
        if (nb > Limits.MAX_SNAPSHOTS) {
            tableError(findings, "snapshot table too large");
            throw new CheckAbort("File too large");
        }
        if (Long.MAX_VALUE - nb * ENTRY_HEADER < offset || offset < 0 || (offset & img.geometry().clusterMask()) != 0) {
            tableError(findings, "snapshot table offset invalid");
            throw new CheckAbort("Invalid argument");
        }
        List<SnapshotEntry> entries;
        try {
            entries = SnapshotTableCodec.decode(img.byteSource(), offset, nb, img.virtualSize(), false);
        } catch (Qcow2Exception e) {
            tableError(findings, "Failed to read snapshot table: " + e.getMessage());
            throw new CheckAbort("File too large");
        }
        if (h.version() >= 3) {
            for (SnapshotEntry s : entries) {
                if (s.incompleteForV3()) {
                    findings.add(Finding.of(FindingKind.SNAPSHOT_INCOMPLETE, "snapshot[" + s.index() + "]",
                            "ERROR snapshot table entry " + s.index() + " is incomplete")
                            .at(s.offset() + 36).expected(16L).found(s.extraDataSize()));
                }
            }
        }
        long bytes = 0;
        if (!entries.isEmpty()) {
            SnapshotEntry last = entries.get(entries.size() - 1);
            ByteBuffer b = ByteBuffer.wrap(img.storage().read(last.offset() + 12, 4));
            long unpadded = ENTRY_HEADER + last.extraDataSize() + (b.getShort(0) & 0xFFFF) + (b.getShort(2) & 0xFFFF);
            bytes = last.offset() + unpadded - offset;
        }
        return new Table(entries, bytes);
    }

    private static void tableError(Findings findings, String message) {
        findings.add(Finding.of(FindingKind.SNAPSHOT_TABLE_UNREADABLE, "snapshot table",
                message).at(64));
    }
}
