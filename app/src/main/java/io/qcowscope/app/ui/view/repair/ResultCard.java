package io.qcowscope.app.ui.view.repair;

import io.qcowscope.app.ui.viewmodel.repair.RepairResult;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** After an apply with a repair: findings before and after, and whether the file is clean by qemu-img check's rules. */
final class ResultCard extends VBox {
    private final Runnable dismiss;

    ResultCard(Runnable dismiss) {
        super(4);
        this.dismiss = dismiss;
        setId("resultCard");
        getStyleClass().add("result-card");
    }

    void show(RepairResult r) {
        getChildren().clear();
        boolean visible = r != null;
        setVisible(visible);
        setManaged(visible);
        if (r == null) {
            return;
        }
        getStyleClass().removeAll("result-clean", "result-dirty");
        getStyleClass().add(r.clean() ? "result-clean" : "result-dirty");
        FontIcon icon = new FontIcon(r.clean() ? Feather.CHECK_CIRCLE : Feather.ALERT_TRIANGLE);
        icon.getStyleClass().add("result-icon");
        Label title = new Label(r.clean() ? "Clean by qemu-img check's rules" : "Problems are left", icon);
        title.setId("resultTitle");
        title.getStyleClass().add("title-4");
        Button close = new Button(null, new FontIcon(Feather.X));
        close.getStyleClass().add("flat");
        close.setOnAction(e -> dismiss.run());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        getChildren().add(new HBox(8, title, spacer, close));
        getChildren().add(line("Written to", r.target() + (r.inPlace() ? " (in place" + (r.journal() == null ? ")"
                : ", undo journal " + r.journal() + ")") : " (a copy)")));
        getChildren().add(line("Before", RepairResult.counters(r.before())));
        Label after = line("After", RepairResult.counters(r.after()));
        after.setId("resultAfter");
        getChildren().add(after);
        for (String s : r.summaries()) {
            getChildren().add(line("Did", s));
        }
        for (String s : r.remaining().stream().limit(8).toList()) {
            Label l = line("Left", s);
            l.getStyleClass().add("danger");
            getChildren().add(l);
        }
    }

    private static Label line(String name, String text) {
        Label l = new Label(name + ": " + text);
        l.setWrapText(true);
        l.setMinHeight(Label.USE_PREF_SIZE);
        return l;
    }
}
