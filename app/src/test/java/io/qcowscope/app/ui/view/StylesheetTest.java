package io.qcowscope.app.ui.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URL;
import java.util.List;
import javafx.css.CssParser;
import org.junit.jupiter.api.Test;

/** The window's stylesheets parse without an error (JavaFX only logs a warning and drops the rest of the rule). */
class StylesheetTest {
    @Test
    void windowStylesheetsParse() throws Exception {
        for (String name : List.of("window.css")) {
            URL url = getClass().getResource("/io/qcowscope/app/ui/" + name);
            assertNotNull(url, name);
            CssParser.errorsProperty().clear();
            new CssParser().parse(url);
            assertEquals(List.of(), CssParser.errorsProperty().stream().map(Object::toString).toList(), name);
        }
    }
}
