package io.qcowscope.app.ui.view.lab;

import io.qcowscope.app.ui.viewmodel.Sizes;
import io.qcowscope.app.ui.viewmodel.lab.LabRow;
import io.qcowscope.app.ui.viewmodel.lab.LabViewModel;
import io.qcowscope.engine.bench.RandomWriteWorkload;
import java.io.File;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.scene.SnapshotParameters;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.RowConstraints;
import javafx.stage.FileChooser;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The subcluster lab: the rows to run and the scale, Run and Cancel, four bar charts (image size, bytes copied by
 * copy-on-write, L2 metadata for full cache coverage, writes per second) per cluster size and series, and the table
 * of figures below them (its columns as wide as their header and values; sideways scrolling where the window is
 * narrower). Exports CSV and the charts as PNG.
 */
public final class LabView extends BorderPane {
    private final LabViewModel vm;
    private final GridPane charts = new GridPane();
    private final Map<String, BarChart<String, Number>> chartByName = new LinkedHashMap<>();
    private final SplitPane split = new SplitPane();
    /** One legend for the four charts: the series in the charts' colours (a chart's own legend would shrink it). */
    private final FlowPane legend = new FlowPane(16, 4);

    public LabView(LabViewModel vm) {
        this.vm = vm;
        getStyleClass().addAll("lab-view", "view-pane");
        setId("labView");
        createView();
        initListeners();
    }

