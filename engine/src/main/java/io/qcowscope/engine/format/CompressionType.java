package io.qcowscope.engine.format;

/** Header byte 104 (spec 1.1): how compressed clusters are encoded. */
public enum CompressionType {
    ZLIB(0, "zlib"),
    ZSTD(1, "zstd");

    private final int code;
    private final String qemuName;

    CompressionType(int code, String qemuName) {
        this.code = code;
        this.qemuName = qemuName;
    }

    public int code() {
        return code;
    }

    /** The name qemu-img uses ({@code compression-type} in info). */
    public String qemuName() {
        return qemuName;
    }

    public static CompressionType ofCode(int code) {
        for (CompressionType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    public static CompressionType ofName(String name) {
        for (CompressionType t : values()) {
            if (t.qemuName.equals(name)) {
                return t;
            }
        }
        return null;
    }
}
