package io.qcowscope.app.ui.view.teach;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.parser.Parser;

/**
 * A teaching text rendered from commonmark's tree into JavaFX nodes (no WebView): headings, paragraphs, lists, code, strong
 * and emphasis, each styled by a CSS class of the app stylesheet.
 */
public final class MarkdownView extends VBox {
    private static final Parser PARSER = Parser.builder().build();

    public MarkdownView(String markdown) {
        getStyleClass().add("markdown");
        setSpacing(6);
        setFillWidth(true);
        org.commonmark.node.Node doc = PARSER.parse(markdown);
        for (org.commonmark.node.Node n = doc.getFirstChild(); n != null; n = n.getNext()) {
            Node block = block(n);
            if (block != null) {
                getChildren().add(block);
            }
        }
    }

    private static Node block(org.commonmark.node.Node n) {
        if (n instanceof Heading h) {
            TextFlow f = inline(h, "md-heading-" + Math.min(h.getLevel(), 3));
            f.getStyleClass().add("md-heading");
            return f;
        }
        if (n instanceof Paragraph p) {
            return inline(p, null);
        }
        if (n instanceof BulletList || n instanceof OrderedList) {
            VBox list = new VBox(3);
            list.getStyleClass().add("md-list");
            int k = n instanceof OrderedList o ? o.getMarkerStartNumber() : 0;
            for (org.commonmark.node.Node item = n.getFirstChild(); item != null; item = item.getNext()) {
                if (item instanceof ListItem) {
                    Label bullet = new Label(n instanceof OrderedList ? (k++) + "." : "\u2022");
                    bullet.getStyleClass().add("md-bullet");
                    bullet.setMinWidth(Label.USE_PREF_SIZE);
                    VBox body = new VBox(3);
                    for (org.commonmark.node.Node c = item.getFirstChild(); c != null; c = c.getNext()) {
                        Node b = block(c);
                        if (b != null) {
                            body.getChildren().add(b);
                        }
                    }
                    HBox.setHgrow(body, Priority.ALWAYS);
                    list.getChildren().add(new HBox(6, bullet, body));
                }
            }
            return list;
        }
        if (n instanceof FencedCodeBlock || n instanceof IndentedCodeBlock) {
            String code = n instanceof FencedCodeBlock f ? f.getLiteral() : ((IndentedCodeBlock) n).getLiteral();
            Label l = new Label(code.stripTrailing());
            l.getStyleClass().add("md-code-block");
            l.setWrapText(true);
            l.setMinHeight(Label.USE_PREF_SIZE);
            return l;
        }
        return null;
    }

    /** The inline content of a block as one text flow, which wraps to the panel's width. */
    private static TextFlow inline(org.commonmark.node.Node block, String style) {
        TextFlow flow = new TextFlow();
        flow.getStyleClass().add("md-paragraph");
        if (style != null) {
            flow.getStyleClass().add(style);
        }
        block.accept(new AbstractVisitor() {
            private String kind = "md-text";

            @Override
            public void visit(org.commonmark.node.Text t) {
                add(t.getLiteral(), kind);
            }

            @Override
            public void visit(Code c) {
                add(c.getLiteral(), "md-code");
            }

            @Override
            public void visit(StrongEmphasis s) {
                nested(s, "md-strong");
            }

            @Override
            public void visit(Emphasis e) {
                nested(e, "md-em");
            }

            @Override
            public void visit(SoftLineBreak b) {
                add(" ", kind);
            }

            @Override
            public void visit(HardLineBreak b) {
                add("\n", kind);
            }

            private void nested(org.commonmark.node.Node n, String k) {
                String before = kind;
                kind = k;
                visitChildren(n);
                kind = before;
            }

            private void add(String s, String k) {
                Text t = new Text(s);
                t.getStyleClass().addAll("md-text", k);
                if (style != null) {
                    t.getStyleClass().add(style);
                }
                flow.getChildren().add(t);
            }
        });
        return flow;
    }
}
