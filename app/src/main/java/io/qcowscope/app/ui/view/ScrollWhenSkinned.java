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
                // after the skin's first layout, which would put the flow back at the top
                Platform.runLater(scroll);
            }
        };
        c.skinProperty().addListener(once[0]);
    }
}
