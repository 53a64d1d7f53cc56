package io.qcowscope.engine.format;

import java.io.IOException;

/**
 * Where codecs read variable-length structures from. Bytes past the end of the source read as zeros, as QEMU reads past
 * the end of an image file.
 */
@FunctionalInterface
public interface ByteSource {
    void read(long offset, byte[] dst, int dstOffset, int length) throws IOException;

    default byte[] read(long offset, int length) throws IOException {
        byte[] b = new byte[length];
        read(offset, b, 0, length);
        return b;
    }

    static ByteSource of(byte[] bytes) {
        return (offset, dst, dstOffset, length) -> {
            java.util.Arrays.fill(dst, dstOffset, dstOffset + length, (byte) 0);
            if (offset < bytes.length && offset >= 0) {
                int n = (int) Math.min(length, bytes.length - offset);
                System.arraycopy(bytes, (int) offset, dst, dstOffset, n);
            }
        };
    }
}
