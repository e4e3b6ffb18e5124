package dev.stacklab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stacklab} command. With no command it would start the desktop app; that app arrives
 * in a later release, and until then saying so is all it does.
 */
@Command(name = "stacklab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A TCP/IP stack and packet lab written from scratch in Java.",
        subcommands = {DecodeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code; used by tests to run commands in-process. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setParameterExceptionHandler(Main::reportBadArguments);
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            cmd.getErr().println("stacklab: " + (error.getMessage() == null ? error.toString() : error.getMessage()));
            return 2;
        });
        return commandLine.execute(args);
    }

    /** One line naming the flag and the value, then exit 2, as the project promises for bad flags. */
    private static int reportBadArguments(CommandLine.ParameterException problem, String[] args) {
        CommandLine cmd = problem.getCommandLine();
        cmd.getErr().println(cmd.getCommandName() + ": " + problem.getMessage());
        cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return 2;
    }

    @Override
    public void run() {
        System.err.println("stacklab: the desktop app is not part of this build yet; use a command:");
        new CommandLine(this).usage(System.err);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"stacklab " + (version == null ? "(development build)" : version)};
        }
    }
}
