package io.qcowscope.engine.format;

/** The three feature bit words of the v3 header (spec 1.3); the number is the feature-name-table type byte. */
public enum FeatureWord {
    INCOMPATIBLE(0, "incompatible"),
    COMPATIBLE(1, "compatible"),
    AUTOCLEAR(2, "autoclear");

    private final int code;
    private final String label;

    FeatureWord(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public int code() {
        return code;
    }

    public String label() {
        return label;
    }

    public static FeatureWord ofCode(int code) {
        for (FeatureWord w : values()) {
            if (w.code == code) {
                return w;
            }
        }
        return null;
    }
}
