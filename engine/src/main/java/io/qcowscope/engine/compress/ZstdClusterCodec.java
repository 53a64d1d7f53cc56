package io.qcowscope.engine.compress;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;

/**
 * Compression type 1 (spec 3.4): one or more zstd frames that together produce exactly one cluster, the last one complete;
 * bytes after it are ignored (QEMU's qcow2_zstd_decompress). Each frame is decoded into the cluster buffer itself, so a
 * hostile window size cannot make us allocate more than one cluster.
 */
public final class ZstdClusterCodec implements ClusterCodec {

    @Override
    public void decompress(byte[] src, int srcLength, byte[] dst) throws CompressedDataException {
        int in = 0;
        int out = 0;
        ZstdDecompressor dec = new ZstdDecompressor();
        while (out < dst.length) {
            if (in >= srcLength) {
                throw new CompressedDataException("zstd stream ends after " + out + " of " + dst.length + " bytes");
            }
            int frameLength = ZstdFrames.frameLength(src, in, srcLength);
            if (!ZstdFrames.isSkippable(src, in)) {
                try {
                    out += dec.decompress(src, in, frameLength, dst, out, dst.length - out);
                } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
                    throw new CompressedDataException("broken zstd frame at stream byte " + in + ": " + e.getMessage(), e);
                }
            }
            in += frameLength;
        }
    }

    @Override
    public int compress(byte[] src, byte[] dst) {
        ZstdCompressor c = new ZstdCompressor();
        byte[] tmp = new byte[c.maxCompressedLength(src.length)];
        int n = c.compress(src, 0, src.length, tmp, 0, tmp.length);
        if (n >= src.length || n > dst.length) {
            return -1;
        }
        System.arraycopy(tmp, 0, dst, 0, n);
        return n;
    }
}
