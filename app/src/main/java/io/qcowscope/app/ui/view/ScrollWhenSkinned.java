package io.qcowscope.app.ui.view;

import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * A table or list scrolls through its skin: {@code scrollTo} on one not shown yet (its tab not shown since the window
 * opened, see {@link LazyTabContent}) did nothing, and the row selected meanwhile was out of sight when the tab came.
 * This scrolls now when the control has its skin, else once it gets one.
 */
final class ScrollWhenSkinned {
    private ScrollWhenSkinned() {
    }

    static void run(Control c, Runnable scroll) {
        if (c.getSkin() != null) {
            scroll.run();
            return;
        }
        @SuppressWarnings("unchecked")
        ChangeListener<Skin<?>>[] once = new ChangeListener[1];
        once[0] = (o, a, b) -> {
            if (b != null) {
                c.skinProperty().removeListener(once[0]);
                afterFirstLayout(c, scroll);
            }
        };
        c.skinProperty().addListener(once[0]);
    }

    /**
     * Runs {@code scroll} once the control has been laid out with a height: the skin's first layout put the flow back at
     * the top, and a scroll posted with {@code runLater} came before that layout when the FX thread was busy (the row
     * selected as the L1 / L2 tab first showed stayed out of sight, now and then, in the full test suite).
     */
    private static void afterFirstLayout(Control c, Runnable scroll) {
        javafx.scene.Scene scene = c.getScene();
        if (scene == null) {
            Platform.runLater(scroll);
            return;
        }
        Runnable[] check = new Runnable[1];
        check[0] = () -> {
            if (c.getHeight() > 0) {
                scene.removePostLayoutPulseListener(check[0]);
                scroll.run();
            } else if (c.getScene() != scene) {
                scene.removePostLayoutPulseListener(check[0]);
            }
        };
        scene.addPostLayoutPulseListener(check[0]);
    }
}
