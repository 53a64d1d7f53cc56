package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.engine.repair.rescue.HeaderDamage;
import java.util.List;

/**
 * A damaged header field as the rescue view lists it (issue 14): the field by its spec name (spec 1.1), the value found,
 * why it fails validation, and the candidate values with their evidence; {@link #chosen()} is the candidate the plan
 * uses (the default, or the user's), -1 when the evidence is not conclusive and the user must choose.
 */
public final class HeaderFieldRow {
    /** One candidate in words: "16", with the evidence and its score. */
    public record Choice(long value, String label, String evidence, int score) {
    }

    private final HeaderDamage damage;
    private final List<Choice> choices;

    HeaderFieldRow(HeaderDamage damage) {
        this.damage = damage;
        this.choices = damage.candidates().stream().map(c -> new Choice(c.value(), candidate(damage, c.value()),
                c.evidence(), c.score())).toList();
    }

    /** A candidate with what it means: "16 (64 KiB clusters)", "4 (16-bit refcounts)". */
    private static String candidate(HeaderDamage d, long v) {
        return switch (d.field()) {
            case "cluster_bits" -> v + " (" + Sizes.bytes(1L << v) + " clusters)";
            case "refcount_order" -> v + " (" + (1 << v) + "-bit refcounts)";
            default -> value(d, v);
        };
    }

    /**
     * A value as the field means it: the magic and feature bits in hex, the virtual size in bytes, the extension area
     * as the records kept, the other fields (widths, counts, orders) in decimal.
     */
    private static String value(HeaderDamage d, long v) {
        return switch (d.field()) {
            case "magic", "incompatible_features" -> String.format("0x%x", v);
            case "size" -> Sizes.bytes(v) + " (" + v + " bytes)";
            case "header extensions" -> "keep " + v + " record(s) that parse";
            default -> Long.toString(v);
        };
    }

    public String field() {
        return damage.field();
    }

    /** "bytes 20..23": where the field is in the header. */
    public String where() {
        return "bytes " + damage.offset() + ".." + (damage.offset() + damage.width() - 1);
    }

    public String found() {
        return damage.field().equals("header extensions") ? damage.found() + " record(s) that do not parse"
                : value(damage, damage.found());
    }

    public String problem() {
        return damage.problem();
    }

    public List<Choice> choices() {
        return choices;
    }

    public int chosen() {
        return damage.chosen();
    }

    HeaderDamage damage() {
        return damage;
    }
}
