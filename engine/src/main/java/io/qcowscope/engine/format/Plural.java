package io.qcowscope.engine.format;

/**
 * Counted nouns for people to read: "1 entry", "2 entries", "0 clusters". The one place the window and the reports
 * decide between singular and plural (command output that copies qemu-img's wording verbatim does not use it).
 */
public final class Plural {
    private Plural() {
    }

    /** {@code count} and the noun, singular for exactly one, otherwise the regular English plural of {@code noun}. */
    public static String of(long count, String noun) {
        return count + " " + (count == 1 ? noun : plural(noun));
    }

    /** {@code count} and the noun, with an explicit plural form for irregular nouns. */
    public static String of(long count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }

    /** The regular English plural of the last word of {@code noun}: entry -> entries, bus -> buses, bit -> bits. */
    static String plural(String noun) {
        int n = noun.length();
        if (n == 0) {
            return noun;
        }
        char last = noun.charAt(n - 1);
        char before = n > 1 ? noun.charAt(n - 2) : ' ';
        if (last == 'y' && "aeiou".indexOf(before) < 0 && Character.isLetter(before)) {
            return noun.substring(0, n - 1) + "ies";
        }
        if (last == 's' || last == 'x' || last == 'z' || noun.endsWith("ch") || noun.endsWith("sh")) {
            return noun + "es";
        }
        return noun + "s";
    }
}
