package io.qcowscope.app.ui.view.teach;

import io.qcowscope.app.ui.viewmodel.teach.Explanation;
import io.qcowscope.app.ui.viewmodel.teach.ExplainViewModel;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** The Explain panel: for the selection, each concept's teaching text and what it means in this image. */
public final class ExplainPanel extends VBox {
    private final ExplainViewModel vm;
    private final VBox sections = new VBox(14);

    public ExplainPanel(ExplainViewModel vm) {
        this.vm = vm;
        getStyleClass().addAll("view-pane", "explain-panel");
        setId("explainPanel");
        Label heading = new Label();
        heading.setId("explainHeading");
        heading.getStyleClass().add("title-4");
        heading.setWrapText(true);
        heading.setMinHeight(Label.USE_PREF_SIZE);
        heading.textProperty().bind(vm.headingProperty());
        sections.getStyleClass().add("explain-sections");
        sections.setFillWidth(true);
        ScrollPane scroll = new ScrollPane(sections);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().add("edge-to-edge");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        setSpacing(6);
        getChildren().addAll(heading, scroll);
        vm.sections().addListener((ListChangeListener<Explanation>) c -> rebuild());
        // Hidden (F1 off), the panel is out of the scene: it renders the sections when it is shown again, not on every
        // selection a scan or the user makes meanwhile (commonmark parsing and the nodes of every section).
        sceneProperty().addListener((o, a, b) -> {
            if (b != null && stale) {
                rebuild();
            }
        });
        rebuild();
    }

    private boolean stale;

    private void rebuild() {
        stale = getScene() == null;
        if (stale) {
            return;
        }
        sections.getChildren().clear();
        for (Explanation e : vm.sections()) {
            VBox box = new VBox(6);
            box.getStyleClass().add("explain-section");
            box.setId("explain-" + e.concept().id().replace('/', '-'));
            if (e.markdown() != null) {
                box.getChildren().add(new MarkdownView(e.markdown()));
            } else {
                Label missing = new Label("No teaching text for " + e.concept().id() + " yet.");
                missing.getStyleClass().add("explain-missing");
                box.getChildren().add(missing);
            }
            if (e.inThisImage() != null && !e.inThisImage().isEmpty()) {
                Label title = new Label("In this image");
                title.getStyleClass().add("explain-here-title");
                Label text = new Label(e.inThisImage());
                text.setWrapText(true);
                text.setMinHeight(Label.USE_PREF_SIZE);
                text.getStyleClass().add("explain-here-text");
                VBox here = new VBox(2, title, text);
                here.getStyleClass().add("explain-here");
                box.getChildren().add(here);
            }
            sections.getChildren().add(box);
        }
    }
}
