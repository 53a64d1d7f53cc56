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
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.beans.property.BooleanProperty;
import javafx.scene.control.TreeItem;
import javafx.scene.layout.BorderPane;
import io.qcowscope.app.ui.viewmodel.SelectionPath;
import io.qcowscope.app.ui.view.repair.RepairView;
import org.controlsfx.control.BreadCrumbBar;
import org.controlsfx.control.NotificationPane;
import org.controlsfx.control.StatusBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The window's content: menu, toolbar, the views in tabs, the hex view beside them, status and progress below. */
public final class MainView extends BorderPane {
    private final MainViewModel vm;
    private final TabPane tabs = new TabPane();
    /**
     * Finished background work is announced in the window, in a bar over the foot of the views. ControlsFX's
     * Notifications popup was a separate transparent window: without a compositor (plain X11, Xvfb, VNC) it showed half
     * drawn, and its dark style logged a CSS error. NotificationPane is drawn in the scene like any other node.
     */
    private final NotificationPane notices = new NotificationPane();
    private final javafx.animation.PauseTransition noticeShown =
            new javafx.animation.PauseTransition(javafx.util.Duration.seconds(5));
    private final javafx.animation.PauseTransition refusalShown =
            new javafx.animation.PauseTransition(javafx.util.Duration.seconds(10));
    private final Menu recentMenu = new Menu("Open _recent");
    private ClusterMapView hostMapView;
    private ClusterMapView guestMapView;
    private Tab tablesTab;
    private io.qcowscope.app.ui.view.edit.EditActions edit;
    private final HexView hex;
    /** The split pane of each tab that shows the hex view, beside (or below) its content. */
    private final java.util.Map<Tab, SplitPane> hexHolders = new java.util.HashMap<>();
    /** The teaching side panel (issue 10) beside the views, shown by F1. */
    private io.qcowscope.app.ui.view.teach.TeachPanel teach;
    private final SplitPane body = new SplitPane();
    /** The tabs' content is in the scene graph from the first time each tab is shown. */
    private final LazyTabContent lazy = new LazyTabContent();
    private final BooleanProperty teachShown = new javafx.beans.property.SimpleBooleanProperty(this, "teachShown");
    /** Narrower windows show the hex view below the cluster views instead of beside them. */
    static final double HEX_BESIDE_FROM = 1300;
    /**
     * The L1 / L2 tab keeps the hex view beside the entry decoder while its content is at least this wide; narrower (the
     * pending-operations panel over a 1024 px window) the decoder would have too little width for its bits.
     */
    static final double TABLES_HEX_BESIDE_FROM = 900;

    public MainView(MainViewModel vm) {
        this.vm = vm;
        this.hex = new HexView(vm.hex());
        getStyleClass().add("main-view");
        createView();
        initListeners();
    }

