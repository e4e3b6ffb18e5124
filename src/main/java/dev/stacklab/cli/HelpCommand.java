package dev.stacklab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code stacklab help [COMMAND...]}: the help of any command, however deep ({@code help bench synth-capture}).
 * picocli's own help command looks only one level down. A plain command rather than a picocli help command, so
 * that an unknown name exits 2 like every other bad argument.
 */
@Command(name = "help", description = "Show the help of a command, e.g. help bench synth-capture.")
final class HelpCommand implements Callable<Integer> {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "a command and its subcommands")
    String[] path = {};

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine self = spec.commandLine();
        CommandLine command = self.getParent();
        for (String name : path) {
            CommandLine sub = command.getSubcommands().get(name);
            if (sub == null) {
                String where = Main.invocation(command.getCommandSpec());
                self.getErr().println("help: " + where + " has no command '" + name + "' (see " + where + " --help)");
                return 2;
            }
            command = sub;
        }
        command.usage(self.getOut(), self.getColorScheme());
        return 0;
    }
}
