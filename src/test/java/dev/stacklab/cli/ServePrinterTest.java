package dev.stacklab.cli;

import dev.stacklab.link.LinkEvent;
import dev.stacklab.stack.DropReason;
import dev.stacklab.stack.StackEvent;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** serve's output: the runner only queues, a printer thread prints; a full queue costs counted lines. */
class ServePrinterTest {
    private static final byte[] ARP_REQUEST = HexFormat.of().parseHex(
            "ffffffffffff0e8e5fd9cfbb080600010800060400010e8e5fd9cfbb0a4d00010000000000000a4d0002");

    private final StringWriter printed = new StringWriter();

    private List<String> lines() {
        return printed.toString().lines().toList();
    }

    @Test
    void printsFramesInAndOutDropsAndLinkEventsAsTheyCame() throws InterruptedException {
        ServePrinter printer = new ServePrinter(new PrintWriter(printed), false, 100);
        printer.start();
        long now = System.nanoTime();
        printer.stackEvent(new StackEvent.FrameReceived(now, ARP_REQUEST));
        printer.stackEvent(new StackEvent.FrameSent(now + 1000, ARP_REQUEST));
        printer.stackEvent(new StackEvent.Dropped(now + 2000, DropReason.BAD_CHECKSUM, "IPv4 header", ARP_REQUEST));
        printer.linkEvent(LinkEvent.of("sl-stack", LinkEvent.Kind.LINK_DOWN, "interface sl-stack went away", now));
        printer.problem("inbox full", null);
        assertThat(printer.finish(10_000)).as("printer finished").isTrue();
        List<String> lines = lines();
        assertThat(lines).hasSize(5);
        String clock = "\\d\\d:\\d\\d:\\d\\d\\.\\d{6}";
        assertThat(lines.get(0)).matches(clock + " IN  0e:8e:5f:d9:cf:bb → Broadcast ARP 42 Who has 10.77.0.2\\? Tell 10.77.0.1");
        assertThat(lines.get(1)).matches(clock + " OUT 0e:8e:5f:d9:cf:bb → Broadcast ARP 42 Who has 10.77.0.2\\? Tell 10.77.0.1");
        assertThat(lines.get(2)).matches(clock + " {6}dropped \\(" + DropReason.BAD_CHECKSUM + "\\): IPv4 header");
        assertThat(lines.get(3)).matches(clock + " {6}link: interface sl-stack went away");
        assertThat(lines.get(4)).matches(clock + " {6}problem: inbox full");
        assertThat(printer.unprinted()).isZero();
    }

    @Test
    void quietPrintsNoFramesButStillLinkEvents() throws InterruptedException {
        ServePrinter printer = new ServePrinter(new PrintWriter(printed), true, 100);
        printer.start();
        printer.stackEvent(new StackEvent.FrameReceived(System.nanoTime(), ARP_REQUEST));
        printer.linkEvent(LinkEvent.of("sl-stack", LinkEvent.Kind.LINK_DOWN, "gone", System.nanoTime()));
        printer.finish(10_000);
        assertThat(lines()).singleElement().asString().endsWith("link: gone");
    }

    @Test
    void aFullQueueCostsLinesCountedNotTheProducersTime() throws InterruptedException {
        ServePrinter printer = new ServePrinter(new PrintWriter(printed), false, 3);
        // Nobody prints yet: the first three wait, the other two are refused at once and counted.
        for (int i = 0; i < 5; i++) {
            printer.problem("p" + i, null);
        }
        assertThat(printer.unprinted()).isEqualTo(2);
        printer.start();
        printer.finish(10_000);
        assertThat(lines()).extracting(line -> line.substring(line.indexOf("problem: "))).containsExactly(
                "problem: p0", "problem: p1", "problem: p2");
    }

    @Test
    void finishPrintsEverythingQueuedBeforeTheTrafficStopped() throws InterruptedException {
        ServePrinter printer = new ServePrinter(new PrintWriter(printed), false, 64);
        printer.start();
        int sent = 20_000;
        Thread runner = new Thread(() -> {
            for (int i = 0; i < sent; i++) {
                printer.stackEvent(new StackEvent.FrameReceived(System.nanoTime(), ARP_REQUEST));
            }
        });
        runner.start();
        runner.join();
        assertThat(printer.finish(30_000)).as("printer finished").isTrue();
        // Every line is either printed or counted.
        assertThat(lines().size() + printer.unprinted()).isEqualTo(sent);
        assertThat(lines()).allMatch(line -> line.endsWith("Who has 10.77.0.2? Tell 10.77.0.1"));
    }
}
