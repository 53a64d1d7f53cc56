package io.qcowscope.engine.repair;

import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.RefcountBlockCodec;
import io.qcowscope.engine.format.ReftableEntry;
import io.qcowscope.engine.image.RefcountReader;
import io.qcowscope.engine.host.HostClusterRole;
import java.io.IOException;

/** The bytes of one refcount entry inside its refcount block, before and after a new value (spec 4.1 encodings). */
final class RefcountEntryPatch {
    private RefcountEntryPatch() {
    }

    /** The offset of the refcount block holding cluster {@code cluster}'s refcount, or -1 when there is none usable. */
    static long blockOf(RefcountReader rc, Geometry g, long cluster) {
        long r = cluster >>> g.refblockBits();
        if (r >= rc.reftableEntries()) {
            return -1;
        }
        long block = ReftableEntry.blockOffset(rc.reftableEntry((int) r));
        return block == 0 || (block & g.clusterMask()) != 0 ? -1 : block;
    }

    /** A patch setting cluster {@code cluster}'s refcount to {@code value}, or null when no refcount block covers it. */
    static Patch of(RefcountReader rc, Geometry g, long cluster, long value) throws IOException {
        long r = cluster >>> g.refblockBits();
        if (r >= rc.reftableEntries()) {
            return null;
        }
        long block = ReftableEntry.blockOffset(rc.reftableEntry((int) r));
        if (block == 0 || (block & g.clusterMask()) != 0) {
            return null;
        }
        long index = cluster & (g.refblockEntries() - 1);
        int bits = g.refcountBits();
        long bitPos = index * bits;
        int byteInBlock = (int) (bitPos >>> 3);
        int len = Math.max(1, bits / 8);
        byte[] blockBytes = rc.block(block).clone();
        byte[] before = java.util.Arrays.copyOfRange(blockBytes, byteInBlock, byteInBlock + len);
        RefcountBlockCodec.set(blockBytes, index, g.refcountOrder(), value);
        byte[] after = java.util.Arrays.copyOfRange(blockBytes, byteInBlock, byteInBlock + len);
        return new Patch(block + byteInBlock, before, after, HostClusterRole.REFCOUNT_BLOCK);
    }
}
