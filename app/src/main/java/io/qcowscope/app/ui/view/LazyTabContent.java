package io.qcowscope.app.ui.view;

import java.util.HashMap;
import java.util.Map;
import javafx.scene.Node;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

/**
 * A tab's content joins the scene graph when the tab is first selected, not with the window: JavaFX styles and lays out
 * every tab's content, shown or not, and the first CSS and layout pass of all seven views (their skins, tables and cells)
 * kept the FX thread for seconds on a loaded machine before the first image showed. The views are built (and bound to
 * their view-models) at once; only their skins wait until they are shown.
 */
final class LazyTabContent {
    private static final boolean LOG = Boolean.getBoolean("qcowscope.frames");
    private final Map<Tab, Node> pending = new HashMap<>();

    /**
     * Holds {@code content} back from {@code tab} until the tab is selected; call before the tab pane's other selection
     * listeners so that they find the content in place.
     */
    void hold(Tab tab, Node content) {
        pending.put(tab, content);
        tab.setContent(null);
    }

    /**
     * Attaches the held content of the tab {@code tabs} selects, now and whenever the selection changes: on the next FX
     * event, if the tab is still selected then, so that tab switches queued behind a long task (keys pressed while the
     * window was busy) style only the tab they end on. The selection's other listeners post their work after this.
     */
    void attachOnSelection(TabPane tabs) {
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> {
            if (b != null && pending.containsKey(b)) {
                javafx.application.Platform.runLater(() -> {
                    if (tabs.getSelectionModel().getSelectedItem() == b) {
                        attach(b);
                    }
                });
            }
        });
        attach(tabs.getSelectionModel().getSelectedItem());
    }

    /** Puts the held content in {@code tab}, if any is held. */
    void attach(Tab tab) {
        Node content = tab == null ? null : pending.remove(tab);
        if (content != null) {
            tab.setContent(content);
            // The skins now, not at the next pulse: a split pane's items are in the scene only through its skin, and the
            // selection's listeners move the hex view there and give the map the keyboard focus.
            if (content.getScene() != null) {
                long t0 = System.nanoTime();
                content.applyCss();
                if (LOG) {
                    System.err.printf("qcowscope tab %s first shown: its CSS took %.1f ms%n", tab.getText(),
                            (System.nanoTime() - t0) / 1e6);
                }
            }
        }
    }
}
