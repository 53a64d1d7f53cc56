package io.qcowscope.app.ui.view.lab;

import io.qcowscope.app.ui.viewmodel.lab.CompareTarget;
import io.qcowscope.app.ui.viewmodel.lab.ComparisonFigure;
import io.qcowscope.app.ui.viewmodel.lab.PlanStep;
import io.qcowscope.app.ui.viewmodel.lab.WriteDryRunViewModel;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * "What would a write do?": offset, length and the geometry to compare with; the planned steps in QEMU's order (one or
 * two sentences each, with this image's values); beside them the same write in the other geometry as a bar chart of
 * bytes and a table of figures, and that geometry's own steps in a second tab.
 */
public final class WriteDryRunView extends BorderPane {
    private final WriteDryRunViewModel vm;
    private final BarChart<String, Number> chart = new BarChart<>(new CategoryAxis(), new NumberAxis());

    public WriteDryRunView(WriteDryRunViewModel vm) {
        this.vm = vm;
        getStyleClass().addAll("dry-run-view", "view-pane");
        setId("dryRunView");
        createView();
        initListeners();
    }

    private void createView() {
        TextField offset = new TextField();
        offset.setId("dryOffset");
        offset.setPrefColumnCount(10);
        offset.textProperty().bindBidirectional(vm.offsetProperty());
        TextField length = new TextField();
        length.setId("dryLength");
        length.setPrefColumnCount(6);
        length.textProperty().bindBidirectional(vm.lengthProperty());
        ComboBox<CompareTarget> compare = new ComboBox<>(vm.targets());
        compare.setId("dryCompare");
        compare.valueProperty().bindBidirectional(vm.compareWithProperty());
        Button plan = new Button("Plan the write", new FontIcon(Feather.PLAY));
        plan.setId("dryPlan");
        plan.setDefaultButton(true);
        plan.setOnAction(e -> vm.plan());
        plan.disableProperty().bind(vm.busyProperty().or(vm.sessionProperty().isNull()));
        offset.setOnAction(e -> vm.plan());
        length.setOnAction(e -> vm.plan());
        FlowPane top = new FlowPane(12, 6, field("Guest offset", offset), field("Length", length),
                field("Compare with", compare), plan);
        top.getStyleClass().add("lab-controls");
        setTop(top);

        ListView<PlanStep> steps = stepList("drySteps", vm.steps());
        ListView<PlanStep> other = stepList("dryOtherSteps", vm.otherSteps());
        Tab mine = new Tab(null, steps);
        mine.textProperty().bind(vm.thisLabelProperty());
        Tab theirs = new Tab(null, other);
        theirs.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> vm.compareWithProperty()
                .get() == null ? "other" : vm.compareWithProperty().get().label(), vm.compareWithProperty()));
        TabPane stepTabs = new TabPane(mine, theirs);
        stepTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        stepTabs.setId("dryStepTabs");

        chart.setId("dryChart");
        chart.setTitle("The same write, side by side");
        chart.setAnimated(false);
        chart.getStyleClass().add("lab-chart");
        chart.getYAxis().setLabel("KiB");
        chart.setMinHeight(160);
        VBox.setVgrow(chart, Priority.ALWAYS);
        TableView<ComparisonFigure> figures = new TableView<>(vm.figures());
        figures.setId("dryFigures");
        figures.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        figures.setPlaceholder(new Label("Plan a write to compare."));
        TableColumn<ComparisonFigure, String> name = new TableColumn<>("Figure");
        name.setCellValueFactory(d -> new SimpleStringProperty(d.getValue().name()));
        name.setMinWidth(140);
        TableColumn<ComparisonFigure, String> a = new TableColumn<>("This image");
        a.setCellValueFactory(d -> new SimpleStringProperty(d.getValue().thisText()));
        TableColumn<ComparisonFigure, String> b = new TableColumn<>("Other geometry");
        b.setCellValueFactory(d -> new SimpleStringProperty(d.getValue().otherText()));
        a.getStyleClass().add("number-column");
        b.getStyleClass().add("number-column");
        // Headers never elide: each column is at least as wide as its bold header (plus the sort arrow's room).
        a.setMinWidth(120);
        b.setMinWidth(150);
        figures.getColumns().addAll(java.util.List.of(name, a, b));
        figures.setFixedCellSize(26);
        figures.prefHeightProperty().bind(figures.fixedCellSizeProperty().multiply(6.4));
        figures.setMinHeight(120);
        VBox side = new VBox(6, chart, figures);
        side.getStyleClass().add("dry-side");
        SplitPane split = new SplitPane(stepTabs, side);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.55);
        setCenter(split);
        widthProperty().addListener((o, w0, w) -> split.setOrientation(w.doubleValue() < 900 ? Orientation.VERTICAL
                : Orientation.HORIZONTAL));

        Label status = new Label();
        status.setId("dryStatus");
        status.setWrapText(true);
        status.textProperty().bind(vm.statusProperty());
        status.getStyleClass().add("lab-status");
        setBottom(status);
    }

    private static HBox field(String label, javafx.scene.Node n) {
        HBox h = new HBox(6, new Label(label), n);
        h.setAlignment(Pos.CENTER_LEFT);
        return h;
    }

    private static ListView<PlanStep> stepList(String id, javafx.collections.ObservableList<PlanStep> items) {
        ListView<PlanStep> l = new ListView<>(items);
        l.setId(id);
        l.setPlaceholder(new Label("No plan yet."));
        l.setCellFactory(v -> new StepCell(v));
        return l;
    }

    /** A step: its number and icon, the title in bold, the sentences wrapped to the list's width. */
    private static final class StepCell extends ListCell<PlanStep> {
        private final Text title = new Text();
        private final Text text = new Text();
        private final FontIcon icon = new FontIcon();
        private final VBox box = new VBox(2, title, text);
        private final HBox row = new HBox(8, icon, box);

        StepCell(ListView<PlanStep> list) {
            title.getStyleClass().add("plan-step-title");
            text.getStyleClass().add("plan-step-text");
            // Text wraps at a width and reports the height of its lines, so the cell grows with them.
            title.wrappingWidthProperty().bind(list.widthProperty().subtract(64));
            text.wrappingWidthProperty().bind(list.widthProperty().subtract(64));
            icon.getStyleClass().add("plan-step-icon");
            getStyleClass().add("plan-step");
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(PlanStep s, boolean empty) {
            super.updateItem(s, empty);
            if (empty || s == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            title.setText((getIndex() + 1) + ". " + s.title());
            text.setText(s.text());
            icon.setIconCode(icon(s.kind()));
            getStyleClass().removeIf(c -> c.startsWith("step-"));
            getStyleClass().add("step-" + s.kind().name().toLowerCase().replace('_', '-'));
            setGraphic(row);
        }

        private static Ikon icon(PlanStep.Kind k) {
            return switch (k) {
                case RANGE -> Feather.CROSSHAIR;
                case DECISION -> Feather.GIT_BRANCH;
                case COPY_ON_WRITE -> Feather.COPY;
                case ALLOCATION -> Feather.PLUS_SQUARE;
                case DATA -> Feather.DOWNLOAD;
                case REFCOUNT -> Feather.HASH;
                case L2, L1 -> Feather.LIST;
                case HEADER -> Feather.FILE;
                case SYNC -> Feather.SAVE;
                case FREE -> Feather.MINUS_SQUARE;
            };
        }
    }

    private void initListeners() {
        vm.figures().addListener((ListChangeListener<ComparisonFigure>) c -> redrawChart());
    }

    private void redrawChart() {
        XYChart.Series<String, Number> mine = new XYChart.Series<>();
        mine.setName("this image");
        XYChart.Series<String, Number> other = new XYChart.Series<>();
        other.setName(vm.compareWithProperty().get() == null ? "other" : vm.compareWithProperty().get().label());
        for (ComparisonFigure f : vm.figures()) {
            if (!f.bytes()) {
                continue;
            }
            String cat = f.name();
            mine.getData().add(new XYChart.Data<>(cat, f.thisImage() / 1024.0));
            other.getData().add(new XYChart.Data<>(cat, f.other() / 1024.0));
        }
        chart.getData().setAll(java.util.List.of(mine, other));
    }
}
