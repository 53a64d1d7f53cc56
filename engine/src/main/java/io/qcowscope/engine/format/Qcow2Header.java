package io.qcowscope.engine.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fixed header fields of cluster 0 (spec 1.1), as stored. Unsigned 32-bit fields are widened to
 * {@code long}. For a v2 image the v3 fields hold their implied values (spec 1.1, last line).
 *
 * @param unknownHeaderFields bytes between offset 112 and {@code headerLength}, kept verbatim
 */
public record Qcow2Header(
        int version,
        long backingFileOffset,
        long backingFileSize,
        int clusterBits,
        long size,
        long cryptMethod,
        long l1Size,
        long l1TableOffset,
        long refcountTableOffset,
        long refcountTableClusters,
        long nbSnapshots,
        long snapshotsOffset,
        long incompatibleFeatures,
        long compatibleFeatures,
        long autoclearFeatures,
        int refcountOrder,
        long headerLength,
        CompressionType compressionType,
        byte[] unknownHeaderFields) {

    public static final int MAGIC = 0x514649FB;
    public static final int V2_LENGTH = 72;
    public static final int V3_MIN_LENGTH = 104;
    /** What QEMU writes as header_length for v3 (spec 1.1). */
    public static final int V3_LENGTH = 112;

    public Qcow2Header {
        unknownHeaderFields = unknownHeaderFields == null ? new byte[0] : unknownHeaderFields.clone();
    }

    @Override
    public byte[] unknownHeaderFields() {
        return unknownHeaderFields.clone();
    }

    public long clusterSize() {
        return 1L << clusterBits;
    }

    public boolean has(FeatureBit bit) {
        long word = switch (bit.word()) {
            case INCOMPATIBLE -> incompatibleFeatures;
            case COMPATIBLE -> compatibleFeatures;
            case AUTOCLEAR -> autoclearFeatures;
        };
        return (word & bit.mask()) != 0;
    }

    public boolean extendedL2() {
        return has(FeatureBit.EXTENDED_L2);
    }

    public boolean dirty() {
        return has(FeatureBit.DIRTY);
    }

    public boolean corrupt() {
        return has(FeatureBit.CORRUPT);
    }

    public boolean lazyRefcounts() {
        return has(FeatureBit.LAZY_REFCOUNTS);
    }

    public boolean externalDataFile() {
        return has(FeatureBit.EXTERNAL_DATA_FILE);
    }

    public int refcountBits() {
        return 1 << refcountOrder;
    }

    /** Every set feature bit, known or not, in word order. */
    public List<SetFeature> setFeatures() {
        List<SetFeature> out = new ArrayList<>();
        long[] words = {incompatibleFeatures, compatibleFeatures, autoclearFeatures};
        for (FeatureWord w : FeatureWord.values()) {
            long v = words[w.code()];
            for (int b = 0; b < 64; b++) {
                if ((v & (1L << b)) != 0) {
                    out.add(new SetFeature(w, b, FeatureBit.of(w, b)));
                }
            }
        }
        return out;
    }

    /** One set bit of a feature word; {@code known} is null for a bit QEMU 7.2 does not define. */
    public record SetFeature(FeatureWord word, int bit, FeatureBit known) {
    }

    public Qcow2Header withIncompatibleFeatures(long v) {
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, size, cryptMethod, l1Size,
                l1TableOffset, refcountTableOffset, refcountTableClusters, nbSnapshots, snapshotsOffset, v,
                compatibleFeatures, autoclearFeatures, refcountOrder, headerLength, compressionType,
                unknownHeaderFields);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Qcow2Header h && version == h.version && backingFileOffset == h.backingFileOffset
                && backingFileSize == h.backingFileSize && clusterBits == h.clusterBits && size == h.size
                && cryptMethod == h.cryptMethod && l1Size == h.l1Size && l1TableOffset == h.l1TableOffset
                && refcountTableOffset == h.refcountTableOffset
                && refcountTableClusters == h.refcountTableClusters && nbSnapshots == h.nbSnapshots
                && snapshotsOffset == h.snapshotsOffset && incompatibleFeatures == h.incompatibleFeatures
                && compatibleFeatures == h.compatibleFeatures && autoclearFeatures == h.autoclearFeatures
                && refcountOrder == h.refcountOrder && headerLength == h.headerLength
                && compressionType == h.compressionType && Arrays.equals(unknownHeaderFields, h.unknownHeaderFields);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + Long.hashCode(l1TableOffset) * 17 + clusterBits;
    }
}
