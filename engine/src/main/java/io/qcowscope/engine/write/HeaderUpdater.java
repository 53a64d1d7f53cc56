package io.qcowscope.engine.write;

import io.qcowscope.engine.format.HeaderCodec;
import io.qcowscope.engine.format.Qcow2Header;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;

/**
 * The header of an image open for writing. Every change is one synchronous write of the fixed header fields, done after
 * the structure it points at is on disk (spec B.3 step 5: L1 bytes 36..47, reftable 48..59, snapshots 60..71).
 */
final class HeaderUpdater {
    private final Storage storage;
    private Qcow2Header h;

    HeaderUpdater(Storage storage, Qcow2Header header) {
        this.storage = storage;
        this.h = header;
    }

    Qcow2Header header() {
        return h;
    }

    void setRefcountTable(long offset, long clusters) throws IOException {
        write(new Qcow2Header(h.version(), h.backingFileOffset(), h.backingFileSize(), h.clusterBits(), h.size(),
                h.cryptMethod(), h.l1Size(), h.l1TableOffset(), offset, clusters, h.nbSnapshots(), h.snapshotsOffset(),
                h.incompatibleFeatures(), h.compatibleFeatures(), h.autoclearFeatures(), h.refcountOrder(),
                h.headerLength(), h.compressionType(), h.unknownHeaderFields()));
    }

    void setL1Table(long offset, long size) throws IOException {
        write(new Qcow2Header(h.version(), h.backingFileOffset(), h.backingFileSize(), h.clusterBits(), h.size(),
                h.cryptMethod(), size, offset, h.refcountTableOffset(), h.refcountTableClusters(), h.nbSnapshots(),
                h.snapshotsOffset(), h.incompatibleFeatures(), h.compatibleFeatures(), h.autoclearFeatures(),
                h.refcountOrder(), h.headerLength(), h.compressionType(), h.unknownHeaderFields()));
    }

    void setSnapshots(long count, long offset) throws IOException {
        write(new Qcow2Header(h.version(), h.backingFileOffset(), h.backingFileSize(), h.clusterBits(), h.size(),
                h.cryptMethod(), h.l1Size(), h.l1TableOffset(), h.refcountTableOffset(), h.refcountTableClusters(),
                count, offset, h.incompatibleFeatures(), h.compatibleFeatures(), h.autoclearFeatures(),
                h.refcountOrder(), h.headerLength(), h.compressionType(), h.unknownHeaderFields()));
    }

    void setSize(long size) throws IOException {
        write(new Qcow2Header(h.version(), h.backingFileOffset(), h.backingFileSize(), h.clusterBits(), size,
                h.cryptMethod(), h.l1Size(), h.l1TableOffset(), h.refcountTableOffset(), h.refcountTableClusters(),
                h.nbSnapshots(), h.snapshotsOffset(), h.incompatibleFeatures(), h.compatibleFeatures(),
                h.autoclearFeatures(), h.refcountOrder(), h.headerLength(), h.compressionType(),
                h.unknownHeaderFields()));
    }

    void setFeatures(long incompatible, long autoclear) throws IOException {
        write(new Qcow2Header(h.version(), h.backingFileOffset(), h.backingFileSize(), h.clusterBits(), h.size(),
                h.cryptMethod(), h.l1Size(), h.l1TableOffset(), h.refcountTableOffset(), h.refcountTableClusters(),
                h.nbSnapshots(), h.snapshotsOffset(), incompatible, h.compatibleFeatures(), autoclear,
                h.refcountOrder(), h.headerLength(), h.compressionType(), h.unknownHeaderFields()));
    }

    private void write(Qcow2Header next) throws IOException {
        byte[] b = HeaderCodec.encode(next);
        storage.write(0, b, 0, b.length);
        storage.flush();
        h = next;
    }
}
