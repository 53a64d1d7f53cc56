package io.qcowscope.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Subcommands are registered lazily: a run builds only the one it names. */
class QcowscopeCommandTest {

    @Test
    void everyRegisteredNameIsItsClassesCommandName() {
        for (String name : QcowscopeCommand.subcommandNames()) {
            assertEquals(name, new CommandLine(QcowscopeCommand.subcommandClass(name)).getCommandName());
        }
        assertEquals(16, QcowscopeCommand.subcommandNames().size());
    }

    @Test
    void aRunBuildsOnlyTheSubcommandItNames() {
        assertEquals(Set.of("check"), QcowscopeCommand.commandLine("check", "x.qcow2").getSubcommands().keySet());
        assertEquals(Set.of(), QcowscopeCommand.commandLine("--version").getSubcommands().keySet());
        assertEquals(QcowscopeCommand.subcommandNames(),
                QcowscopeCommand.commandLine("--help").getSubcommands().keySet());
        assertEquals(QcowscopeCommand.subcommandNames(),
                QcowscopeCommand.commandLine("chek").getSubcommands().keySet());
    }

    @Test
    void usageAndUnknownCommandsStillListEverySubcommand() {
        Cli.Run usage = Cli.run();
        for (String name : QcowscopeCommand.subcommandNames()) {
            assertTrue(usage.stdout().contains("  " + name + " "), name + " in\n" + usage.stdout());
        }
        Cli.Run unknown = Cli.run("chek", "x");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().contains("check"), unknown.stderr());
        assertEquals("qcowscope 0.1.0\n", Cli.run("--version").stdout());
    }
}
