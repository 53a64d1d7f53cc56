package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** qcowscope(1) is generated from the picocli model: every command and option the program takes is on the page. */
class ManPageTest {
    @Test
    void renderListsEveryCommandAndOption() {
        CommandLine root = QcowscopeCommand.commandLine();
        String page = ManPage.render(root);
        assertTrue(page.startsWith(".TH QCOWSCOPE 1 "), page.substring(0, 40));
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            assertTrue(page.contains("\n.SS " + ManPage.esc(e.getKey()) + "\n"), e.getKey());
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                if (!o.hidden() && !o.usageHelp() && !o.versionHelp()) {
                    assertTrue(page.contains(ManPage.esc(o.longestName())), e.getKey() + " " + o.longestName());
                }
            }
        }
        assertTrue(page.contains(ManPage.esc("--clusters-per-cell")));
        assertFalse(page.contains("${DEFAULT-VALUE}"), "variables are filled in");
        java.util.Set<String> macros = java.util.Set.of("TH", "SH", "SS", "TP", "PP", "B", "I", "BI", "RI", "BR", "nf",
                "fi", "br");
        for (String line : page.split("\n")) {
            assertFalse(line.startsWith("'"), line);
            if (line.startsWith(".")) {
                assertTrue(macros.contains(line.substring(1).split(" ")[0]), "a text line read as a roff request: " + line);
            }
        }
    }

    @Test
    void escQuotesWhatRoffWouldInterpret() {
        assertEquals("\\-\\-width", ManPage.esc("--width"));
        assertEquals("a\\eb", ManPage.esc("a\\b"));
        assertEquals("\\&.hidden", ManPage.esc(".hidden"));
    }
}
