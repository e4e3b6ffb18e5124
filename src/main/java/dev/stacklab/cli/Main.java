package dev.stacklab.cli;

import dev.stacklab.app.SharedArchiveStart;
import dev.stacklab.app.StacklabApp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * The {@code stacklab} command. With no command it starts the desktop app ({@code gui}).
 */
// Named as the README runs it, so that every usage line and hint shows a command that works as printed.
// The commands are added by run(), which adds only the one a command line names (see commandsFor).
@Command(name = Main.INVOCATION, mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A TCP/IP stack and packet lab written from scratch in Java.")
public final class Main implements Callable<Integer> {
    /** The commands, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(DecodeCommand.class, PingCommand.class, ArpCommand.class, ServeCommand.class, GetCommand.class, NcCommand.class,
            LabnetCommand.class, BenchCommand.class, GuiCommand.class, HelpCommand.class);

    public static void main(String[] args) {
        if (opensWindow(args)) {
            PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
            Path capture = args.length == 0 || args[args.length - 1].equals("gui") ? null : Path.of(args[args.length - 1]);
            if (capture != null && !Files.isRegularFile(capture)) {
                err.println("stacklab: gui: no such capture file: " + capture + " (see " + INVOCATION + " gui --help)");
                System.exit(2);
            }
            // The window straight away: picocli's model of every command costs startup time the window needs.
            // In a JVM that maps the app's classes from an archive when it can (SharedArchiveStart), else in this one.
            OptionalInt window = SharedArchiveStart.relaunch(capture);
            if (window.isPresent()) {
                System.exit(window.getAsInt());
            }
            System.exit(StacklabApp.launchWindow(err, capture));
        }
        System.exit(run(args));
    }

    /**
     * Whether a command line only opens the window: none, {@code gui}, {@code gui FILE}, or a lone capture file
     * ({@code stacklab trace.pcapng}, as {@code wireshark trace.pcapng}); a lone word that is neither a command nor
     * an existing file or a path-like name goes to picocli, which suggests the command meant.
     */
    static boolean opensWindow(String... args) {
        if (args.length == 0) {
            return true;
        }
        if (args[0].equals("gui")) {
            return args.length == 1 || args.length == 2 && !args[1].startsWith("-");
        }
        if (args.length != 1 || args[0].startsWith("-") || commandsFor(args).size() == 1) {
            return false;
        }
        return Files.isRegularFile(Path.of(args[0])) || args[0].contains(".") || args[0].contains("/");
    }

    /** Runs one command line on the process's standard streams (always UTF-8: the summaries use "→"). */
    public static int run(String... args) {
        PrintWriter out = new ProcessOutput(new FileOutputStream(FileDescriptor.out));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        return run(out, err, args);
    }

    /** Runs one command line and returns its exit code; tests use this to run commands in-process. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = commandLine(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setParameterExceptionHandler(Main::reportBadArguments);
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            cmd.getErr().println("stacklab: " + (error.getMessage() == null ? error.toString() : error.getMessage()));
            return 2;
        });
        return commandLine.execute(args);
    }

    /** How the README runs stacklab, and so what every hint that names a command says: a command that exists as printed. */
    static final String INVOCATION = "java -jar target/stacklab.jar";

    /** The command line that runs {@code command}, e.g. "java -jar target/stacklab.jar bench decode", for hints. */
    static String invocation(CommandSpec command) {
        return command.qualifiedName();
    }

    /** The command tree for this command line: the program and the commands it needs ({@link #commandsFor}). */
    static CommandLine commandLine(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        for (Class<?> command : commandsFor(args)) {
            commandLine.addSubcommand(command);
        }
        return commandLine;
    }

    /**
     * The commands a command line needs: the one it names, or all of them (for help, a mistyped name, or none).
     * picocli reads every registered command's options by reflection before parsing, which cost {@code decode} of
     * a short capture a fifth of its time; a command line naming one command needs no other.
     */
    static List<Class<?>> commandsFor(String... args) {
        if (args.length > 0) {
            for (Class<?> command : COMMANDS) {
                Command annotation = command.getAnnotation(Command.class);
                if (command != HelpCommand.class
                        && (annotation.name().equals(args[0]) || Arrays.asList(annotation.aliases()).contains(args[0]))) {
                    return List.of(command);
                }
            }
        }
        return COMMANDS;
    }

    /** One line naming the flag and the value, then exit 2, as the project promises for bad flags. */
    private static int reportBadArguments(CommandLine.ParameterException problem, String[] args) {
        CommandLine cmd = problem.getCommandLine();
        String name = cmd.getParent() == null ? "stacklab" : cmd.getCommandName();
        cmd.getErr().println(name + ": " + problem.getMessage() + " (see " + invocation(cmd.getCommandSpec()) + " --help)");
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

    /** The project's version, which the build writes into {@code version.properties} (a filtered resource). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {"stacklab " + projectVersion()};
        }

        static String projectVersion() throws IOException {
            Properties build = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in == null) {
                    throw new IOException("version.properties is missing from stacklab's classpath (a broken build)");
                }
                build.load(in);
            }
            return build.getProperty("version");
        }
    }
}
