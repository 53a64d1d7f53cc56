package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.Finding;
import io.qcowscope.app.ui.viewmodel.FindingsViewModel;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** Check findings; choosing one selects the structure it concerns. */
public final class FindingsView extends BorderPane {
    public FindingsView(FindingsViewModel vm) {
        TableView<Finding> t = Columns.table(vm.findings());
        t.setId("findings");
        t.setPlaceholder(new Label("No findings (yet): the layout scan reports refcount mismatches, leaks and overlaps."));
        var sev = Columns.<Finding, Finding>object("", f -> f, 40);
        sev.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Finding f, boolean empty) {
                super.updateItem(f, empty);
                if (empty || f == null) {
                    setGraphic(null);
                    return;
                }
                FontIcon i = new FontIcon(switch (f.severity()) {
                    case ERROR -> Feather.ALERT_OCTAGON;
                    case LEAK -> Feather.ALERT_TRIANGLE;
                    case INFO -> Feather.INFO;
                });
                i.getStyleClass().add(f.severity() == Finding.Severity.ERROR ? "danger" : "warning");
                setGraphic(i);
            }
        });
        t.getColumns().add(sev);
        t.getColumns().add(Columns.text("Finding", Finding::message, 520));
        t.getColumns().add(Columns.text("Host cluster", f -> f.hostCluster() < 0 ? "" : String.valueOf(f.hostCluster()),
                100));
        t.getColumns().add(Columns.text("Guest cluster", f -> f.guestCluster() < 0 ? "" : String.valueOf(f.guestCluster()),
                100));
        t.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.open(b);
            }
        });
        Label note = new Label("Provisional findings from the app's own layout scan; the engine's check replaces them.");
        note.getStyleClass().add("text-muted");
        setTop(note);
        setCenter(t);
        setStyle("-fx-padding: 6;");
    }
}
