package io.qcowscope.engine.compress;

/** Compresses and decompresses one whole cluster, by the rules of one {@code compression_type} (spec 3.4). */
public interface ClusterCodec {

    /**
     * Decodes a stored stream into exactly {@code dst.length} bytes (one cluster).
     *
     * @throws CompressedDataException when the stream is broken or yields a different amount
     */
    void decompress(byte[] src, int srcLength, byte[] dst) throws CompressedDataException;

    /**
     * Encodes one cluster. Returns the number of bytes written to {@code dst}, or -1 when the result would not be smaller
     * than the cluster (QEMU then writes the cluster uncompressed).
     */
    int compress(byte[] src, byte[] dst);
}
