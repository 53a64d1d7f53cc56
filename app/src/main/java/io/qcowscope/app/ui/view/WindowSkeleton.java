package io.qcowscope.app.ui.view;

import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The window's first frame, shown while the views are built: the window's bars as empty bands, and what is opening with
 * an indefinite bar (building the views holds the FX thread for a second and more in a cold JVM on a loaded machine;
 * the window stayed blank white meanwhile).
 */
public final class WindowSkeleton {
    private WindowSkeleton() {
    }

    /** The skeleton for opening {@code what} (a file name, or "the demo image"). */
    public static Parent create(String what) {
        Region top = new Region();
        top.getStyleClass().add("skeleton-bar");
        Region bottom = new Region();
        bottom.getStyleClass().add("skeleton-foot");
        Label opening = new Label("Opening " + what + "...");
        opening.getStyleClass().add("text-muted");
        VBox centre = new VBox(8, opening, new ProgressBar(-1));
        centre.setAlignment(Pos.CENTER);
        BorderPane p = new BorderPane(centre, top, null, bottom, null);
        p.getStyleClass().add("window-skeleton");
        p.setId("skeleton");
        return p;
    }
}
