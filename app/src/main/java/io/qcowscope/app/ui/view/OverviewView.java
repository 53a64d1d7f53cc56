package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.FactRow;
import io.qcowscope.app.ui.viewmodel.OverviewViewModel;
import io.qcowscope.engine.format.HeaderField;
import javafx.beans.property.ObjectProperty;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Header fields with offsets and meaning, feature bits, extensions, backing chain and key figures. */
public final class OverviewView extends javafx.scene.layout.StackPane {
    /** Narrower than this, the parts stack in one scrolling column instead of two columns. */
    static final double TWO_COLUMNS_FROM = 1200;
    private final GridPane grid = new GridPane();
    private final VBox column = new VBox(10);
    private final javafx.scene.control.ScrollPane scroll = new javafx.scene.control.ScrollPane(column);
    private VBox headerBox;
    private VBox figuresBox;
    private javafx.scene.layout.HBox bitsBox;
    private VBox chainBox;
    private Boolean twoColumns;
    private final OverviewViewModel vm;

    public OverviewView(OverviewViewModel vm) {
        this.vm = vm;
        getStyleClass().add("overview");
        createView();
    }

    private void createView() {
        TableView<HeaderField> header = Columns.table(vm.headerFields());
        header.setId("headerTable");
        Label hint = new Label();
        hint.textProperty().bind(vm.hintProperty());
        hint.setWrapText(true);
        header.setPlaceholder(hint);
        header.getColumns().add(Columns.text("Offset", f -> String.valueOf(f.offset()), 40));
        header.getColumns().add(Columns.text("Bytes", f -> String.valueOf(f.length()), 40));
        header.getColumns().add(Columns.text("Field", HeaderField::name, 120));
        header.getColumns().add(Columns.text("Value", f -> f.length() >= 8 || f.value() > 0xFFFF
                ? "0x" + Long.toHexString(f.value()) : String.valueOf(f.value()), 60));
        header.getColumns().add(Columns.wrapping("Meaning", HeaderField::meaning, 120));
        // The scans change the figures' values in place: the rows follow them without being rebuilt.
        TableView<ObjectProperty<FactRow>> figures = LiveRows.table(vm.figures());
        figures.getColumns().add(Columns.text("Figure", r -> r.get().name(), 40));
        figures.getColumns().add(Columns.text("Value", r -> r.get().value(), 40));
        figures.getColumns().add(Columns.wrapping("Detail", r -> r.get().detail(), 100));
        figures.setId("figuresTable");
        TableView<FactRow> features = facts(vm.features(), "Bit", "Set", "Feature");
        features.setId("featuresTable");
        // What the user selects here is what the Explain panel explains.
        header.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedHeaderFieldProperty().set(b));
        features.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> vm.selectedFeatureProperty().set(b));
        TableView<FactRow> exts = facts(vm.extensions(), "Type", "Extension", "Where");
        exts.setId("extensionsTable");
        TableView<FactRow> chain = Columns.table(vm.chain());
        chain.setId("chainTable");
        chain.getColumns().add(Columns.text("Layer", FactRow::name, 40));
        // The path last: it takes the width the others leave and wraps only when that is too little.
        chain.getColumns().add(Columns.wrapping("Status", FactRow::detail, 100));
        chain.getColumns().add(Columns.wrapping("File", FactRow::value, 120));
        headerBox = titled("Header (cluster 0)", header);
        figuresBox = titled("Key figures", figures);
        bitsBox = new javafx.scene.layout.HBox(10, titled("Feature bits", features), titled("Header extensions", exts));
        bitsBox.getChildren().forEach(n -> javafx.scene.layout.HBox.setHgrow(n, Priority.ALWAYS));
        chainBox = titled("Backing chain", chain);
        grid.setHgap(10);
        grid.setVgap(10);
        for (int i = 0; i < 2; i++) {
            javafx.scene.layout.ColumnConstraints cc = new javafx.scene.layout.ColumnConstraints();
            cc.setPercentWidth(i == 0 ? 55 : 45);
            cc.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(cc);
        }
        double[] heights = {34, 30, 36};
        for (double h : heights) {
            javafx.scene.layout.RowConstraints rc = new javafx.scene.layout.RowConstraints();
            rc.setPercentHeight(h);
            rc.setVgrow(Priority.ALWAYS);
            grid.getRowConstraints().add(rc);
        }
        scroll.setFitToWidth(true);
        column.getStyleClass().add("overview-column");
        widthProperty().addListener((o, a, b) -> arrange(b.doubleValue() >= TWO_COLUMNS_FROM));
        arrange(true);
    }

    /** Two columns when there is room; otherwise one column of fixed-height parts that scrolls. */
    private void arrange(boolean two) {
        if (twoColumns != null && twoColumns == two) {
            return;
        }
        twoColumns = two;
        grid.getChildren().clear();
        column.getChildren().clear();
        if (two) {
            for (javafx.scene.layout.Region r : new javafx.scene.layout.Region[]{headerBox, figuresBox, bitsBox, chainBox}) {
                r.setMinHeight(javafx.scene.layout.Region.USE_COMPUTED_SIZE);
                r.setPrefHeight(javafx.scene.layout.Region.USE_COMPUTED_SIZE);
            }
            grid.add(headerBox, 0, 0, 1, 2);
            grid.add(figuresBox, 1, 0, 1, 2);
            grid.add(bitsBox, 0, 2);
            grid.add(chainBox, 1, 2);
            getChildren().setAll(grid);
        } else {
            double[] h = {460, 480, 260, 160};
            javafx.scene.layout.Region[] parts = {headerBox, figuresBox, bitsBox, chainBox};
            for (int i = 0; i < parts.length; i++) {
                parts[i].setMinHeight(h[i]);
                parts[i].setPrefHeight(h[i]);
            }
            column.getChildren().setAll(parts);
            getChildren().setAll(scroll);
        }
    }

    /** Name and value sized to their content; the detail wraps in the width left. */
    private static TableView<FactRow> facts(javafx.collections.ObservableList<FactRow> rows, String a, String b,
            String c) {
        TableView<FactRow> t = Columns.table(rows);
        t.getColumns().add(Columns.text(a, FactRow::name, 40));
        t.getColumns().add(Columns.text(b, FactRow::value, 40));
        t.getColumns().add(Columns.wrapping(c, FactRow::detail, 100));
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
