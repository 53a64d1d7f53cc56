package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.MainViewModel;
import io.qcowscope.engine.format.SubclusterType;
import io.qcowscope.engine.layout.GuestClusterState;
import java.io.File;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.geometry.Orientation;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The window's content: menu, toolbar, the views in tabs, the hex view beside them, status and progress below. */
public final class MainView extends BorderPane {
    private final MainViewModel vm;
    private final TabPane tabs = new TabPane();
    private final Menu recentMenu = new Menu("Open _recent");
    private ClusterMapView hostMapView;
    private ClusterMapView guestMapView;
    private Tab tablesTab;

    public MainView(MainViewModel vm) {
        this.vm = vm;
        getStyleClass().add("main-view");
        createView();
        initListeners();
    }

    private void createView() {
        var dark = vm.darkThemeProperty();
        hostMapView = new ClusterMapView(vm.hostMap(), () -> Palette.hostRoles(dark.get()),
                () -> Palette.hostRoles(dark.get()), dark);
        hostMapView.setId("hostMap");
        Legend hostLegend = new Legend(() -> Palette.hostRoles(dark.get()), vm.hostMap()::codeLabel,
                vm.hostMap().codeCount(), dark);
        BorderPane hostPane = new BorderPane(hostMapView);
        hostPane.setBottom(hostLegend);

        guestMapView = new ClusterMapView(vm.guestMap(), () -> vm.guestMap().colourByLayerProperty().get()
                ? Palette.layers(dark.get()) : Palette.guestStates(dark.get()), () -> Palette.subclusters(dark.get()),
                dark);
        guestMapView.setId("guestMap");
        Legend guestLegend = new Legend(() -> Palette.guestStates(dark.get()),
                i -> GuestClusterState.values()[i].label(), GuestClusterState.values().length, dark);
        Legend layerLegend = new Legend(() -> Palette.layers(dark.get()),
                i -> i == 0 ? "no layer (zeros)" : i == 1 ? "this image" : "backing layer " + (i - 1), 5, dark);
        Legend subLegend = new Legend(() -> Palette.subclusters(dark.get()), i -> i == SubclusterType.values().length
                ? "sub: from backing" : "sub: " + SubclusterType.values()[i].name().toLowerCase().replace('_', ' '),
                SubclusterType.values().length + 1, dark);
        CheckBox byLayer = new CheckBox("Colour by the layer of the chain that answers");
        byLayer.setId("byLayer");
        byLayer.selectedProperty().bindBidirectional(vm.guestMap().colourByLayerProperty());
        layerLegend.visibleProperty().bind(byLayer.selectedProperty());
        layerLegend.managedProperty().bind(byLayer.selectedProperty());
        guestLegend.visibleProperty().bind(byLayer.selectedProperty().not());
        guestLegend.managedProperty().bind(byLayer.selectedProperty().not());
        VBox guestBottom = new VBox(2, byLayer, guestLegend, layerLegend, subLegend);
        guestBottom.setStyle("-fx-padding: 4 8 4 8;");
        byLayer.selectedProperty().addListener((o, a, b) -> guestMapView.redraw());
        BorderPane guestPane = new BorderPane(guestMapView);
        guestPane.setBottom(guestBottom);

        TablesView tablesView = new TablesView(vm.tables(), () -> Palette.subclusters(dark.get()), dark);
        tablesTab = tab("L1 / L2", Feather.LIST, tablesView);
        tabs.getTabs().addAll(
                tab("Overview", Feather.INFO, new OverviewView(vm.overview())),
                tab("Host layout", Feather.GRID, hostPane),
                tab("Guest map", Feather.HARD_DRIVE, guestPane),
                tablesTab,
                tab("Refcounts", Feather.HASH, new RefcountsView(vm.refcounts())),
                tab("Snapshots", Feather.CAMERA, new SnapshotsView(vm.snapshots(),
                        () -> tabs.getSelectionModel().select(tablesTab))),
                tab("Findings", Feather.ALERT_TRIANGLE, new FindingsView(vm.findings())));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        // The index: it changes before the selected item, and the tab listener below repaints on it.
        hostMapView.setShownWhen(() -> tabs.getSelectionModel().getSelectedIndex() == 1);
        guestMapView.setShownWhen(() -> tabs.getSelectionModel().getSelectedIndex() == 2);
        tabs.setId("tabs");
        HexView hex = new HexView(vm.hex());
        SplitPane split = new SplitPane(tabs, hex);
        split.setDividerPositions(0.72);
        SplitPane.setResizableWithParent(hex, false);
        // The overview and snapshot table are wide and concern no single cluster: they get the whole width.
        tabs.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            hostMapView.shownAgain();
            guestMapView.shownAgain();
            boolean wide = b.intValue() == 0 || b.intValue() == 5;
            if (wide) {
                split.getItems().remove(hex);
            } else if (!split.getItems().contains(hex)) {
                split.getItems().add(hex);
                split.setDividerPositions(0.72);
            }
        });
        split.getItems().remove(hex);

        setTop(new VBox(menuBar(), toolBar()));
        setCenter(split);
        setBottom(statusBar());
    }

    private static Tab tab(String title, Feather icon, javafx.scene.Node content) {
        Tab t = new Tab(title, content);
        t.setGraphic(new FontIcon(icon));
        t.setId("tab-" + title.replaceAll("[^A-Za-z0-9]", "").toLowerCase());
        return t;
    }

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("_Open...", new FontIcon(Feather.FOLDER));
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> chooseFile());
        MenuItem demo = new MenuItem("Open _demo image", new FontIcon(Feather.STAR));
        demo.setAccelerator(KeyCombination.keyCombination("Shortcut+D"));
        demo.setOnAction(e -> vm.openDemo());
        MenuItem quit = new MenuItem("_Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> Platform.exit());
        MenuItem export = new MenuItem("_Export view as PNG...", new FontIcon(Feather.IMAGE));
        export.setId("exportPng");
        export.setAccelerator(KeyCombination.keyCombination("Shortcut+E"));
        export.setOnAction(e -> viewExport().choose(getScene() == null ? null : getScene().getWindow(),
                tabs.getSelectionModel().getSelectedItem(), vm.sessionProperty().get() == null ? null
                        : vm.sessionProperty().get().path()));
        Menu file = new Menu("_File", null, open, demo, recentMenu, export, new javafx.scene.control.SeparatorMenuItem(),
                quit);
        MenuItem theme = new MenuItem("Toggle _dark theme", new FontIcon(Feather.MOON));
        theme.setAccelerator(KeyCombination.keyCombination("Shortcut+T"));
        theme.setOnAction(e -> vm.toggleTheme());
        Menu view = new Menu("_View", null, theme);
        for (int i = 0; i < tabs.getTabs().size(); i++) {
            int k = i;
            MenuItem go = new MenuItem(tabs.getTabs().get(i).getText());
            go.setAccelerator(KeyCombination.keyCombination("Shortcut+" + (i + 1)));
            go.setOnAction(e -> tabs.getSelectionModel().select(k));
            view.getItems().add(go);
        }
        return new MenuBar(file, view);
    }

    private ToolBar toolBar() {
        Button open = toolButton(Feather.FOLDER, "Open an image (Ctrl+O)", this::chooseFile);
        Button demo = toolButton(Feather.STAR, "Open the demo image (Ctrl+D)", vm::openDemo);
        ToggleButton theme = new ToggleButton(null, new FontIcon(Feather.MOON));
        theme.setTooltip(new Tooltip("Dark theme (Ctrl+T)"));
        theme.selectedProperty().bindBidirectional(vm.darkThemeProperty());
        Label path = new Label();
        path.textProperty().bind(vm.titleProperty());
        path.getStyleClass().add("text-bold");
        return new ToolBar(open, demo, new Separator(Orientation.VERTICAL), theme, new Separator(Orientation.VERTICAL),
                path);
    }

    private static Button toolButton(Feather icon, String tip, Runnable r) {
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> r.run());
        return b;
    }

    private HBox statusBar() {
        Label selection = new Label();
        selection.setId("selectionSummary");
        selection.textProperty().bind(vm.selection().summaryProperty());
        selection.setMinWidth(0);
        Label status = new Label();
        status.setId("status");
        status.textProperty().bind(vm.statusProperty());
        Label error = new Label();
        error.textProperty().bind(vm.errorProperty());
        error.getStyleClass().add("danger");
        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.busyProperty());
        bar.setPrefWidth(160);
        Button cancel = new Button("Cancel", new FontIcon(Feather.X_CIRCLE));
        cancel.setId("cancel");
        cancel.visibleProperty().bind(vm.busyProperty());
        cancel.setOnAction(e -> vm.cancel());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox.setHgrow(selection, Priority.SOMETIMES);
        HBox box = new HBox(10, selection, spacer, error, status, bar, cancel);
        box.setStyle("-fx-padding: 4 8 4 8; -fx-alignment: center-left; -fx-border-color: -color-border-default; "
                + "-fx-border-width: 1 0 0 0;");
        return box;
    }

    private void initListeners() {
        vm.recentFiles().addListener((javafx.collections.ListChangeListener<Path>) c -> rebuildRecent());
        rebuildRecent();
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            boolean ok = e.getDragboard().hasFiles() && !e.getDragboard().getFiles().isEmpty();
            if (ok) {
                vm.open(e.getDragboard().getFiles().get(0).toPath());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
        setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE && vm.busyProperty().get()) {
                vm.cancel();
                e.consume();
            }
        });
        vm.setTrustPrompt((image, name, resolved, why) -> {
            Alert a = new Alert(Alert.AlertType.CONFIRMATION);
            a.setTitle("Follow the file named by the image?");
            a.setHeaderText("The image names a file outside its folder");
            a.setContentText(image.getFileName() + " names a backing or data file\n  " + name + "\nwhich resolves to\n  "
                    + resolved + "\n\nOpen that file (read-only)?");
            ButtonType allow = new ButtonType("Allow", ButtonBar.ButtonData.OK_DONE);
            ButtonType deny = new ButtonType("Don't follow", ButtonBar.ButtonData.CANCEL_CLOSE);
            a.getButtonTypes().setAll(allow, deny);
            if (getScene() != null) {
                a.initOwner(getScene().getWindow());
            }
            return a.showAndWait().orElse(deny) == allow;
        });
    }

    private void rebuildRecent() {
        recentMenu.getItems().clear();
        for (Path p : vm.recentFiles()) {
            MenuItem m = new MenuItem(p.toString());
            m.setMnemonicParsing(false);
            m.setOnAction(e -> vm.open(p));
            recentMenu.getItems().add(m);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    private void chooseFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a qcow2 image");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("qcow2 images", "*.qcow2", "*.img", "*.qcow"),
                new FileChooser.ExtensionFilter("All files", "*"));
        Window w = getScene() == null ? null : getScene().getWindow();
        File f = fc.showOpenDialog(w);
        if (f != null) {
            vm.open(f.toPath());
        }
    }

    /** File > Export view as PNG, without the dialog: the selected tab's picture to {@code target}. */
    public void exportSelectedView(Path target) {
        viewExport().export(tabs.getSelectionModel().getSelectedItem(), target);
    }

    private ViewExport viewExport() {
        return new ViewExport(vm.pictureExport(), java.util.List.of(hostMapView, guestMapView));
    }

    public TabPane tabs() {
        return tabs;
    }

    public ClusterMapView hostMapView() {
        return hostMapView;
    }

    public ClusterMapView guestMapView() {
        return guestMapView;
    }
}
