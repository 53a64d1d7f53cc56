package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.FindingsViewModel;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.engine.check.Finding;
import io.qcowscope.engine.check.Severity;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The check's findings under its counters; choosing one selects the structure it concerns. */
public final class FindingsView extends BorderPane {
    public FindingsView(FindingsViewModel vm) {
        TableView<Finding> t = Columns.table(vm.findings());
        t.setId("findings");
        Label empty = new Label();
        empty.setId("findingsPlaceholder");
        empty.setWrapText(true);
        empty.textProperty().bind(vm.placeholderProperty());
        t.setPlaceholder(empty);
        var sev = Columns.<Finding, Finding>object("", f -> f, 40);
        sev.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Finding f, boolean empty) {
                super.updateItem(f, empty);
                setGraphic(empty || f == null ? null : icon(f.severity()));
            }
        });
        t.getColumns().add(sev);
        t.getColumns().add(Columns.wrapping("Finding", Finding::message, 360));
        t.getColumns().add(Columns.text("Host cluster", f -> f.hostCluster() < 0 ? "" : String.valueOf(f.hostCluster()),
                90));
        var guest = Columns.<Finding>text("Guest cluster", f -> {
            long g = vm.guestClusterOf(f);
            return g < 0 ? "" : g + " (" + Sizes.hex(f.guestOffset()) + ")";
        }, 100);
        // An empty column would take the width the message and its path need (at 1024x700 "Where" wrapped).
        guest.visibleProperty().bind(vm.anyGuestClusterProperty());
        t.getColumns().add(guest);
        t.getColumns().add(Columns.mono(Columns.wrapping("Where", Finding::path, 200)));
        t.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.open(b);
            }
        });
        Label summary = new Label();
        summary.setId("findingsSummary");
        summary.getStyleClass().add("text-muted");
        summary.setWrapText(true);
        summary.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        summary.textProperty().bind(vm.summaryProperty());
        setTop(summary);
        setCenter(t);
        getStyleClass().add("view-pane");
    }

    private static FontIcon icon(Severity s) {
        FontIcon i = new FontIcon(switch (s) {
            case CORRUPTION -> Feather.ALERT_OCTAGON;
            case CHECK_ERROR -> Feather.X_OCTAGON;
            case LEAK -> Feather.ALERT_TRIANGLE;
            case WARNING -> Feather.INFO;
        });
        i.getStyleClass().add(s == Severity.CORRUPTION || s == Severity.CHECK_ERROR ? "danger" : "warning");
        return i;
    }
}
