package io.qcowscope.app.ui.viewmodel;

import io.qcowscope.engine.format.Plural;
import io.qcowscope.engine.check.CheckResult;
import io.qcowscope.engine.check.Finding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The engine check's findings and counters (spec 5.7); opening a finding selects the structure it concerns. */
public final class FindingsViewModel {
    private final SelectionModel selection;
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyBooleanWrapper anyGuestCluster = new ReadOnlyBooleanWrapper(this, "anyGuestCluster");
    private final ReadOnlyStringWrapper placeholder = new ReadOnlyStringWrapper(this, "placeholder", "");
    private int clusterBits = 16;

    /** What the empty findings table says while the check runs. */
    public static final String CHECKING = "Checking: the check runs with the layout scan; its findings show here when it ends.";
    /** What the empty findings table says after a check that found nothing. */
    public static final String NO_FINDINGS = "No findings; the check's counters are above.";

    public FindingsViewModel(SelectionModel selection) {
        this.selection = selection;
    }

    void setCheck(CheckResult r, int clusterBits) {
        this.clusterBits = clusterBits;
        if (r == null) {
            findings.clear();
            summary.set("");
            anyGuestCluster.set(false);
            placeholder.set(CHECKING);
            return;
        }
        placeholder.set(NO_FINDINGS);
        findings.setAll(r.findings());
        anyGuestCluster.set(r.findings().stream().anyMatch(f -> f.guestOffset() >= 0));
        summary.set(summaryOf(r));
    }

    /** The layout scan that runs the check failed or was cancelled: there is no check to show. */
    void checkStopped(String why) {
        placeholder.set("No check: the layout scan " + why + ".");
    }

    /** The empty table's text: the check is running, found nothing, or did not run to its end. */
    public ReadOnlyStringProperty placeholderProperty() {
        return placeholder.getReadOnlyProperty();
    }

    /** The counters as qemu-img check prints them, plus why a check stopped and how many findings were not kept. */
    static String summaryOf(CheckResult r) {
        String s = Plural.of(r.corruptions(), "corruption") + ", " + Plural.of(r.leaks(), "leaked cluster") + ", "
                + Plural.of(r.checkErrors(), "check error");
        if (!r.completed()) {
            s += "; qemu-img would stop here: " + r.failure();
        }
        if (r.findingsDropped() > 0) {
            s += "; " + Plural.of(r.findingsDropped(), "more finding") + " not listed";
        }
        return s;
    }

    public ObservableList<Finding> findings() {
        return FXCollections.unmodifiableObservableList(findings);
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** True when some finding concerns a guest cluster (leaks, for one, concern none): else its column is left out. */
    public ReadOnlyBooleanProperty anyGuestClusterProperty() {
        return anyGuestCluster.getReadOnlyProperty();
    }

    /** The guest cluster a finding concerns, or -1. */
    public long guestClusterOf(Finding f) {
        return f.guestOffset() < 0 ? -1 : f.guestOffset() >>> clusterBits;
    }

    public void open(Finding f) {
        if (f.hostCluster() >= 0) {
            selection.selectHost(f.hostCluster());
        } else if (f.guestOffset() >= 0) {
            selection.selectGuest(guestClusterOf(f));
        }
    }
}
