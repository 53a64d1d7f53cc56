package io.qcowscope.engine.format;

/** The feature bits known to QEMU 7.2 (spec 1.3), with the names QEMU writes into the feature name table. */
public enum FeatureBit {
    DIRTY(FeatureWord.INCOMPATIBLE, 0, "dirty bit"),
    CORRUPT(FeatureWord.INCOMPATIBLE, 1, "corrupt bit"),
    EXTERNAL_DATA_FILE(FeatureWord.INCOMPATIBLE, 2, "external data file"),
    COMPRESSION_TYPE(FeatureWord.INCOMPATIBLE, 3, "compression type"),
    EXTENDED_L2(FeatureWord.INCOMPATIBLE, 4, "extended L2 entries"),
    LAZY_REFCOUNTS(FeatureWord.COMPATIBLE, 0, "lazy refcounts"),
    BITMAPS(FeatureWord.AUTOCLEAR, 0, "bitmaps"),
    RAW_EXTERNAL_DATA(FeatureWord.AUTOCLEAR, 1, "raw external data");

    /** Incompatible bits this engine understands; any other set bit makes the image unopenable (spec 1.2 step 5). */
    public static final long KNOWN_INCOMPATIBLE_MASK = 0x1FL;
    /** Autoclear bits this engine understands. */
    public static final long KNOWN_AUTOCLEAR_MASK = 0x3L;

    private final FeatureWord word;
    private final int bit;
    private final String qemuName;

    FeatureBit(FeatureWord word, int bit, String qemuName) {
        this.word = word;
        this.bit = bit;
        this.qemuName = qemuName;
    }

    public FeatureWord word() {
        return word;
    }

    public int bit() {
        return bit;
    }

    public long mask() {
        return 1L << bit;
    }

    public String qemuName() {
        return qemuName;
    }

    public static FeatureBit of(FeatureWord word, int bit) {
        for (FeatureBit f : values()) {
            if (f.word == word && f.bit == bit) {
                return f;
            }
        }
        return null;
    }
}
