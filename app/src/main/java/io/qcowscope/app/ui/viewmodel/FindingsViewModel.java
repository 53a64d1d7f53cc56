package io.qcowscope.app.ui.viewmodel;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** The check findings; opening one selects the structure it concerns. */
public final class FindingsViewModel {
    private final SelectionModel selection;
    private final ObservableList<Finding> findings = FXCollections.observableArrayList();

    public FindingsViewModel(SelectionModel selection) {
        this.selection = selection;
    }

    void setFindings(FindingsSource s) {
        if (s == null) {
            findings.clear();
        } else {
            findings.setAll(s.findings());
        }
    }

    public ObservableList<Finding> findings() {
        return FXCollections.unmodifiableObservableList(findings);
    }

    public void open(Finding f) {
        if (f.hostCluster() >= 0) {
            selection.selectHost(f.hostCluster());
        } else if (f.guestCluster() >= 0) {
            selection.selectGuest(f.guestCluster());
        }
    }
}
