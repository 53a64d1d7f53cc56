package io.qcowscope.engine.compress;

import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compression type 0 (spec 3.4): raw deflate, no zlib header. QEMU inflates the whole stream in one call and accepts it only
 * when exactly one cluster comes out; trailing input is ignored.
 */
public final class ZlibClusterCodec implements ClusterCodec {

    @Override
    public void decompress(byte[] src, int srcLength, byte[] dst) throws CompressedDataException {
        Inflater inf = new Inflater(true);
        try {
            // The nowrap Inflater may need one byte past the stream to finish; give it a zero byte.
            byte[] in = new byte[srcLength + 1];
            System.arraycopy(src, 0, in, 0, srcLength);
            inf.setInput(in);
            int produced = 0;
            while (produced < dst.length) {
                int n = inf.inflate(dst, produced, dst.length - produced);
                produced += n;
                if (n == 0 && (inf.finished() || inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
            }
            if (produced != dst.length) {
                throw new CompressedDataException("deflate stream yields " + produced + " bytes instead of "
                        + dst.length);
            }
        } catch (DataFormatException e) {
            throw new CompressedDataException("broken deflate stream: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }

    @Override
    public int compress(byte[] src, byte[] dst) {
        Deflater def = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            def.setInput(src);
            def.finish();
            // QEMU's budget is cluster_size - 1 bytes.
            int budget = Math.min(dst.length, src.length - 1);
            int n = 0;
            while (!def.finished() && n < budget) {
                n += def.deflate(dst, n, budget - n);
            }
            return def.finished() ? n : -1;
        } finally {
            def.end();
        }
    }
}
