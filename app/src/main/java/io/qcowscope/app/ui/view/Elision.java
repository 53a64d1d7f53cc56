package io.qcowscope.app.ui.view;

import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.text.Text;

/** Whether a {@link Labeled} shows less than its text: its skin replaced the tail (or head) by an ellipsis. */
public final class Elision {
    private Elision() {
    }

    /** True when the text drawn by {@code l}'s skin differs from its text (elided or clipped to nothing). */
    public static boolean isElided(Labeled l) {
        String want = l.getText();
        if (want == null || want.isEmpty()) {
            return false;
        }
        for (Node n : l.getChildrenUnmodifiable()) {
            if (n instanceof Text t && t.getStyleClass().contains("text")) {
                return !want.equals(t.getText());
            }
        }
        return false;
    }
}
