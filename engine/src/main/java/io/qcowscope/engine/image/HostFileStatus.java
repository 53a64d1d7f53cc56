package io.qcowscope.engine.image;

import io.qcowscope.engine.storage.Storage;
import java.io.IOException;

/**
 * QEMU's block status of a host file (file-posix with SEEK_DATA/SEEK_HOLE): data extents are data, holes read as zeros.
 * Used for raw layers and for the metadata-preallocation recursion of qcow2 (spec 6.1).
 */
final class HostFileStatus {
    private HostFileStatus() {
    }

    static BlockStatus of(Storage s, long offset, long bytes) throws IOException {
        long total = s.size();
        if (offset >= total) {
            return BlockStatus.pastEnd();
        }
        bytes = Math.min(bytes, total - offset);
        long data = s.nextData(offset);
        long pnum;
        boolean isData;
        if (data < 0) {
            pnum = bytes;
            isData = false;
        } else if (data == offset) {
            pnum = s.nextHole(offset) - offset;
            isData = true;
        } else {
            pnum = data - offset;
            isData = false;
        }
        pnum = Math.max(1, Math.min(pnum, bytes));
        return new BlockStatus(pnum, isData, !isData, true, offset, null, offset + pnum == total);
    }
}
