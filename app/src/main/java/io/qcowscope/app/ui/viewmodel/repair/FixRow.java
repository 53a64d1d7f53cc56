package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.app.ui.viewmodel.SelectionPath;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.RiskLevel;
import java.util.List;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One fix of the plan as the workspace lists it: the engine's fix, whether it is chosen, the other way to mend the same
 * damage when there is one (a radio group), its structure path as crumbs and what it would change on the other views.
 * A refcount the apply recomputes after the chosen fixes is a dependent row ({@link #dependent()}): the user does not
 * choose it, the choices do.
 */
public final class FixRow {
    /** One patch as a hex diff: old and new bytes at a file offset. */
    public record HexDiff(long offset, String before, String after) {
    }

    private final Fix fix;
    private final int group;
    private final boolean dependent;
    private final FixFacts facts;
    private final List<SelectionPath.Crumb> crumbs;
    private final ReadOnlyBooleanWrapper chosen;
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    private FixPreview preview;

    FixRow(Fix fix, int group, boolean dependent, FixFacts facts, List<SelectionPath.Crumb> crumbs, FixPreview preview) {
        this.fix = fix;
        this.group = group;
        this.dependent = dependent;
        this.facts = facts;
        this.crumbs = List.copyOf(crumbs);
        this.preview = preview;
        this.chosen = new ReadOnlyBooleanWrapper(this, "chosen", fix.selected());
    }

    public Fix fix() {
        return fix;
    }

    public int id() {
        return fix.id();
    }

    public FixKind kind() {
        return fix.kind();
    }

    public RiskLevel risk() {
        return fix.risk();
    }

    /** The id of the engine's default fix of the damage this row's group mends, or -1 when the row has no alternative. */
    public int group() {
        return group;
    }

    public boolean hasAlternative() {
        return group >= 0;
    }

    /** True for a refcount the apply recomputes from the references left by the chosen fixes. */
    public boolean dependent() {
        return dependent;
    }

    public FixFacts facts() {
        return facts;
    }

    public List<SelectionPath.Crumb> crumbs() {
        return crumbs;
    }

    public ReadOnlyBooleanProperty chosenProperty() {
        return chosen.getReadOnlyProperty();
    }

    public boolean isChosen() {
        return chosen.get();
    }

    void setChosen(boolean c) {
        chosen.set(c);
    }

    /** Why the row stands as it does now ("not needed after the chosen fixes", "instead of fix 0"); empty when nothing. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    void setNote(String n) {
        note.set(n);
    }

    public FixPreview preview() {
        return preview;
    }

    void setPreview(FixPreview p) {
        preview = p;
    }

    /** The kind's name as {@code repair --only} takes it, and what it does. */
    public String kindLabel() {
        return fix.kind().option();
    }

    public String summary() {
        return fix.kind().summary();
    }

    public String finding() {
        return fix.why();
    }

    public String offsetText() {
        return fix.byteOffset() < 0 ? "" : Sizes.hex(fix.byteOffset());
    }

    /** The guest range whose reads it concerns, e.g. {@code 0x30000..0x40000 (64 KiB)}; empty when none. */
    public String guestRange() {
        long at = facts.guestStart() >= 0 ? facts.guestStart() : fix.guestOffset();
        if (at < 0) {
            return "";
        }
        long len = facts.guestStart() >= 0 ? facts.guestLength() : Math.max(0, fix.guestLength());
        return Sizes.hex(at) + ".." + Sizes.hex(at + len) + " (" + Sizes.bytes(len) + ")";
    }

    public List<HexDiff> diffs() {
        return fix.patches().stream().map(p -> new HexDiff(p.offset(), spaced(p.beforeHex()), spaced(p.afterHex())))
                .toList();
    }

    /** What is written when there are no bytes to show (a new structure, the file grown), or empty. */
    public String writes() {
        return fix.newStructure() == null ? "" : fix.newStructure();
    }

    private static String spaced(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) {
                b.append(i % 16 == 0 ? "  " : " ");
            }
            b.append(hex, i, Math.min(hex.length(), i + 2));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "fix " + fix.id() + " " + fix.kind().option() + (isChosen() ? " (chosen)" : "");
    }
}