    private void createView() {
        var dark = vm.darkThemeProperty();
        BooleanProperty byLayer = vm.guestMap().colourByLayerProperty();
        hostMapView = new ClusterMapView(vm.hostMap(), () -> Palette.hostRoles(dark.get()),
                () -> Palette.hostRoles(dark.get()), dark);
        hostMapView.setId("hostMap");
        Legend hostLegend = new Legend(() -> Palette.hostRoles(dark.get()), vm.hostMap()::codeLabel,
                vm.hostMap()::codeCount, vm.hostMap()::clustersOf, dark);
        hostLegend.setId("hostLegend");
        vm.hostMap().revision().addListener((o, a, b) -> hostLegend.build());
        BorderPane hostPane = new BorderPane(hostMapView);
        Label previewCaption = new Label();
        previewCaption.setId("previewCaption");
        previewCaption.getStyleClass().add("preview-caption");
        previewCaption.textProperty().bind(vm.repair().previewCaptionProperty());
        previewCaption.setWrapText(true);
        previewCaption.setMinHeight(Label.USE_PREF_SIZE);
        showWhen(previewCaption, vm.repair().previewCaptionProperty().isNotEmpty());
        hostPane.setBottom(ShrinkingScroll.of(new VBox(previewCaption, hostLegend), hostPane));

        guestMapView = new ClusterMapView(vm.guestMap(), () -> byLayer.get() ? Palette.layers(dark.get())
                : Palette.guestStates(dark.get()), () -> byLayer.get() ? Palette.layers(dark.get())
                : Palette.subclusters(dark.get()), dark);
        guestMapView.setId("guestMap");
        Legend guestLegend = new Legend(() -> Palette.guestStates(dark.get()),
                i -> GuestClusterState.values()[i].label(), () -> GuestClusterState.values().length,
                vm.guestMap()::clustersIn, dark);
        guestLegend.setId("guestLegend");
        // The revision changes with every L2 table read for the subcluster cells: rebuilt only when the counts change.
        long[][] shownCounts = {null};
        vm.guestMap().revision().addListener((o, a, b) -> {
            long[] now = java.util.stream.IntStream.range(0, GuestClusterState.values().length)
                    .mapToLong(vm.guestMap()::clustersIn).toArray();
            if (!java.util.Arrays.equals(now, shownCounts[0])) {
                shownCounts[0] = now;
                guestLegend.build();
            }
        });
        Legend layerLegend = new Legend(() -> Palette.layers(dark.get()), MainView::layerLabel,
                () -> vm.chainLayersProperty().get() + 1, dark);
        layerLegend.setId("layerLegend");
        vm.chainLayersProperty().addListener((o, a, b) -> layerLegend.build());
        Legend subLegend = new Legend(() -> Palette.subclusters(dark.get()), i -> i == SubclusterType.values().length
                ? "sub: from backing" : "sub: " + SubclusterType.values()[i].name().toLowerCase().replace('_', ' '),
                () -> SubclusterType.values().length + 1, dark);
        subLegend.setId("subLegend");
        CheckBox byLayerBox = new CheckBox("Colour by the layer of the chain that answers");
        byLayerBox.setId("byLayer");
        byLayerBox.selectedProperty().bindBidirectional(byLayer);
        byLayerBox.disableProperty().bind(vm.chainLayersProperty().lessThan(2));
        showWhen(layerLegend, byLayer);
        showWhen(guestLegend, byLayer.not());
        showWhen(subLegend, byLayer.not().and(vm.extendedL2Property()));
        VBox guestBottom = new VBox(2, byLayerBox, guestLegend, layerLegend, subLegend);
        guestBottom.getStyleClass().add("map-legends");
        byLayer.addListener((o, a, b) -> guestMapView.redraw());
        BorderPane guestPane = new BorderPane(guestMapView);
        guestPane.setBottom(ShrinkingScroll.of(guestBottom, guestPane));
        edit = new io.qcowscope.app.ui.view.edit.EditActions(vm, this);
        var guestEdits = new io.qcowscope.app.ui.view.edit.GuestEditBar(vm.edit(), guestMapView);
        guestEdits.visibleProperty().bind(vm.edit().mode().writesAllowedProperty());
        guestEdits.managedProperty().bind(guestEdits.visibleProperty());
        guestPane.setTop(guestEdits);

        TablesView tablesView = new TablesView(vm.tables(), () -> Palette.subclusters(dark.get()), dark,
                vm.extendedL2Property());
        tablesTab = tab("L1 / L2", Feather.LIST, tablesView, false);
        hexHolders.put(tablesTab, tablesView.hexHolder());
        tabs.getTabs().addAll(
                tab("Overview", Feather.INFO, new OverviewView(vm.overview()), false),
                tab("Host layout", Feather.GRID, hostPane, true),
                tab("Guest map", Feather.HARD_DRIVE, guestPane, true),
                tablesTab,
                tab("Refcounts", Feather.HASH, new RefcountsView(vm.refcounts()), true),
                tab("Snapshots", Feather.CAMERA, snapshotsView(), false),
                tab("Findings & Repair", Feather.ALERT_TRIANGLE, findingsAndRepair(), false));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (Tab t : tabs.getTabs().subList(1, tabs.getTabs().size())) {
            lazy.hold(t, t.getContent());
        }
        lazy.attachOnSelection(tabs);
        // The index: it changes before the selected item, and the tab listener below repaints on it.
        hostMapView.setShownWhen(() -> tabs.getSelectionModel().getSelectedIndex() == 1);
        guestMapView.setShownWhen(() -> tabs.getSelectionModel().getSelectedIndex() == 2);
        tabs.setId("tabs");
        // The tabs span the window; the hex view joins the tabs whose content concerns one cluster, beside it.
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            placeHex(b);
            hostMapView.shownAgain();
            guestMapView.shownAgain();
            // Map keys (+, -, arrows) go to the map just shown, not to a text field of the previous tab.
            int i = tabs.getSelectionModel().getSelectedIndex();
            if (i == 1 || i == 2) {
                ClusterMapView map = i == 1 ? hostMapView : guestMapView;
                Platform.runLater(map::focusMap);
            }
        });

        // (placeHex moves the hex view only when its place changes)
        widthProperty().addListener((o, a, b) -> placeHex(tabs.getSelectionModel().getSelectedItem()));
        createTeachPanel();
        setTop(new VBox(menuBar(), toolBar()));
        // the pending operations beside the views while editing; the views wait while an Apply runs
        tabs.disableProperty().bind(vm.edit().runner().runningProperty());
        // The queue panel lies over the right of the tab content, below the tab strip: the strip keeps the full width;
        // tabs and queue take the tabs' place in the teaching split.
        int tabsAt = body.getItems().indexOf(tabs);
        body.getItems().remove(tabs);
        javafx.scene.layout.StackPane centre = new javafx.scene.layout.StackPane(tabs, edit.queuePanel());
        javafx.scene.layout.StackPane.setAlignment(edit.queuePanel(), javafx.geometry.Pos.TOP_RIGHT);
        Runnable placeQueue = () -> {
            tabs.getStyleClass().removeAll("with-queue-panel", "with-queue-panel-narrow");
            if (edit.queuePanel().isVisible()) {
                tabs.getStyleClass().add(getWidth() < HEX_BESIDE_FROM ? "with-queue-panel-narrow" : "with-queue-panel");
            }
            edit.queuePanel().setNarrow(getWidth() < HEX_BESIDE_FROM);
            javafx.scene.Node strip = tabStrip();
            double top = strip == null ? 36 : strip.getLayoutBounds().getHeight();
            javafx.scene.layout.StackPane.setMargin(edit.queuePanel(), new javafx.geometry.Insets(top, 0, 0, 0));
        };
        edit.queuePanel().visibleProperty().addListener((o, a, b) -> {
            placeQueue.run();
            placeHex(tabs.getSelectionModel().getSelectedItem());
        });
        widthProperty().addListener((o, a, b) -> placeQueue.run());
        tabs.skinProperty().addListener((o, a, b) -> Platform.runLater(placeQueue));
        body.getItems().add(tabsAt, centre);
        notices.setContent(body);
        notices.setShowFromTop(false);
        notices.setId("notices");
        noticeShown.setOnFinished(e -> notices.hide());
        keepViewsAboveNotice();
        refusalShown.setOnFinished(e -> notices.hide());
        setCenter(notices);
        setBottom(new VBox(selectionBar(), statusBar()));
    }

    /**
     * The notice bar slides in over the bottom of the views: while it shows, the views end above it (it covered the guest
     * map's subcluster legend at 1600x1000 for the seconds after a scan). The room is the bar's full height, made once
     * as it begins to show: following its height as it slides laid the whole window out and drew it again on each
     * frame of the slide (100-180 ms a frame on the software renderer, as each scan ended). The room is given back once
     * the bar has slid out, not as it begins to: it would slide out over the views' foot.
     */
    private void keepViewsAboveNotice() {
        java.util.function.DoubleConsumer room = h -> {
            if (body.getPadding().getBottom() != h) {
                body.setPadding(new javafx.geometry.Insets(0, 0, h, 0));
            }
        };
        Runnable showing = () -> {
            if (notices.isShowing()) {
                room.accept(noticeHeight());
            }
        };
        notices.showingProperty().addListener((o, a, b) -> showing.run());
        notices.textProperty().addListener((o, a, b) -> showing.run());
        notices.widthProperty().addListener((o, a, b) -> showing.run());
        notices.addEventHandler(NotificationPane.ON_HIDDEN, e -> room.accept(0));
    }

    /** The notice bar's height once it has slid in: its content's, at least its minimum (ControlsFX's NotificationBar). */
    private double noticeHeight() {
        if (!(noticeBar() instanceof javafx.scene.layout.Region bar)) {
            return 0;
        }
        double w = notices.getWidth();
        double content = bar.getChildrenUnmodifiable().stream().filter(n -> n.getStyleClass().contains("pane"))
                .mapToDouble(n -> n.prefHeight(w)).max().orElse(0);
        return Math.ceil(Math.max(content, bar.minHeight(w)));
    }

    /**
     * The notice bar of the notification pane's skin, found once: a lookup walks the whole window's scene graph (the
     * views are the pane's content), and it ran on every frame of the bar's slide.
     */
    private javafx.scene.Node noticeBar() {
        if (noticeBar == null || noticeBar.getScene() == null) {
            noticeBar = notices.getChildrenUnmodifiable().stream().filter(n -> n.getStyleClass()
                    .contains("notification-bar")).findFirst().orElseGet(() -> notices.lookup(".notification-bar"));
        }
        return noticeBar;
    }

    /** The tab strip of the tab pane's skin, found once (a lookup walks every tab's content). */
    private javafx.scene.Node tabStrip() {
        if (tabStrip == null || tabStrip.getScene() == null) {
            tabStrip = tabs.getChildrenUnmodifiable().stream().filter(n -> n.getStyleClass()
                    .contains("tab-header-area")).findFirst().orElse(null);
        }
        return tabStrip;
    }

    private javafx.scene.Node noticeBar;
    private javafx.scene.Node tabStrip;

    /** The Explain / read-stepper panel in a resizable split beside the tabs; the guest map's context menu opens it. */
    private void createTeachPanel() {
        teach = new io.qcowscope.app.ui.view.teach.TeachPanel(vm.explain(), vm.readStepper(), vm.darkThemeProperty());
        SplitPane.setResizableWithParent(teach, false);
        body.setId("teachSplit");
        body.getItems().add(tabs);
        teachShown.addListener((o, a, b) -> placeTeach());
        widthProperty().addListener((o, a, b) -> {
            if ((a.doubleValue() < HEX_BESIDE_FROM) != (b.doubleValue() < HEX_BESIDE_FROM)) {
                placeTeach();
            }
        });
        // One context menu for the guest map: the teaching items, then the lab's (the write dry run).
        guestMapView.setContextItems(item -> {
            long offset = vm.readStepper().offsetOfCluster(item);
            MenuItem explainOffset = new MenuItem("Explain this offset (" + io.qcowscope.app.ui.viewmodel.Sizes.hex(offset)
                    + ")", new FontIcon(Feather.CORNER_DOWN_RIGHT));
            explainOffset.setId("explainThisOffset");
            explainOffset.setOnAction(e -> explainOffset(offset));
            MenuItem explainCluster = new MenuItem("Explain this cluster", new FontIcon(Feather.BOOK_OPEN));
            explainCluster.setOnAction(e -> {
                vm.guestMap().select(item);
                teachShown.set(true);
                teach.showExplain();
            });
            java.util.List<MenuItem> items = new java.util.ArrayList<>(java.util.List.of(explainOffset, explainCluster));
            items.addAll(labWindows().guestMapItems(item * (vm.sessionProperty().get() == null ? 0
                    : vm.sessionProperty().get().image().geometry().clusterSize())));
            return items;
        });
        // Each step of a walk shows its structure in the view it highlights.
        vm.readStepper().currentProperty().addListener((o, a, s) -> {
            if (s == null || !teachShown.get()) {
                return;
            }
            switch (s.highlight().view()) {
                case GUEST_MAP -> tabs.getSelectionModel().select(2);
                case TABLES -> tabs.getSelectionModel().select(tablesTab);
                case HOST_MAP -> tabs.getSelectionModel().select(1);
                default -> {
                }
            }
        });
    }

    /**
     * Shows or hides the teaching panel: beside the views in a wide window, below them in a narrow one (where all seven tab
     * headers need the whole width), in a split the user can drag.
     */
    private void placeTeach() {
        if (!teachShown.get()) {
            body.getItems().remove(teach);
            placeHex(tabs.getSelectionModel().getSelectedItem());
            return;
        }
        boolean narrow = getWidth() > 0 && getWidth() < HEX_BESIDE_FROM;
        Orientation o = narrow ? Orientation.VERTICAL : Orientation.HORIZONTAL;
        if (body.getItems().contains(teach) && body.getOrientation() == o) {
            return;
        }
        body.getItems().remove(teach);
        body.setOrientation(o);
        teach.setWide(narrow);
        body.getItems().add(teach);
        double w = getWidth() <= 0 ? 1600 : getWidth();
        // beside: at most 40% of the width, so that the seven tab headers stay on the strip (at 1600 px: 640 px)
        body.setDividerPositions(narrow ? 0.6 : Math.max(0.45, 1 - Math.min(740, w * 0.40) / w));
        placeHex(tabs.getSelectionModel().getSelectedItem());
    }

    /** Shows the teaching panel on its Explain page. */
    public void showExplainPanel() {
        teachShown.set(true);
        teach.showExplain();
    }

    /** Opens the read stepper on guest offset {@code offset}. */
    public void explainOffset(long offset) {
        teachShown.set(true);
        teach.showStepper();
        teach.stepper().showOffset(io.qcowscope.app.ui.viewmodel.Sizes.hex(offset));
        vm.readStepper().explain(offset);
    }

    /** Whether the teaching side panel is shown (F1, View > Explain panel). */
    public BooleanProperty teachShownProperty() {
        return teachShown;
    }

    public io.qcowscope.app.ui.view.teach.TeachPanel teachPanel() {
        return teach;
    }

    private SnapshotsView snapshotsView() {
        SnapshotsView v = new SnapshotsView(vm.snapshots(), () -> tabs.getSelectionModel().select(tablesTab));
        v.addActions(io.qcowscope.app.ui.view.edit.SnapshotEditActions.buttons(vm.edit(), v.selectedSnapshot()));
        return v;
    }

    /** The findings above the repair workspace; the fix looked at is hatched in the host map (a preview). */
    private javafx.scene.Node findingsAndRepair() {
        RepairView repair = new RepairView(vm.repair(), this::showPlace);
        vm.repair().preview().currentProperty().addListener((o, a, b) ->
                hostMapView.setMarked(b.hostClusters(), Palette.preview(vm.darkThemeProperty().get())));
        vm.darkThemeProperty().addListener((o, a, b) -> hostMapView.setMarked(
                vm.repair().preview().current().hostClusters(), Palette.preview(b)));
        SplitPane sp = new SplitPane(new FindingsView(vm.findings()), repair);
        sp.setOrientation(Orientation.VERTICAL);
        sp.setDividerPositions(0.3);
        return sp;
    }

    /** Shows the tab where a crumb's structure is best seen. */
    private void showPlace(io.qcowscope.app.ui.viewmodel.SelectionPath.Place p) {
        tabs.getSelectionModel().select(switch (p) {
            case TABLES -> 3;
            case HOST_MAP -> 1;
            case GUEST_MAP -> 2;
            case REFCOUNTS -> 4;
        });
    }

    private static void showWhen(javafx.scene.Node n, javafx.beans.value.ObservableBooleanValue b) {
        n.visibleProperty().bind(b);
        n.managedProperty().bind(b);
    }

    private static String layerLabel(int code) {
        return code == 0 ? "no layer: reads zeros" : code == 1 ? "this image" : "backing layer " + (code - 1);
    }

    /** Moves the hex view into the selected tab's split pane, when that tab has one. */
    private void placeHex(Tab t) {
        SplitPane sp = t == null ? null : hexHolders.get(t);
        if (sp == null) {
            return;
        }
        // The tables tab keeps the hex view beside the decoder unless its content is very narrow; elsewhere a narrow window
        // shows it below. With the teaching panel below the views, the hex view goes beside them: three bands would crush
        // the maps.
        boolean teachBelow = teach != null && body.getItems().contains(teach) && body.getOrientation() == Orientation.VERTICAL;
        boolean narrow = getWidth() > 0 && !teachBelow && (t == tablesTab ? contentWidth() < TABLES_HEX_BESIDE_FROM
                : viewsWidth() < HEX_BESIDE_FROM);
        Orientation o = narrow ? Orientation.VERTICAL : Orientation.HORIZONTAL;
        if (!sp.getItems().contains(hex) || sp.getOrientation() != o) {
            for (SplitPane s : hexHolders.values()) {
                s.getItems().remove(hex);
            }
            sp.setOrientation(o);
            sp.getItems().add(hex);
            // under the entry decoder (a short pane already), the hex view gets half, not a line or two
            sp.setDividerPositions(o == Orientation.HORIZONTAL ? hexDivider() : t == tablesTab ? 0.5 : 0.62);
        }
    }

    /** The width the tabs get: the window's, less the teaching panel when it is beside them. */
    private double viewsWidth() {
        if (teach != null && body.getItems().contains(teach) && body.getOrientation() == Orientation.HORIZONTAL) {
            return getWidth() * body.getDividerPositions()[0];
        }
        return getWidth();
    }

    /** The width of a tab's content: the views' width less the pending-operations panel lying over it. */
    private double contentWidth() {
        var queue = edit.queuePanel();
        return viewsWidth() - (queue.isVisible() ? Math.max(300, queue.getWidth()) : 0);
    }

    /** Where the divider goes so that the hex view gets the width its 16 columns and ASCII need. */
    private double hexDivider() {
        double w = viewsWidth();
        return w <= 0 ? 0.66 : Math.max(0.3, 1 - hex.prefWidth(-1) / w);
    }

    private Tab tab(String title, Feather icon, javafx.scene.Node content, boolean hexBeside) {
        Tab t = new Tab(title, hexBeside ? new SplitPane(content) : content);
        if (hexBeside) {
            hexHolders.put(t, (SplitPane) t.getContent());
            SplitPane.setResizableWithParent(hex, false);
        }
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
        quit.setOnAction(e -> {
            if (vm.edit().mayClose()) {
                Platform.exit();
            }
        });
        MenuItem export = new MenuItem("_Export view as PNG...", new FontIcon(Feather.IMAGE));
        export.setId("exportPng");
        export.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+E"));
        export.setOnAction(e -> viewExport().choose(getScene() == null ? null : getScene().getWindow(),
                tabs.getSelectionModel().getSelectedItem(), vm.sessionProperty().get() == null ? null
                        : vm.sessionProperty().get().path()));
        Menu file = new Menu("_File", null, open, demo, recentMenu, export);
        file.getItems().addAll(edit.fileMenuItems());
        file.getItems().addAll(new javafx.scene.control.SeparatorMenuItem(), quit);
        MenuItem theme = new MenuItem("Toggle _dark theme", new FontIcon(Feather.MOON));
        theme.setAccelerator(KeyCombination.keyCombination("Shortcut+T"));
        theme.setOnAction(e -> vm.toggleTheme());
        javafx.scene.control.CheckMenuItem explain = new javafx.scene.control.CheckMenuItem("_Explain panel",
                new FontIcon(Feather.BOOK_OPEN));
        explain.setId("explainMenu");
        explain.setAccelerator(KeyCombination.keyCombination("F1"));
        explain.selectedProperty().bindBidirectional(teachShown);
        Menu view = new Menu("_View", null, theme, explain, new javafx.scene.control.SeparatorMenuItem());
        for (int i = 0; i < tabs.getTabs().size(); i++) {
            int k = i;
            MenuItem go = new MenuItem(tabs.getTabs().get(i).getText());
            go.setAccelerator(KeyCombination.keyCombination("Shortcut+" + (i + 1)));
            go.setOnAction(e -> tabs.getSelectionModel().select(k));
            view.getItems().add(go);
        }
        return new MenuBar(file, view, labWindows().menu());
    }

    private io.qcowscope.app.ui.view.lab.LabWindows labWindows;

    private io.qcowscope.app.ui.view.repair.RescueWindow rescueWindow;

    /** "Rescue this image...": the rescue window, planning the image that failed to open (issue 14). */
    public io.qcowscope.app.ui.view.repair.RescueWindow showRescue() {
        if (rescueWindow == null) {
            rescueWindow = new io.qcowscope.app.ui.view.repair.RescueWindow(vm.rescue(), this::getScene);
        }
        vm.rescueOffered();
        rescueWindow.show();
        return rescueWindow;
    }

    /** The windows of issue 10's lab: the write dry run and the subcluster lab. */
    io.qcowscope.app.ui.view.lab.LabWindows labWindows() {
        if (labWindows == null) {
            labWindows = new io.qcowscope.app.ui.view.lab.LabWindows(vm.lab(), vm.writeDryRun(), this::getScene);
        }
        return labWindows;
    }

    private ToolBar toolBar() {
        Button open = toolButton(Feather.FOLDER, "Open an image (Ctrl+O)", this::chooseFile);
        Button demo = toolButton(Feather.STAR, "Open the demo image (Ctrl+D)", vm::openDemo);
        ToggleButton theme = new ToggleButton(null, new FontIcon(Feather.MOON));
        theme.setTooltip(new Tooltip("Dark theme (Ctrl+T)"));
        theme.selectedProperty().bindBidirectional(vm.darkThemeProperty());
        ToggleButton explain = new ToggleButton(null, new FontIcon(Feather.BOOK_OPEN));
        explain.setId("explainToggle");
        explain.setTooltip(new Tooltip("Explain panel: what the selection is, and a guest read step by step (F1)"));
        explain.selectedProperty().bindBidirectional(teachShown);
        Label path = new Label();
        path.textProperty().bind(vm.titleProperty());
        path.getStyleClass().add("text-bold");
        ToolBar bar = new ToolBar(open, demo, new Separator(Orientation.VERTICAL), theme, explain,
                new Separator(Orientation.VERTICAL));
        bar.getItems().addAll(edit.toolbarItems());
        bar.getItems().addAll(new Separator(Orientation.VERTICAL), path);
        return bar;
    }

    private static Button toolButton(Feather icon, String tip, Runnable r) {
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> r.run());
        return b;
    }

    /** The selected structure as crumbs (each selects its structure again) and what the selection is. */
    private HBox selectionBar() {
        BreadCrumbBar<SelectionPath.Crumb> crumbs = new BreadCrumbBar<>();
        crumbs.setId("selectionPath");
        crumbs.setAutoNavigationEnabled(false);
        crumbs.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        crumbs.setOnCrumbAction(e -> {
            SelectionPath.Crumb c = e.getSelectedCrumb().getValue();
            c.select().run();
            showPlace(c.place());
        });
        vm.selectionPath().crumbs().addListener((javafx.collections.ListChangeListener<SelectionPath.Crumb>) ch -> {
            TreeItem<SelectionPath.Crumb> last = null;
            for (SelectionPath.Crumb c : vm.selectionPath().crumbs()) {
                TreeItem<SelectionPath.Crumb> item = new TreeItem<>(c);
                if (last != null) {
                    last.getChildren().add(item);
                }
                last = item;
            }
            crumbs.setSelectedCrumb(last);
        });
        Label selection = new Label();
        selection.setId("selectionSummary");
        selection.textProperty().bind(vm.selection().summaryProperty());
        selection.setWrapText(true);
        selection.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        selection.setMinWidth(0);
        HBox.setHgrow(selection, Priority.ALWAYS);
        // Nothing selected yet: the strip says what it is for instead of standing empty.
        Label hint = new Label("Nothing selected: click a cluster in a map or a row in a table, and its path shows here.");
        hint.setId("selectionHint");
        hint.getStyleClass().add("text-muted");
        hint.setMinWidth(0);
        showWhen(hint, javafx.beans.binding.Bindings.isEmpty(vm.selectionPath().crumbs())
                .and(vm.selection().summaryProperty().isEmpty()));
        HBox box = new HBox(10, crumbs, hint, selection);
        box.getStyleClass().add("selection-bar");
        return box;
    }

    /** Status text, the background work's progress with Cancel (Esc), and the mode the image is open in. */
    private StatusBar statusBar() {
        StatusBar bar = new StatusBar();
        bar.setId("statusBar");
        bar.textProperty().bind(javafx.beans.binding.Bindings.when(vm.errorProperty().isEmpty())
                .then(vm.statusProperty()).otherwise(vm.errorProperty()));
        Tooltip whole = new Tooltip();
        whole.textProperty().bind(bar.textProperty());
        bar.setTooltip(whole); // a long path or error is elided in the bar
        bar.progressProperty().bind(javafx.beans.binding.Bindings.when(vm.busyProperty())
                .then(vm.progressProperty()).otherwise(0.0));
        Button cancel = new Button("Cancel", new FontIcon(Feather.X_CIRCLE));
        cancel.setId("cancel");
        showWhen(cancel, vm.busyProperty());
        cancel.setOnAction(e -> vm.cancel());
        Label mode = new Label("read-only");
        mode.setId("mode");
        mode.setGraphic(new FontIcon(Feather.LOCK));
        mode.getStyleClass().add("status-mode");
        mode.setMinWidth(Label.USE_PREF_SIZE);
        edit.bindModeLabel(mode);
        // A file that failed to open with a format error and reads as a damaged qcow2 image: offer the rescue.
        Button rescue = new Button("Rescue this image...", new FontIcon(Feather.LIFE_BUOY));
        rescue.setId("rescueOffer");
        rescue.setMinWidth(Button.USE_PREF_SIZE);
        showWhen(rescue, vm.rescuableProperty().isNotNull());
        rescue.setOnAction(e -> showRescue());
        bar.getRightItems().addAll(rescue, cancel, new Separator(Orientation.VERTICAL), mode);
        return bar;
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
        vm.noticeProperty().addListener((o, a, b) -> {
            if (b != null && !b.isEmpty()) {
                notices.getActions().clear();
                notices.show(b, new FontIcon(Feather.CHECK_CIRCLE));
                noticeShown.playFromStart();
            }
        });
        // Why Edit was refused, or why it is for repair only: in the same bar (a popup window drew half, off the
        // window, without a compositor), for longer than a notice, and in the mode label's tooltip after.
        vm.edit().mode().refusalProperty().addListener((o, a, b) -> {
            if (b != null && !b.isEmpty() && vm.rescuableProperty().get() == null) {
                notices.getActions().clear();
                notices.show(b, new FontIcon(vm.edit().mode().isRepairOnly() ? Feather.TOOL : Feather.LOCK));
                noticeShown.stop();
                refusalShown.playFromStart();
            }
        });
        // A damaged qcow2 image that failed to open: the bar offers the rescue until another image is opened.
        vm.rescuableProperty().addListener((o, a, b) -> {
            if (b != null) {
                noticeShown.stop();
                notices.getActions().setAll(new org.controlsfx.control.action.Action("Rescue this image...",
                        e -> showRescue()));
                notices.show(b.getFileName() + " cannot be opened; a rescue may get it back as a repaired copy.",
                        new FontIcon(Feather.LIFE_BUOY));
            } else if (!notices.getActions().isEmpty()) {
                notices.getActions().clear();
                notices.hide();
            }
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

    /** The bar that announces finished background work. */
    public NotificationPane notices() {
        return notices;
    }

    public TabPane tabs() {
        return tabs;
    }

    /**
     * Holds back the window's bars (menu and tool bar, selection and status bar) and the shown tab's content, each until
     * a call of {@link #attachNextPart}: the window then styles and lays out its views, its bars and the first view each
     * in a pulse of its own (behind the skeleton), not all of them in one (about 280 ms of FX CPU at a load of 2).
     */
    public void deferParts() {
        javafx.scene.Node top = getTop();
        javafx.scene.Node bottom = getBottom();
        setTop(null);
        setBottom(null);
        deferred.add(() -> setTop(top));
        deferred.add(() -> setBottom(bottom));
        Tab shown = tabs.getSelectionModel().getSelectedItem();
        if (shown != null && shown.getContent() != null) {
            lazy.hold(shown, shown.getContent());
            deferred.add(() -> lazy.attach(shown));
        }
    }

    /** Attaches the next part {@link #deferParts} held back, if any; true while more are held. */
    public boolean attachNextPart() {
        Runnable next = deferred.poll();
        if (next != null) {
            next.run();
        }
        return !deferred.isEmpty();
    }

    private final java.util.ArrayDeque<Runnable> deferred = new java.util.ArrayDeque<>();

    public ClusterMapView hostMapView() {
        return hostMapView;
    }

    public ClusterMapView guestMapView() {
        return guestMapView;
    }
}
