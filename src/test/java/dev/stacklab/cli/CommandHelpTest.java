package dev.stacklab.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command and subcommand answers --help and -h with its own options, help reaches any depth, and every
 * "see ... --help" hint an error prints is a command line that works as printed.
 */
class CommandHelpTest {
    /** Every command's words after the program, e.g. [bench, synth-capture], found by walking picocli's tree. */
    private static List<List<String>> everyCommand() {
        List<List<String>> paths = new ArrayList<>();
        walk(Main.commandLine(), new ArrayList<>(), paths);
        return paths;
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(name);
            walk(sub, deeper, paths);
        });
    }

    private static CommandLine.Model.CommandSpec specOf(List<String> path) {
        CommandLine command = Main.commandLine();
        for (String name : path) {
            command = command.getSubcommands().get(name);
        }
        return command.getCommandSpec();
    }

    private static CommandRun run(List<String> path, String... more) {
        List<String> args = new ArrayList<>(path);
        args.addAll(List.of(more));
        return CommandRun.of(args.toArray(String[]::new));
    }

    @Test
    void everyCommandAnswersHelpAndHWithItsOwnOptions() {
        List<List<String>> commands = everyCommand();
        assertThat(commands).contains(List.of("bench", "synth-capture"), List.of("bench", "decode"), List.of("decode"),
                List.of("labnet"), List.of("help"));
        for (List<String> path : commands) {
            String usage = "Usage: java -jar target/stacklab.jar" + (path.isEmpty() ? "" : " " + String.join(" ", path)) + " ";
            for (String flag : List.of("--help", "-h")) {
                CommandRun help = run(path, flag);
                assertThat(help.exitCode()).as(path + " " + flag + ": " + help.err()).isZero();
                assertThat(help.err()).as(path + " " + flag).isEmpty();
                assertThat(help.out()).as(path + " " + flag).startsWith(usage).contains("-h, --help");
                for (OptionSpec option : specOf(path).options()) {
                    assertThat(help.out()).as(path + " " + flag).contains(option.longestName());
                }
            }
        }
    }

    @Test
    void theBenchOptionsTheIssueNamesCanBeDiscovered() {
        assertThat(CommandRun.of("bench", "decode", "--help").out()).contains("--tshark", "--rounds");
        assertThat(CommandRun.of("bench", "synth-capture", "-h").out()).contains("--frames");
    }

    @Test
    void helpShowsAnyCommandAtAnyDepth() {
        for (List<String> path : everyCommand()) {
            List<String> args = new ArrayList<>(List.of("help"));
            args.addAll(path);
            CommandRun help = CommandRun.of(args.toArray(String[]::new));
            assertThat(help.exitCode()).as(args.toString()).isZero();
            assertThat(help.out()).as(args.toString()).isEqualTo(run(path, "--help").out());
        }
        assertThat(CommandRun.of("help", "bench", "synth-capture").out())
                .startsWith("Usage: java -jar target/stacklab.jar bench synth-capture ").contains("--frames=N");
        CommandRun unknown = CommandRun.of("help", "bench", "nosuch");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("help: java -jar target/stacklab.jar bench has no command 'nosuch'"
                + " (see java -jar target/stacklab.jar bench --help)\n");
    }

    /** A wrong command line and the command its hint should send the person to. */
    private record Wrong(List<String> args, String hintedCommand) {
    }

    /** Command lines that are wrong in the ways a person gets them wrong, on every command. */
    private static List<Wrong> badCommandLines() {
        List<Wrong> bad = new ArrayList<>();
        for (List<String> path : everyCommand()) {
            List<String> unknownOption = new ArrayList<>(path);
            unknownOption.add("--no-such-option");
            bad.add(new Wrong(unknownOption, String.join(" ", path)));
        }
        bad.add(new Wrong(List.of("nosuch"), ""));
        bad.add(new Wrong(List.of("bench"), "bench"));
        bad.add(new Wrong(List.of("bench", "nosuch"), "bench"));
        bad.add(new Wrong(List.of("bench", "decode"), "bench decode"));
        bad.add(new Wrong(List.of("decode"), "decode"));
        bad.add(new Wrong(List.of("decode", "-c", "many", "x.pcap"), "decode"));
        bad.add(new Wrong(List.of("ping", "--ip", "10.0.0.2/24"), "ping"));
        bad.add(new Wrong(List.of("labnet", "sideways"), "labnet"));
        bad.add(new Wrong(List.of("help", "bench", "nosuch"), "bench"));
        return bad;
    }

    private static final Pattern HINT = Pattern.compile("see (\\S.*?) --help\\)");

    @Test
    void everySeeHelpHintWorksAsPrinted() {
        List<Wrong> bad = badCommandLines();
        assertThat(bad).hasSizeGreaterThan(15);
        for (Wrong wrongLine : bad) {
            List<String> args = wrongLine.args();
            CommandRun wrong = CommandRun.of(args.toArray(String[]::new));
            assertThat(wrong.exitCode()).as(args + ": " + wrong.err()).isEqualTo(2);
            assertThat(wrong.err().lines()).as(args.toString()).singleElement();
            Matcher hint = HINT.matcher(wrong.err());
            assertThat(hint.find()).as(args + " printed no hint: " + wrong.err()).isTrue();
            // The hint points at the command that was wrong, in the form the README runs it.
            String expected = (Main.INVOCATION + " " + wrongLine.hintedCommand()).strip();
            assertThat(hint.group(1)).as(args.toString()).isEqualTo(expected);
            // Run what was printed: the words after "java -jar target/stacklab.jar" are stacklab's arguments.
            String printed = hint.group(1) + " --help";
            String[] words = printed.substring(Main.INVOCATION.length()).strip().split(" ");
            CommandRun followed = CommandRun.of(words);
            assertThat(followed.exitCode()).as(printed + ": " + followed.err()).isZero();
            assertThat(followed.out()).as(printed).startsWith("Usage: " + hint.group(1) + " ");
        }
    }

    /**
     * Hints anywhere in stacklab's messages name commands that exist as the README runs them: {@code java -jar
     * target/stacklab.jar decode}, never {@code stacklab decode} (there is no such program) nor a jar without target/.
     */
    @Test
    void messagesNameCommandsThatExist() throws IOException {
        Pattern literal = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");
        Pattern bareProgram = Pattern.compile("[`(]stacklab (decode|ping|arp|serve|labnet|bench|gui|help)\\b");
        Pattern jarElsewhere = Pattern.compile("(?<!target/)stacklab\\.jar");
        List<String> wrong = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.startsWith("*") || line.startsWith("/*") || line.startsWith("//")) {
                        continue;
                    }
                    Matcher strings = literal.matcher(line);
                    while (strings.find()) {
                        String text = strings.group();
                        if (bareProgram.matcher(text).find() || jarElsewhere.matcher(text).find()) {
                            wrong.add(file.getFileName() + ":" + (i + 1) + ": " + text);
                        }
                    }
                }
            }
        }
        assertThat(wrong).as("messages naming a command that does not exist").isEmpty();
        // The scan sees what it looks for: a message built from Main.INVOCATION is not a literal, this one is.
        assertThat(Arrays.asList("(`stacklab labnet up`)", "java -jar stacklab.jar decode"))
                .allMatch(text -> bareProgram.matcher(text).find() || jarElsewhere.matcher(text).find());
    }
}
