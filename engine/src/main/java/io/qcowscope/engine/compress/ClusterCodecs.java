package io.qcowscope.engine.compress;

import io.qcowscope.engine.format.CompressionType;

/** The codec registry keyed by {@code compression_type} (spec 3.4). */
public final class ClusterCodecs {
    private static final ClusterCodec ZLIB = new ZlibClusterCodec();
    private static final ClusterCodec ZSTD = new ZstdClusterCodec();

    private ClusterCodecs() {
    }

    public static ClusterCodec of(CompressionType type) {
        return switch (type) {
            case ZLIB -> ZLIB;
            case ZSTD -> ZSTD;
        };
    }
}
