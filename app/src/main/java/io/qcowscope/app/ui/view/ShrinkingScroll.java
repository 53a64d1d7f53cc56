package io.qcowscope.app.ui.view;

import javafx.beans.binding.Bindings;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Region;

/**
 * A vertical scroll pane around content below a map (its legends) that is as tall as the content while there is room,
 * and at most a share of the pane it sits in when there is not: in a short window (1024x700 with the Explain panel below
 * the views) the map and its zoom bar keep their room and the legends scroll, instead of the whole pane overflowing and
 * clipping the zoom bar.
 */
final class ShrinkingScroll {
    /** The share of the pane's height the content may take before it scrolls. */
    static final double MAX_SHARE = 0.4;

    private ShrinkingScroll() {
    }

    static ScrollPane of(Region content, Region pane) {
        ScrollPane s = new ScrollPane(content);
        s.setFitToWidth(true);
        s.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        s.setVbarPolicy(ScrollPane.ScrollBarPolicy.AS_NEEDED);
        s.setMinHeight(0);
        s.getStyleClass().add("map-legends-scroll");
        s.prefViewportHeightProperty().bind(Bindings.min(content.heightProperty(),
                pane.heightProperty().multiply(MAX_SHARE)));
        return s;
    }
}
