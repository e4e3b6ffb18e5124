package dev.stacklab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** A command line that names a command registers only that one (start-up), and still behaves as with all of them. */
class MainCommandsTest {
    @Test
    void aNamedCommandIsRegisteredAlone() {
        assertThat(Main.commandsFor("decode", "-c", "10", "capture.pcap")).containsExactly(DecodeCommand.class);
        assertThat(Main.commandsFor("bench", "decode", "x.pcap")).containsExactly(BenchCommand.class);
        for (Class<?> command : Main.COMMANDS) {
            String name = command.getAnnotation(Command.class).name();
            if (command != HelpCommand.class) {
                assertThat(Main.commandsFor(name)).containsExactly(command);
            }
        }
    }

    @Test
    void helpAMistypedNameOrNoneRegistersEveryCommand() {
        assertThat(Main.commandsFor("help", "decode")).isEqualTo(Main.COMMANDS);
        assertThat(Main.commandsFor("decod", "x.pcap")).isEqualTo(Main.COMMANDS);
        assertThat(Main.commandsFor("--help")).isEqualTo(Main.COMMANDS);
        assertThat(Main.commandsFor()).isEqualTo(Main.COMMANDS);
    }

    @Test
    void theUsageStillListsEveryCommandAndHelpStillNamesOne() {
        CommandRun usage = CommandRun.of("--help");
        for (Class<?> command : Main.COMMANDS) {
            assertThat(usage.out()).contains("  " + command.getAnnotation(Command.class).name() + " ");
        }
        CommandRun help = CommandRun.of("help", "decode");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: java -jar target/stacklab.jar decode");
        CommandRun mistyped = CommandRun.of("decod", "x.pcap");
        assertThat(mistyped.exitCode()).isEqualTo(2);
        assertThat(mistyped.err()).contains("'decod'");
    }

    @Test
    void aLoneCaptureFileOrGuiWithOneOpensTheWindowAndAnythingElseGoesToTheCommands() {
        assertThat(Main.opensWindow()).isTrue();
        assertThat(Main.opensWindow("gui")).isTrue();
        assertThat(Main.opensWindow("gui", "trace.pcapng")).isTrue();
        assertThat(Main.opensWindow("trace.pcapng")).as("as wireshark trace.pcapng").isTrue();
        assertThat(Main.opensWindow("captures/trace")).as("a path").isTrue();
        assertThat(Main.opensWindow("gui", "--help")).isFalse();
        assertThat(Main.opensWindow("gui", "a.pcap", "b.pcap")).isFalse();
        assertThat(Main.opensWindow("decode")).as("a command").isFalse();
        assertThat(Main.opensWindow("decod")).as("a mistyped command: picocli names it").isFalse();
        assertThat(Main.opensWindow("--version")).isFalse();
        assertThat(Main.opensWindow("decode", "x.pcap")).isFalse();
    }

    @Test
    void guiWithAFileThatIsNotThereSaysSoInOneLine() {
        CommandRun run = CommandRun.of("gui", "--", "no-such-capture.pcap");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).isEqualTo("gui: no such capture file: no-such-capture.pcap (see java -jar target/stacklab.jar gui --help)");
    }
}
