package dev.stacklab.app.ping;

import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestInbox;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.ping.PingViewModel.LineKind;
import dev.stacklab.app.ping.PingViewModel.PingLine;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.dissect.DisplayFilter;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The ping pane's view-model against a real stack: our host and a peer on a simulated LAN in real time. */
class PingViewModelTest {
    private final TestLan lan = new TestLan();
    private final TestContext app = new TestContext(lan);
    private final TestInbox ui = new TestInbox();
    private final PingViewModel vm = new PingViewModel(app.context, ui.pump());

    @AfterEach
    void close() {
        vm.stop();
        lan.close();
    }

    private List<String> texts() {
        return vm.lines().stream().map(PingLine::text).toList();
    }

    private void startPinging(String target, String count) {
        vm.targetProperty().set(target);
        vm.countProperty().set(count);
        vm.intervalProperty().set("0.05");
        vm.start();
    }

    @Test
    void pingsThePeerAndPrintsWhatIputilsPrints() {
        startPinging("10.0.0.1", "3");
        assertThat(vm.runningProperty().get()).isTrue();

        ui.awaitUntil("the run ends", () -> !vm.runningProperty().get());

        List<String> texts = texts();
        assertThat(texts.get(0)).isEqualTo("PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.");
        assertThat(texts.subList(1, 4)).allSatisfy(line ->
                assertThat(line).matches("64 bytes from 10\\.0\\.0\\.1: icmp_seq=[123] ttl=64 time=\\d+(\\.\\d+)? ms"));
        assertThat(texts.subList(1, 4)).extracting(line -> line.replaceAll(".*icmp_seq=(\\d).*", "$1"))
                .containsExactlyInAnyOrder("1", "2", "3");
        assertThat(texts.subList(4, texts.size())).satisfiesExactly(
                blank -> assertThat(blank).isEmpty(),
                heading -> assertThat(heading).isEqualTo("--- 10.0.0.1 ping statistics ---"),
                packets -> assertThat(packets).matches("3 packets transmitted, 3 received, 0% packet loss, time \\d+ms"),
                rtt -> assertThat(rtt).matches("rtt min/avg/max/mdev = \\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3}/\\d+\\.\\d{3} ms"));
        assertThat(vm.packetsTextProperty().get()).startsWith("3 packets transmitted, 3 received, 0% packet loss");
        assertThat(vm.rttTextProperty().get()).startsWith("rtt min/avg/max/mdev = ");
        assertThat(vm.chartPoints()).hasSize(3).allSatisfy(point -> assertThat(point.millis()).isPositive().isLessThan(1000));
        assertThat(vm.messageProperty().get()).isNull();
    }

    @Test
    void aClickedReplySelectsExactlyItsRequestAndReplyInTheCapture() throws Exception {
        List<CapturedFrame> captured = new CopyOnWriteArrayList<>();
        lan.addCaptureListener(captured::add);
        startPinging("10.0.0.1", "2");
        ui.awaitUntil("the run ends", () -> !vm.runningProperty().get());
        PingLine second = vm.lines().stream().filter(line -> line.text().contains("icmp_seq=2 ")).findFirst().orElseThrow();

        vm.showFramesOf(second);

        assertThat(app.selections).singleElement().asString().matches("icmp\\.ident == 0x[0-9a-f]{4} && icmp\\.seq == 2");
        DisplayFilter filter = DisplayFilter.compile(app.selections.get(0));
        Dissector dissector = new Dissector();
        List<String> matching = captured.stream()
                .map(frame -> dissector.dissect(frame.timestampNanos(), frame.bytes(), frame.bytes().length, frame.originalLength()))
                .filter(filter::matches)
                .map(tree -> tree.toString())
                .toList();
        assertThat(matching).as("the request and the reply of icmp_seq=2").hasSize(2);
    }

    @Test
    void continuousRunsUntilStoppedThenPrintsTheStatistics() {
        vm.continuousProperty().set(true);
        startPinging("10.0.0.1", "");
        ui.awaitUntil("three replies", () -> vm.chartPoints().size() >= 3);

        vm.stop();
        ui.awaitUntil("the run ends", () -> !vm.runningProperty().get());

        assertThat(texts()).anySatisfy(line -> assertThat(line).isEqualTo("--- 10.0.0.1 ping statistics ---"));
        assertThat(vm.canStartBinding().get()).isTrue();
    }

    @Test
    void anAddressNobodyAnswersIsDestinationHostUnreachablePerSequence() {
        startPinging("10.0.0.99", "1");

        ui.awaitUntil("the run ends", () -> !vm.runningProperty().get());

        assertThat(vm.lines()).filteredOn(line -> line.kind() == LineKind.ERROR).extracting(PingLine::text)
                .containsExactly("From 10.0.0.2 icmp_seq=1 Destination Host Unreachable");
        assertThat(texts()).contains("1 packets transmitted, 0 received, +1 errors, 100% packet loss, time "
                + texts().get(texts().size() - 1).replaceAll(".*time ", ""));
        assertThat(vm.chartPoints()).isEmpty();
    }

