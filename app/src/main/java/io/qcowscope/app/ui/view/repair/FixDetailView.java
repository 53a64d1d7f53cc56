package io.qcowscope.app.ui.view.repair;

import io.qcowscope.app.ui.viewmodel.SelectionPath;
import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.repair.FixRow;
import java.util.function.Consumer;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TreeItem;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.controlsfx.control.BreadCrumbBar;

/**
 * The fix looked at: what it does and why, its structure path as crumbs (each selects its structure in the other views),
 * where it writes, old and new bytes side by side, and the guest range it concerns.
 */
final class FixDetailView extends ScrollPane {
    private final VBox box = new VBox(6);
    private final Consumer<SelectionPath.Place> navigate;

    FixDetailView(Consumer<SelectionPath.Place> navigate) {
        this.navigate = navigate;
        box.getStyleClass().add("fix-detail");
        setContent(box);
        setFitToWidth(true);
        setId("fixDetail");
        show(null);
    }

    void show(FixRow r) {
        box.getChildren().clear();
        if (r == null) {
            Label hint = wrapping("Choose a fix to see its bytes; the host map, L2 table and refcount views then mark "
                    + "what it changes.");
            hint.getStyleClass().add("text-muted");
            box.getChildren().add(hint);
            return;
        }
        Label title = wrapping((r.id() < 0 ? "recomputed refcount" : "fix " + r.id()) + ": " + r.kindLabel());
        title.getStyleClass().add("title-4");
        box.getChildren().addAll(new HBox(8, title, RiskBadge.of(r.risk())), wrapping(r.summary()));
        box.getChildren().add(crumbs(r));
        box.getChildren().add(field("Answers", r.finding()));
        if (!r.offsetText().isEmpty()) {
            box.getChildren().add(field("At byte", r.offsetText()));
        }
        if (!r.guestRange().isEmpty()) {
            box.getChildren().add(field("Guest range", r.guestRange()));
        }
        if (!r.writes().isEmpty()) {
            box.getChildren().add(field("Writes", r.writes()));
        }
        if (!r.noteProperty().get().isEmpty()) {
            box.getChildren().add(field("Note", r.noteProperty().get()));
        }
        if (!r.diffs().isEmpty()) {
            box.getChildren().add(diff(r));
        }
    }

    private BreadCrumbBar<SelectionPath.Crumb> crumbs(FixRow r) {
        BreadCrumbBar<SelectionPath.Crumb> bar = new BreadCrumbBar<>();
        bar.setId("fixPath");
        bar.setAutoNavigationEnabled(false);
        TreeItem<SelectionPath.Crumb> last = null;
        for (SelectionPath.Crumb c : r.crumbs()) {
            TreeItem<SelectionPath.Crumb> item = new TreeItem<>(c);
            if (last != null) {
                last.getChildren().add(item);
            }
            last = item;
        }
        bar.setSelectedCrumb(last);
        bar.setOnCrumbAction(e -> {
            SelectionPath.Crumb c = e.getSelectedCrumb().getValue();
            c.select().run();
            navigate.accept(c.place());
        });
        return bar;
    }

    /** Old and new bytes of each patch, one row per patch. */
    private static GridPane diff(FixRow r) {
        GridPane g = new GridPane();
        g.setId("hexDiff");
        g.getStyleClass().add("hex-diff");
        g.setHgap(12);
        g.setVgap(2);
        g.addRow(0, head("Offset"), head("Old bytes"), head("New bytes"));
        int row = 1;
        for (FixRow.HexDiff d : r.diffs()) {
            Label at = mono(Sizes.hex(d.offset()));
            at.setMinWidth(Label.USE_PREF_SIZE);
            Label before = mono(d.before());
            before.getStyleClass().add("hex-old");
            Label after = mono(d.after());
            after.getStyleClass().add("hex-new");
            g.addRow(row++, at, before, after);
        }
        return g;
    }

    private static Label head(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("text-bold");
        l.setMinWidth(Label.USE_PREF_SIZE);
        return l;
    }

    private static Label mono(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("mono");
        l.setWrapText(true);
        l.setMinHeight(Label.USE_PREF_SIZE);
        return l;
    }

    private static HBox field(String name, String value) {
        Label n = new Label(name);
        n.getStyleClass().add("field-name");
        n.setMinWidth(Label.USE_PREF_SIZE);
        Label v = wrapping(value);
        return new HBox(8, n, v);
    }

    private static Label wrapping(String s) {
        Label l = new Label(s);
        l.setWrapText(true);
        l.setMinHeight(Label.USE_PREF_SIZE);
        return l;
    }
}
