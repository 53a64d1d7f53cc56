package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bash completion is generated from the full model: every subcommand is offered, also the lazily registered ones. */
class CompletionScriptTest {
    @Test
    void scriptOffersEverySubcommand() {
        String script = CompletionScript.script();
        assertTrue(script.contains("_complete_qcowscope"), "the completion function is defined");
        for (String name : QcowscopeCommand.subcommandNames()) {
            assertTrue(script.matches("(?s).*\\bcommands=\"[^\"]*\\b" + java.util.regex.Pattern.quote(name) + "\\b.*"),
                    "subcommand " + name + " is completed");
        }
    }
}
