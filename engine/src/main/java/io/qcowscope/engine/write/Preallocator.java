package io.qcowscope.engine.write;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.L2Entry;
import io.qcowscope.engine.mapping.L2TableEdit;
import java.io.IOException;

/**
 * {@code preallocation=metadata}: for each L2 range QEMU allocates the L2 table, then one contiguous run of data
 * clusters, and extends the file over them. With extended L2 the entries carry no allocation bits, so reads still fall
 * through to the backing file or read zeros (spec 3.6 F).
 */
final class Preallocator {
    private final WritableImage img;

    Preallocator(WritableImage img) {
        this.img = img;
    }

    void preallocate() throws IOException {
        Geometry geo = img.geo();
        GuestWriter w = new GuestWriter(img);
        long size = img.virtualSize();
        long end = 0;
        img.beforeMetadataChange();
        for (long guest = 0; guest < size; guest += geo.bytesPerL1Entry()) {
            long l2off = w.l2TableFor(guest);
            L2TableEdit t = img.l2().edit(l2off);
            int n = (int) geo.clustersFor(Math.min(geo.bytesPerL1Entry(), size - guest));
            long host = img.allocator().allocate(n);
            for (int i = 0; i < n; i++) {
                t.set(i, (host + i * geo.clusterSize()) | L2Entry.COPIED, 0);
            }
            img.l2().markDirty(l2off);
            end = Math.max(end, host + n * geo.clusterSize());
            img.afterMetadataChange();
        }
        if (img.storage().size() < end) {
            img.storage().truncate(end);
        }
        img.flush();
    }
}
