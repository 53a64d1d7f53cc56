package io.qcowscope.app.ui.viewmodel.repair;

import io.qcowscope.engine.repair.Fix;
import io.qcowscope.engine.repair.FixKind;
import io.qcowscope.engine.repair.RiskLevel;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * One fix of a rescue plan as the rescue view lists it: the engine's fix and whether it is chosen. A header fix is chosen
 * through its field's candidates (the rest of the plan is computed on the header it gives), so its row is not ticked
 * on its own ({@link #header()}); two fixes that mend one damage form a group, one of them chosen at most.
 */
public final class RescueFixRow {
    private final Fix fix;
    private final int group;
    private final ReadOnlyBooleanWrapper chosen;

    RescueFixRow(Fix fix, int group) {
        this.fix = fix;
        this.group = group;
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

    /** A candidate value of a damaged header field (the kinds {@code repair --only} names header-...). */
    public boolean header() {
        return header(fix);
    }

    static boolean header(Fix f) {
        return f.kind().option().startsWith("header-");
    }

    /** The id of the first fix of this row's group of alternatives, or -1. */
    public int group() {
        return group;
    }

    public boolean isChosen() {
        return chosen.get();
    }

    public ReadOnlyBooleanProperty chosenProperty() {
        return chosen.getReadOnlyProperty();
    }

    void setChosen(boolean c) {
        chosen.set(c);
    }

    /** The kind as {@code repair --only} names it, e.g. {@code header-cluster-bits}. */
    public String kindLabel() {
        return fix.kind().option();
    }

    /** What the fix does and why, in words. */
    public String what() {
        return fix.kind().summary() + ": " + fix.why();
    }

    /** Why this row is (not) ticked as it is, when the table alone would not say. */
    public String note() {
        if (header()) {
            return "the candidate chosen above";
        }
        return fix.alternativeTo() >= 0 ? "instead of fix " + fix.alternativeTo() : "";
    }
}
