package io.qcowscope.app.ui.viewmodel;

/** Human byte sizes and hex offsets for display. */
public final class Sizes {
    private Sizes() {
    }

    public static String bytes(long b) {
        if (b < 0) {
            return "?";
        }
        String[] u = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = b;
        int i = 0;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? b + " B" : String.format("%.1f %s", v, u[i]).replace(".0 ", " ");
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
