package dev.stacklab.cli;

import dev.stacklab.app.StacklabApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The {@code stacklab} command. With no command it starts the desktop app ({@code gui}).
 */
@Command(name = "stacklab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A TCP/IP stack and packet lab written from scratch in Java.",
        subcommands = {DecodeCommand.class, PingCommand.class, ArpCommand.class, ServeCommand.class, LabnetCommand.class, BenchCommand.class, GuiCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        if (args.length == 0 || args.length == 1 && args[0].equals("gui")) {
            // The window straight away: picocli's model of every command costs startup time the window needs.
            PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
            System.exit(StacklabApp.launchWindow(err));
        }
        System.exit(run(args));
    }

    /** Runs one command line on the process's standard streams (always UTF-8: the summaries use "→"). */
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        return run(out, err, args);
    }

    /** Runs one command line and returns its exit code; tests use this to run commands in-process. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
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
        cmd.getErr().println(cmd.getCommandName() + ": " + problem.getMessage() + " (see " + cmd.getCommandSpec().qualifiedName() + " --help)");
        return 2;
    }

    @Spec
    CommandSpec spec;

    /** No command: what {@code gui} does. */
    @Override
    public Integer call() {
        GuiCommand gui = new GuiCommand();
        gui.spec = spec;
        return gui.call();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"stacklab " + (version == null ? "(development build)" : version)};
        }
    }
}
