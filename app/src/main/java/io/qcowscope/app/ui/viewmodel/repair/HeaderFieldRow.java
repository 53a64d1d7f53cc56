package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.engine.repair.rescue.Candidate;
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
        this.choices = damage.candidates().stream().map(c -> new Choice(c.value(), label(damage, c), c.evidence(),
                c.score())).toList();
    }

    /** The value as the field reads it: hex for offsets and feature bits, decimal otherwise. */
    private static String label(HeaderDamage d, Candidate c) {
        return d.width() == 8 || d.field().contains("features") ? String.format("0x%x", c.value())
                : Long.toString(c.value());
    }

    public String field() {
        return damage.field();
    }

    /** "bytes 20..23": where the field is in the header. */
    public String where() {
        return "bytes " + damage.offset() + ".." + (damage.offset() + damage.width() - 1);
    }

    public String found() {
        return damage.width() == 8 || damage.field().contains("features") ? String.format("0x%x", damage.found())
                : Long.toString(damage.found());
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
