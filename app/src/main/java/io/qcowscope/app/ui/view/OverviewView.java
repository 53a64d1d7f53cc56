package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.FactRow;
import io.qcowscope.app.ui.viewmodel.OverviewViewModel;
import io.qcowscope.engine.format.HeaderField;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Header fields with offsets and meaning, feature bits, extensions, backing chain and key figures. */
public final class OverviewView extends GridPane {
    private final OverviewViewModel vm;

    public OverviewView(OverviewViewModel vm) {
        this.vm = vm;
        getStyleClass().add("overview");
        createView();
    }

    private void createView() {
        setHgap(10);
        setVgap(10);
        setStyle("-fx-padding: 10;");
        TableView<HeaderField> header = Columns.table(vm.headerFields());
        header.setId("headerTable");
        header.setPlaceholder(new Label("Open an image: File > Open (Ctrl+O), drop a file on the window, or Ctrl+D for the demo."));
        header.getColumns().add(Columns.text("Offset", f -> String.valueOf(f.offset()), 60));
        header.getColumns().add(Columns.text("Bytes", f -> String.valueOf(f.length()), 50));
        header.getColumns().add(Columns.text("Field", HeaderField::name, 190));
        header.getColumns().add(Columns.text("Value", f -> f.length() >= 8 || f.value() > 0xFFFF
                ? "0x" + Long.toHexString(f.value()) : String.valueOf(f.value()), 130));
        header.getColumns().add(Columns.text("Meaning", HeaderField::meaning, 330));
        TableView<FactRow> figures = facts(vm.figures(), "Figure", "Value", "Detail", 190, 120, 300);
        figures.setId("figuresTable");
        TableView<FactRow> features = facts(vm.features(), "Bit", "", "Feature", 130, 40, 150);
        TableView<FactRow> exts = facts(vm.extensions(), "Type", "Extension", "Where", 90, 130, 200);
        TableView<FactRow> chain = facts(vm.chain(), "Layer", "File", "Status", 80, 380, 150);
        add(titled("Header (cluster 0)", header), 0, 0, 1, 2);
        add(titled("Key figures", figures), 1, 0, 1, 2);
        javafx.scene.layout.HBox bottomLeft = new javafx.scene.layout.HBox(10, titled("Feature bits", features),
                titled("Header extensions", exts));
        bottomLeft.getChildren().forEach(n -> javafx.scene.layout.HBox.setHgrow(n, Priority.ALWAYS));
        add(bottomLeft, 0, 2);
        add(titled("Backing chain", chain), 1, 2);
        for (int i = 0; i < 2; i++) {
            javafx.scene.layout.ColumnConstraints cc = new javafx.scene.layout.ColumnConstraints();
            cc.setPercentWidth(i == 0 ? 55 : 45);
            cc.setHgrow(Priority.ALWAYS);
            getColumnConstraints().add(cc);
        }
        double[] heights = {34, 30, 36};
        for (double h : heights) {
            javafx.scene.layout.RowConstraints rc = new javafx.scene.layout.RowConstraints();
            rc.setPercentHeight(h);
            rc.setVgrow(Priority.ALWAYS);
            getRowConstraints().add(rc);
        }
    }

    private static TableView<FactRow> facts(javafx.collections.ObservableList<FactRow> rows, String a, String b,
            String c) {
        return facts(rows, a, b, c, 160, 150, 330);
    }

    private static TableView<FactRow> facts(javafx.collections.ObservableList<FactRow> rows, String a, String b,
            String c, double wa, double wb, double wc) {
        TableView<FactRow> t = Columns.table(rows);
        t.getColumns().add(Columns.text(a, FactRow::name, wa));
        t.getColumns().add(Columns.text(b, FactRow::value, wb));
        t.getColumns().add(Columns.text(c, FactRow::detail, wc));
        return t;
    }

    static VBox titled(String title, javafx.scene.Node content) {
        Label l = new Label(title);
        l.getStyleClass().add("title-4");
        VBox box = new VBox(4, l, content);
        VBox.setVgrow(content, Priority.ALWAYS);
        return box;
    }
}
