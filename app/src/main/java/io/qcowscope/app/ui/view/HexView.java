package io.qcowscope.app.ui.view;

import io.qcowscope.app.ui.viewmodel.HexViewModel;
import io.qcowscope.app.ui.viewmodel.HexViewModel.HexRow;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/** Bytes of one cluster, 16 to a line (virtual rows), the selected entry's bytes highlighted. */
public final class HexView extends BorderPane {
    private final HexViewModel vm;
    private final ListView<HexRow> list;

    /** Characters of one line: offset, 16 bytes in two groups of 8, their ASCII. */
    private static final int LINE_CHARS = 10 + 16 * 3 + 1 + 1 + 16;
    private static final javafx.css.PseudoClass HIT = javafx.css.PseudoClass.getPseudoClass("hex-hit");
    private final Font mono = Font.font("monospace", 11);

    public HexView(HexViewModel vm) {
        this.vm = vm;
        getStyleClass().addAll("hex-view", "view-pane");
        list = new ListView<>(vm.rows());
        list.setId("hex");
        list.setFixedCellSize(17);
        list.setCellFactory(l -> new HexCell());
        // Wide enough for every column and the ASCII, so that no line needs a horizontal scroll.
        double line = Columns.textWidth(mono, "0".repeat(LINE_CHARS)) + 36;
        list.setMinWidth(line);
        list.setPrefWidth(line);
        Label title = new Label();
        title.getStyleClass().add("title-4");
        title.textProperty().bind(vm.titleProperty());
        title.setWrapText(true);
        title.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.control.TextField go = new javafx.scene.control.TextField();
        go.setId("hexGoTo");
        go.setPromptText("Go to cluster # or 0x offset");
        go.setTooltip(new javafx.scene.control.Tooltip("A host cluster number, or a byte offset in hex (0x...); Enter"));
        go.setPrefColumnCount(22);
        go.setOnAction(e -> {
            boolean ok = vm.goTo(go.getText());
            go.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("danger"), !ok);
        });
        javafx.scene.layout.VBox head = new javafx.scene.layout.VBox(4, title, go);
        head.getStyleClass().add("hex-head");
        setTop(head);
        setCenter(list);
        vm.highlightStartProperty().addListener((o, a, b) -> {
            list.refresh();
            long start = b.longValue();
            if (start >= 0 && !vm.rows().isEmpty()) {
                int row = (int) ((start - vm.rows().get(0).offset()) / 16);
                ScrollWhenSkinned.run(list, () -> list.scrollTo(Math.max(0, row - 4)));
            }
        });
    }

    /**
     * One line: offset, the 16 bytes as runs of one style each (zeros, other bytes, the highlighted entry) and the ASCII,
     * in a text flow made once per cell. A line shown again (scrolling, a new highlight, the view moved to another tab)
     * sets only the texts and style classes that changed, and a line of zeros is one run, not 16 nodes: making 18 new
     * Text nodes per line, each styled anew, was most of the FX thread's work when the hex view changed or moved.
     */
    private final class HexCell extends ListCell<HexRow> {
        private final Text off = text("hex-offset");
        private final Text ascii = text("hex-ascii");
        private final java.util.List<Text> runs = new java.util.ArrayList<>();
        private final TextFlow flow = new TextFlow(off, ascii);
        private final StringBuilder[] runText = new StringBuilder[16];
        private final String[] runStyle = new String[16];

        HexCell() {
            for (int i = 0; i < 16; i++) {
                runText[i] = new StringBuilder();
            }
        }

        private Text text(String styleClass) {
            Text t = new Text();
            t.setFont(mono);
            t.getStyleClass().add(styleClass);
            return t;
        }

        @Override
        protected void updateItem(HexRow r, boolean empty) {
            super.updateItem(r, empty);
            setText(null);
            if (empty || r == null) {
                setGraphic(null);
                pseudoClassStateChanged(HIT, false);
                return;
            }
            long hs = vm.highlightStartProperty().get();
            long he = hs + vm.highlightLengthProperty().get();
            set(off, String.format("%08x  ", r.offset()), "hex-offset");
            byte[] b = r.bytes();
            StringBuilder chars = new StringBuilder(" ");
            int n = 0;
            for (int i = 0; i < 16; i++) {
                String s = (i < b.length ? String.format("%02x", b[i] & 0xFF) : "  ") + (i == 7 ? "  " : " ");
                long pos = r.offset() + i;
                String style = i < b.length && pos >= hs && pos < he ? "hex-highlight"
                        : i < b.length && b[i] == 0 ? "hex-zero" : "hex-byte";
                if (n == 0 || !style.equals(runStyle[n - 1])) {
                    runText[n].setLength(0);
                    runStyle[n++] = style;
                }
                runText[n - 1].append(s);
                if (i < b.length) {
                    int c = b[i] & 0xFF;
                    chars.append(c >= 32 && c < 127 ? (char) c : '.');
                }
            }
            while (runs.size() < n) {
                Text t = text("hex-byte");
                runs.add(t);
                flow.getChildren().add(flow.getChildren().size() - 1, t);
            }
            while (runs.size() > n) {
                flow.getChildren().remove(runs.remove(runs.size() - 1));
            }
            for (int i = 0; i < n; i++) {
                set(runs.get(i), runText[i].toString(), runStyle[i]);
            }
            set(ascii, chars.toString(), "hex-ascii");
            if (getGraphic() != flow) {
                setGraphic(flow);
            }
            boolean hit = he > hs && hs < r.offset() + 16 && he > r.offset();
            pseudoClassStateChanged(HIT, hit);
        }

        /** Sets a text and its one style class, each only when it changed (a changed class restyles the node). */
        private static void set(Text t, String s, String styleClass) {
            if (!s.equals(t.getText())) {
                t.setText(s);
            }
            if (!t.getStyleClass().get(0).equals(styleClass)) {
                t.getStyleClass().set(0, styleClass);
            }
        }
    }
}
