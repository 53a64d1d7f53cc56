package io.qcowscope.engine.format;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Lists the header's fields in file order with their offsets and decoded meaning (spec 1.1, 1.3). */
public final class HeaderFields {
    private HeaderFields() {
    }

    public static List<HeaderField> of(Qcow2Header h) {
        List<HeaderField> f = new ArrayList<>();
        f.add(new HeaderField("magic", 0, 4, Qcow2Header.MAGIC & 0xFFFFFFFFL, "QFI\\xfb"));
        f.add(new HeaderField("version", 4, 4, h.version(), h.version() == 2 ? "version 2 (compat 0.10)"
                : "version 3 (compat 1.1)"));
        f.add(new HeaderField("backing_file_offset", 8, 8, h.backingFileOffset(),
                h.backingFileOffset() == 0 ? "no backing file" : "name at byte " + h.backingFileOffset()));
        f.add(new HeaderField("backing_file_size", 16, 4, h.backingFileSize(), Plural.of(h.backingFileSize(), "byte")));
        f.add(new HeaderField("cluster_bits", 20, 4, h.clusterBits(), "clusters of " + Plural.of(h.clusterSize(), "byte")));
        f.add(new HeaderField("size", 24, 8, h.size(), Plural.of(h.size(), "byte") + " of virtual disk"));
        f.add(new HeaderField("crypt_method", 32, 4, h.cryptMethod(),
                new String[]{"none", "AES-CBC (legacy)", "LUKS"}[(int) Math.min(2, h.cryptMethod())]));
        f.add(new HeaderField("l1_size", 36, 4, h.l1Size(), Plural.of(h.l1Size(), "active L1 entry")));
        f.add(new HeaderField("l1_table_offset", 40, 8, h.l1TableOffset(), hex(h.l1TableOffset())));
        f.add(new HeaderField("refcount_table_offset", 48, 8, h.refcountTableOffset(), hex(h.refcountTableOffset())));
        f.add(new HeaderField("refcount_table_clusters", 56, 4, h.refcountTableClusters(),
                Plural.of(h.refcountTableClusters(), "cluster")));
        f.add(new HeaderField("nb_snapshots", 60, 4, h.nbSnapshots(), Plural.of(h.nbSnapshots(), "snapshot")));
        f.add(new HeaderField("snapshots_offset", 64, 8, h.snapshotsOffset(), hex(h.snapshotsOffset())));
        if (h.version() >= 3) {
            f.add(new HeaderField("incompatible_features", 72, 8, h.incompatibleFeatures(),
                    names(h, FeatureWord.INCOMPATIBLE, h.incompatibleFeatures())));
            f.add(new HeaderField("compatible_features", 80, 8, h.compatibleFeatures(),
                    names(h, FeatureWord.COMPATIBLE, h.compatibleFeatures())));
            f.add(new HeaderField("autoclear_features", 88, 8, h.autoclearFeatures(),
                    names(h, FeatureWord.AUTOCLEAR, h.autoclearFeatures())));
            f.add(new HeaderField("refcount_order", 96, 4, h.refcountOrder(), h.refcountBits() + "-bit refcounts"));
            f.add(new HeaderField("header_length", 100, 4, h.headerLength(), Plural.of(h.headerLength(), "byte")));
            if (h.headerLength() > Qcow2Header.V3_MIN_LENGTH) {
                f.add(new HeaderField("compression_type", 104, 1, h.compressionType().code(),
                        h.compressionType().qemuName()));
            }
        }
        return f;
    }

    private static String names(Qcow2Header h, FeatureWord word, long bits) {
        if (bits == 0) {
            return "none";
        }
        StringJoiner j = new StringJoiner(", ");
        for (int b = 0; b < 64; b++) {
            if ((bits & (1L << b)) != 0) {
                FeatureBit fb = FeatureBit.of(word, b);
                j.add(fb != null ? fb.qemuName() : "unknown bit " + b);
            }
        }
        return j.toString();
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