    private void createView() {
        setTop(controls());
        chart("Image size (MiB)", m -> m.imageSize() / 1048576.0);
        chart("Bytes copied by COW (MiB)", m -> m.cowBytes() / 1048576.0);
        chart("L2 metadata for full cache coverage (KiB)", m -> m.l2CoverageBytes() / 1024.0);
        chart("Writes per second", RandomWriteWorkload.Measurement::writesPerSecond);
        int i = 0;
        for (BarChart<String, Number> c : chartByName.values()) {
            charts.add(c, i % 2, i / 2);
            i++;
        }
        for (int k = 0; k < 2; k++) {
            ColumnConstraints cc = new ColumnConstraints();
            cc.setPercentWidth(50);
            charts.getColumnConstraints().add(cc);
            RowConstraints rc = new RowConstraints();
            rc.setVgrow(javafx.scene.layout.Priority.ALWAYS);
            charts.getRowConstraints().add(rc);
        }
        legend.getStyleClass().add("lab-legend");
        legend.setId("labLegend");
        charts.add(legend, 0, 2, 2, 1);
        charts.setId("labCharts");
        charts.getStyleClass().add("lab-charts");
        split.getItems().addAll(charts, table());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.58);
        setCenter(split);
        Label status = new Label();
        status.setId("labStatus");
        status.textProperty().bind(vm.statusProperty());
        status.setWrapText(true);
        status.getStyleClass().add("lab-status");
        setBottom(status);
    }

    private FlowPane controls() {
        ComboBox<String> disk = sizeBox("labDisk", vm.virtualSizeProperty(), "1G", "4G", "40G");
        ComboBox<String> total = sizeBox("labTotal", vm.totalBytesProperty(), "1M", "10M", "100M");
        TextField seed = new TextField(Long.toString(vm.seedProperty().get()));
        seed.setId("labSeed");
        seed.setPrefColumnCount(5);
        seed.textProperty().addListener((o, a, b) -> {
            try {
                vm.seedProperty().set(Long.parseLong(b.trim()));
            } catch (NumberFormatException e) {
                // keep the last valid seed while typing
            }
        });
        HBox clusters = new HBox(6);
        clusters.getStyleClass().add("lab-group");
        clusters.getChildren().add(new Label("Clusters"));
        for (int i = 0; i < LabViewModel.CLUSTER_SIZES.length; i++) {
            long c = LabViewModel.CLUSTER_SIZES[i];
            CheckBox b = new CheckBox(c >= 1 << 20 ? (c >> 20) + "M" : (c >> 10) + "K");
            b.setId("labCluster" + (c >> 10));
            b.selectedProperty().bindBidirectional(vm.clusterSizeChoices().get(i));
            clusters.getChildren().add(b);
        }
        HBox kinds = group("L2", check("standard", "labStandard", vm.standardL2Property()),
                check("extended", "labExtended", vm.extendedL2Property()));
        HBox backing = group("Backing", check("none", "labNoBacking", vm.withoutBackingProperty()),
                check("raw file", "labBacking", vm.withBackingProperty()));
        CheckBox qemu = check("QEMU (qemu-io)", "labQemu", vm.qemuProperty());
        if (!vm.qemuAvailableProperty().get()) {
            qemu.setTooltip(new javafx.scene.control.Tooltip("qemu-img and qemu-io are not on the PATH"));
        }
        Button run = new Button("Run", new FontIcon(Feather.PLAY));
        run.setId("labRun");
        run.setOnAction(e -> vm.run());
        run.disableProperty().bind(vm.runningProperty());
        run.setDefaultButton(true);
        Button cancel = new Button("Cancel", new FontIcon(Feather.X));
        cancel.setId("labCancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());
        Button csv = new Button("CSV...", new FontIcon(Feather.FILE_TEXT));
        csv.setId("labCsv");
        csv.setOnAction(e -> exportCsv());
        Button png = new Button("PNG...", new FontIcon(Feather.IMAGE));
        png.setId("labPng");
        png.setOnAction(e -> exportPng());
        disk.disableProperty().bind(vm.runningProperty());
        total.disableProperty().bind(vm.runningProperty());
        seed.disableProperty().bind(vm.runningProperty());
        clusters.disableProperty().bind(vm.runningProperty());
        kinds.disableProperty().bind(vm.runningProperty());
        backing.disableProperty().bind(vm.runningProperty());
        qemu.disableProperty().bind(vm.qemuAvailableProperty().not().or(vm.runningProperty()));
        FlowPane top = new FlowPane(12, 6, group("Disk", disk), group("Writes", total), group("Seed", seed), clusters,
                kinds, backing, qemu, new HBox(6, run, cancel, csv, png));
        top.getStyleClass().add("lab-controls");
        return top;
    }

    private static HBox group(String title, javafx.scene.Node... nodes) {
        HBox h = new HBox(6);
        h.getStyleClass().add("lab-group");
        h.getChildren().add(new Label(title));
        h.getChildren().addAll(nodes);
        h.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        return h;
    }

    private static CheckBox check(String text, String id, javafx.beans.property.BooleanProperty p) {
        CheckBox b = new CheckBox(text);
        b.setId(id);
        b.selectedProperty().bindBidirectional(p);
        return b;
    }

    private static ComboBox<String> sizeBox(String id, LongProperty p, String... choices) {
        ComboBox<String> box = new ComboBox<>();
        box.setId(id);
        box.getItems().addAll(choices);
        box.setEditable(true);
        box.setPrefWidth(82);
        box.setValue(shortSize(p.get()));
        box.valueProperty().addListener((o, a, b) -> {
            try {
                p.set(parse(b));
            } catch (RuntimeException e) {
                box.setValue(shortSize(p.get()));
            }
        });
        return box;
    }

    private static String shortSize(long v) {
        if (v % (1L << 30) == 0) {
            return (v >> 30) + "G";
        }
        return v % (1L << 20) == 0 ? (v >> 20) + "M" : Long.toString(v);
    }

    static long parse(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "").trim();
        long mul = switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            case 'T' -> 1L << 40;
            default -> 1;
        };
        return Long.parseLong(mul == 1 ? t : t.substring(0, t.length() - 1).trim()) * mul;
    }

    private void chart(String title, ToDoubleFunction<RandomWriteWorkload.Measurement> value) {
        CategoryAxis x = new CategoryAxis();
        x.setLabel("cluster size");
        NumberAxis y = new NumberAxis();
        BarChart<String, Number> c = new BarChart<>(x, y);
        c.setTitle(title);
        c.setAnimated(false);
        c.setLegendVisible(false);
        c.setBarGap(1);
        c.setCategoryGap(8);
        c.setUserData(value);
        c.getStyleClass().add("lab-chart");
        c.setMinSize(120, 100);
        chartByName.put(title, c);
    }

    @SuppressWarnings("unchecked")
    private void redrawCharts() {
        for (BarChart<String, Number> c : chartByName.values()) {
            ToDoubleFunction<RandomWriteWorkload.Measurement> value =
                    (ToDoubleFunction<RandomWriteWorkload.Measurement>) c.getUserData();
            Map<String, XYChart.Series<String, Number>> series = new LinkedHashMap<>();
            for (LabRow r : vm.rows()) {
                var m = r.oursProperty().get();
                XYChart.Series<String, Number> s = series.computeIfAbsent(r.seriesLabel(), k -> {
                    XYChart.Series<String, Number> n = new XYChart.Series<>();
                    n.setName(k);
                    return n;
                });
                s.getData().add(new XYChart.Data<>(r.clusterLabel(), m == null ? 0 : value.applyAsDouble(m)));
            }
            c.getData().setAll(series.values());
        }
        legend.getChildren().clear();
        int i = 0;
        for (String name : vm.rows().stream().map(LabRow::seriesLabel).distinct().toList()) {
            javafx.scene.layout.Region swatch = new javafx.scene.layout.Region();
            swatch.getStyleClass().addAll("chart-bar", "default-color" + (i++ % 8), "lab-legend-swatch");
            Label l = new Label(name, swatch);
            legend.getChildren().add(l);
        }
    }

    private TableView<LabRow> table() {
        TableView<LabRow> t = new TableView<>(vm.rows());
        t.setId("labTable");
        t.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        t.setPlaceholder(new Label("Choose the rows and the scale, then Run."));
        t.getColumns().add(fit(text("Backing", r -> r.config().backing() ? "raw" : "none"), "none"));
        t.getColumns().add(fit(text("Cluster", LabRow::clusterLabel), "128 KiB"));
        t.getColumns().add(fit(text("L2", r -> r.config().extendedL2() ? "extended" : "standard"), "standard"));
        TableColumn<LabRow, Number> progress = new TableColumn<>("Progress");
        progress.setCellValueFactory(d -> d.getValue().progressProperty());
        progress.setCellFactory(c -> new TableCell<>() {
            private final ProgressBar bar = new ProgressBar();

            @Override
            protected void updateItem(Number v, boolean empty) {
                super.updateItem(v, empty);
                if (empty || v == null) {
                    setGraphic(null);
                    setText(null);
                } else {
                    bar.setProgress(v.doubleValue());
                    bar.setMaxWidth(Double.MAX_VALUE);
                    setGraphic(bar);
                }
            }
        });
        progress.setPrefWidth(100);
        progress.setMinWidth(100);
        t.getColumns().add(progress);
        t.getColumns().add(fit(text("State", r -> r.stateProperty().get(), LabRow::stateProperty), "running QEMU"));
        String wide = "9999.9 MiB";
        t.getColumns().add(fit(figure("Image size", m -> Sizes.bytes(m.imageSize()), false), wide));
        t.getColumns().add(fit(figure("COW copied", m -> Sizes.bytes(m.cowBytes()), false), wide));
        t.getColumns().add(fit(figure("L2 for full cache", m -> Sizes.bytes(m.l2CoverageBytes()), false), wide));
        t.getColumns().add(fit(figure("Writes/s", m -> Long.toString(Math.round(m.writesPerSecond())), false),
                "999999"));
        t.getColumns().add(fit(figure("QEMU image size", m -> Sizes.bytes(m.imageSize()), true), wide));
        t.getColumns().add(fit(figure("QEMU writes/s", m -> Long.toString(Math.round(m.writesPerSecond())), true),
                "999999"));
        return t;
    }

    /** The column as wide as its header or its widest expected value, whichever is wider (never elided). */
    private static <T> TableColumn<LabRow, T> fit(TableColumn<LabRow, T> c, String widest) {
        double w = Math.max(textWidth(c.getText(), true), textWidth(widest, false)) + 28;
        c.setMinWidth(w);
        c.setPrefWidth(w);
        return c;
    }

    private static double textWidth(String s, boolean bold) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(s);
        t.setFont(javafx.scene.text.Font.font(javafx.scene.text.Font.getDefault().getFamily(),
                bold ? javafx.scene.text.FontWeight.BOLD : javafx.scene.text.FontWeight.NORMAL, 14));
        return t.getLayoutBounds().getWidth();
    }

    private static TableColumn<LabRow, String> text(String title, java.util.function.Function<LabRow, String> f) {
        TableColumn<LabRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new SimpleStringProperty(f.apply(d.getValue())));
        return c;
    }

    private static TableColumn<LabRow, String> text(String title, java.util.function.Function<LabRow, String> f,
            java.util.function.Function<LabRow, ObservableValue<String>> p) {
        TableColumn<LabRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> p.apply(d.getValue()));
        return c;
    }

    private static TableColumn<LabRow, String> figure(String title,
            java.util.function.Function<RandomWriteWorkload.Measurement, String> f, boolean qemu) {
        TableColumn<LabRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> {
            var p = qemu ? d.getValue().qemuProperty() : d.getValue().oursProperty();
            return javafx.beans.binding.Bindings.createStringBinding(() -> p.get() == null ? "" : f.apply(p.get()), p);
        });
        c.getStyleClass().add("number-column");
        return c;
    }

    private void initListeners() {
        vm.rows().addListener((ListChangeListener<LabRow>) ch -> {
            for (LabRow r : vm.rows()) {
                r.oursProperty().addListener((o, a, b) -> redrawCharts());
            }
            redrawCharts();
        });
    }

    private File choose(String title, String ext, String desc) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(desc, "*." + ext));
        fc.setInitialFileName("subcluster-lab." + ext);
        return fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
    }

    private void exportCsv() {
        File f = choose("Export the lab's table", "csv", "CSV");
        if (f != null) {
            try {
                vm.exportCsv(f.toPath());
            } catch (IOException e) {
                new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.ERROR, e.getMessage()).show();
            }
        }
    }

    private void exportPng() {
        File f = choose("Export the lab's charts", "png", "PNG pictures");
        if (f != null) {
            WritableImage shot = charts.snapshot(new SnapshotParameters(), null);
            int w = (int) shot.getWidth();
            int h = (int) shot.getHeight();
            int[] argb = new int[w * h];
            shot.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
            vm.exportPicture(f.toPath(), w, h, argb);
        }
    }

    GridPane charts() {
        return charts;
    }
}
