package io.qcowscope.app.units;

import java.util.Locale;

/**
 * Byte counts and offsets as users type them, on the command line and in the window: decimal ({@code 65536}), hex
 * ({@code 0x10000}) and binary suffixes {@code k, M, G, T} (optionally followed by {@code B} or {@code iB}, any case:
 * {@code 4k}, {@code 1M}, {@code 64KiB}).
 */
public final class SizeParser {
    private SizeParser() {
    }

    /** @throws NumberFormatException for anything else, a negative number or a value past {@code Long.MAX_VALUE} */
    public static long parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (t.endsWith("ib")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("b") && !t.startsWith("0x")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.isEmpty()) {
            throw new NumberFormatException("empty size");
        }
        int shift = switch (t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        if (shift != 0) {
            t = t.substring(0, t.length() - 1).trim();
        }
        long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        if (v < 0 || v > Long.MAX_VALUE >>> shift) {
            throw new NumberFormatException("size out of range: " + s);
        }
        return v << shift;
    }
}