    @Test
    void aRequestTooBigForTheMtuWithDontFragmentIsALocalError() {
        vm.dontFragmentProperty().set(true);
        vm.sizeProperty().set("2000");
        startPinging("10.0.0.1", "1");

        ui.awaitUntil("the run ends", () -> !vm.runningProperty().get());

        assertThat(vm.lines()).filteredOn(line -> line.kind() == LineKind.ERROR).extracting(PingLine::text)
                .containsExactly("ping: local error: message too long, mtu=1500");
    }

    @Test
    void badInputIsAMessageAndNothingStarts() {
        assertThat(messageFor("", "5")).isEqualTo("Target: enter an IPv4 address such as 10.0.0.1");
        assertThat(messageFor("10.0.0.256", "5"))
                .isEqualTo("Target: '10.0.0.256' is not an IPv4 address (expected four numbers 0-255 like 10.0.0.1)");
        assertThat(messageFor("10.0.0.1", "0")).isEqualTo("Count: '0' is not a whole number of requests from 1 to 1000000");
        assertThat(messageFor("10.0.0.1", "many")).isEqualTo("Count: 'many' is not a whole number of requests from 1 to 1000000");
        vm.countProperty().set("5");
        vm.intervalProperty().set("0.001");
        vm.start();
        assertThat(vm.messageProperty().get()).isEqualTo("Interval: '0.001' is not a number of seconds from 0.002 to 3600");
        vm.intervalProperty().set("1");
        vm.sizeProperty().set("70000");
        vm.start();
        assertThat(vm.messageProperty().get()).isEqualTo("Size: '70000' is not a whole number of data bytes from 0 to 65507");
        vm.sizeProperty().set("56");
        vm.ttlProperty().set("0");
        vm.start();
        assertThat(vm.messageProperty().get()).isEqualTo("TTL: '0' is not a whole number from 1 to 255");

        assertThat(vm.runningProperty().get()).isFalse();
        assertThat(vm.lines()).isEmpty();
    }

    private String messageFor(String target, String count) {
        vm.targetProperty().set(target);
        vm.countProperty().set(count);
        vm.start();
        return vm.messageProperty().get();
    }

    @Test
    void withoutANetworkOrWithAWatchOnlyOneThePaneSaysWhy() {
        app.session.set(null);
        assertThat(vm.canStartBinding().get()).isFalse();
        assertThat(vm.unavailableReasonProperty().get())
                .isEqualTo("No network is running: choose one in the toolbar and press Start to ping.");
        vm.targetProperty().set("10.0.0.1");
        vm.start();
        assertThat(vm.messageProperty().get()).isEqualTo(vm.unavailableReasonProperty().get());

        app.session.set(TestLan.watchOnly("eth0 (watch only)"));
        assertThat(vm.unavailableReasonProperty().get()).isEqualTo("\"eth0 (watch only)\" only watches the network: it has no "
                + "stack of ours to ping from. Choose a network with a stack, such as the Simulated LAN.");
        assertThat(vm.canStartBinding().get()).isFalse();

        app.session.set(lan);
        assertThat(vm.unavailableReasonProperty().get()).isNull();
        assertThat(vm.canStartBinding().get()).isTrue();
    }

    @Test
    void aStackThatStoppedEndsTheRunWithANotification() {
        lan.stack().orElseThrow().close();

        startPinging("10.0.0.1", "3");
        ui.awaitUntil("the run ends", () -> !vm.runningProperty().get());

        assertThat(vm.messageProperty().get()).startsWith("Ping stopped: the stack refused the request: the stack on ours is closed");
        assertThat(app.errors).singleElement().asString().contains("Start the network again");
    }

    @Test
    void theDisplayFilterParses() throws Exception {
        assertThat(DisplayFilter.compile(PingViewModel.displayFilterFor(0x1a2b, 7)).text())
                .isEqualTo("icmp.ident == 0x1a2b && icmp.seq == 7");
    }

    /** The same LAN, as a network that suggests a peer (the app's networks do; TestLan does not). */
    private LabSession suggesting(String peer) {
        return new LabSession() {
            @Override
            public String name() {
                return "suggesting " + peer;
            }

            @Override
            public Optional<Ipv4Address> suggestedPeer() {
                return Optional.of(Ipv4Address.parse(peer));
            }

            @Override
            public Optional<StackRunner> stack() {
                return lan.stack();
            }

            @Override
            public void addCaptureListener(Consumer<CapturedFrame> listener) {
                lan.addCaptureListener(listener);
            }

            @Override
            public void removeCaptureListener(Consumer<CapturedFrame> listener) {
                lan.removeCaptureListener(listener);
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void theTargetOffersTheNetworksPeerUntilTheUserTypesAnother() {
        assertThat(vm.targetProperty().get()).as("TestLan suggests nobody").isEmpty();
        app.session.set(suggesting("10.0.0.1"));
        assertThat(vm.targetProperty().get()).isEqualTo("10.0.0.1");
        app.session.set(suggesting("10.0.0.3"));
        assertThat(vm.targetProperty().get()).as("the previous network's suggestion is replaced").isEqualTo("10.0.0.3");
        vm.targetProperty().set("10.0.0.9");
        app.session.set(suggesting("10.0.0.1"));
        assertThat(vm.targetProperty().get()).as("what the user typed is kept").isEqualTo("10.0.0.9");
        app.session.set(null);
        assertThat(vm.targetProperty().get()).isEqualTo("10.0.0.9");
    }
}
