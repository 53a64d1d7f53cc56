package io.qcowscope.engine.mapping;

import io.qcowscope.engine.compress.ClusterCodecs;
import io.qcowscope.engine.compress.CompressedDataException;
import io.qcowscope.engine.format.CompressedDescriptor;
import io.qcowscope.engine.format.CompressionType;
import io.qcowscope.engine.format.Geometry;
import io.qcowscope.engine.format.Qcow2FormatException;
import io.qcowscope.engine.format.Structure;
import io.qcowscope.engine.storage.Storage;
import java.io.IOException;

/**
 * Decodes the compressed cluster an L2 descriptor names (spec 3.4). A read-only image keeps the last cluster decoded (guest
 * reads come in pieces smaller than a cluster); a writable one must not, since a freed host range can be reused by a new
 * compressed cluster with the same descriptor.
 */
public final class CompressedClusterReader {
    private final Storage file;
    private final Geometry geo;
    private final CompressionType compression;
    private final boolean keepLast;
    private long lastDescriptor = -1;
    private byte[] lastCluster;

    public CompressedClusterReader(Storage file, Geometry geo, CompressionType compression, boolean keepLast) {
        this.file = file;
        this.geo = geo;
        this.compression = compression;
        this.keepLast = keepLast;
    }

    /**
     * The guest cluster the descriptor {@code word0} decodes to (callers must not modify it).
     *
     * @param entryAt host offset of the L2 entry holding the descriptor, for error messages
     */
    public synchronized byte[] read(long word0, long entryAt) throws IOException {
        if (keepLast && word0 == lastDescriptor && lastCluster != null) {
            return lastCluster;
        }
        if (CompressedDescriptor.offsetOutOfRange(word0, geo.clusterBits())) {
            throw new Qcow2FormatException(Structure.L2_TABLE, entryAt, "compressed cluster offset 0x"
                    + Long.toHexString(word0 & CompressedDescriptor.offsetMask(geo.clusterBits())) + " is out of range");
        }
        CompressedDescriptor d = CompressedDescriptor.decode(word0, geo.clusterBits());
        byte[] src = file.read(d.hostOffset(), (int) d.compressedSize());
        byte[] out = new byte[(int) geo.clusterSize()];
        try {
            ClusterCodecs.of(compression).decompress(src, src.length, out);
        } catch (CompressedDataException e) {
            throw new Qcow2FormatException(Structure.COMPRESSED_CLUSTER, d.hostOffset(), e.getMessage()
                    + " (L2 entry at 0x" + Long.toHexString(entryAt) + ")", e);
        }
        if (keepLast) {
            lastDescriptor = word0;
            lastCluster = out;
        }
        return out;
    }

    /** Forgets the cluster kept (after the file changed under us). */
    public synchronized void clear() {
        lastDescriptor = -1;
        lastCluster = null;
    }
}
