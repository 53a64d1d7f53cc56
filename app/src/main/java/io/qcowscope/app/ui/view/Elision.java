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
        if (l.isMnemonicParsing()) {
            // "_File" is drawn as "File" with F underlined; "__" is a literal underscore.
            int i = want.indexOf('_');
            if (i >= 0 && i + 1 < want.length()) {
                want = want.substring(0, i) + want.substring(i + 1);
            }
        }
        for (Node n : l.getChildrenUnmodifiable()) {
            if (n instanceof Text t && t.getStyleClass().contains("text")) {
                return !want.equals(t.getText());
            }
        }
        return false;
    }
}
