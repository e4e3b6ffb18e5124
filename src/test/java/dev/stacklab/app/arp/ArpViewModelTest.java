package dev.stacklab.app.arp;

import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestInbox;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.arp.ArpViewModel.NeighborRow;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.dissect.Dissector;
import dev.stacklab.runtime.Host;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The ARP pane's view-model against a real stack on a simulated LAN in real time. */
class ArpViewModelTest {
    private final TestLan lan = new TestLan();
    private final TestContext app = new TestContext(lan);
    private final TestInbox ui = new TestInbox();
    private final ArpViewModel vm = new ArpViewModel(app.context, ui.pump());

    @AfterEach
    void close() {
        lan.close();
    }

    private NeighborRow rowOf(String ip) {
        return vm.rows().stream().filter(row -> row.ip().equals(ip)).findFirst().orElse(null);
    }

    private void resolve(String address) {
        vm.addressProperty().set(address);
        vm.resolve();
        ui.awaitUntil("the resolve ends", () -> !vm.resolvingProperty().get());
    }

    @Test
    void resolvingThePeerAddsALiveRowWithItsVendorName() {
        List<String> captured = new CopyOnWriteArrayList<>();
        Dissector dissector = new Dissector();
        lan.addCaptureListener(frame -> captured.add(dissector.summarize(frame.timestampNanos(), frame.bytes(),
                frame.bytes().length, frame.originalLength()).info()));

        resolve("10.0.0.1");

        assertThat(vm.resultProperty().get()).isEqualTo("10.0.0.1 is at 00:1b:21:ab:cd:ef (IntelCor_ab:cd:ef)");
        // The row appears INCOMPLETE with the request, and turns REACHABLE with the reply.
        ui.awaitUntil("the reachable row", () -> rowOf("10.0.0.1") != null && rowOf("10.0.0.1").state().equals("REACHABLE"));
        NeighborRow row = rowOf("10.0.0.1");
        assertThat(row.mac()).isEqualTo("00:1b:21:ab:cd:ef");
        assertThat(row.vendor()).isEqualTo("IntelCor_ab:cd:ef");
        assertThat(row.state()).isEqualTo("REACHABLE");
        assertThat(row.age()).matches("\\d\\.\\d s");
        assertThat(row.expiresIn()).matches("(59|60) s|5\\d s");
        assertThat(row.warning()).isFalse();
        assertThat(captured).contains("Who has 10.0.0.1? Tell 10.0.0.2", "10.0.0.1 is at 00:1b:21:ab:cd:ef");
    }

    @Test
    void agesGrowOnRefresh() {
        resolve("10.0.0.1");
        ui.awaitUntil("the row", () -> rowOf("10.0.0.1") != null && rowOf("10.0.0.1").state().equals("REACHABLE"));
        long firstAge = vm.lastSnapshot().orElseThrow().ageNanos(vm.lastSnapshot().orElseThrow().entries().get(0));
        NeighborRow before = rowOf("10.0.0.1");

        ui.awaitUntil("an older age after a refresh", () -> {
            vm.refresh();
            var snapshot = vm.lastSnapshot().orElseThrow();
            return snapshot.ageNanos(snapshot.entries().get(0)) >= firstAge + 300_000_000L;
        });
        assertThat(rowOf("10.0.0.1").age()).matches("0\\.[3-9] s|\\d\\.\\d s");
        // Updated in place: a row the user selected stays selected while its age ticks.
        assertThat(rowOf("10.0.0.1")).isSameAs(before);
    }

    /**
     * A Flush pressed while a resolve is under way usually answers first (the entry being resolved is waited on, so
     * kept: "Flushed 0 entries"); the resolve's answer, arriving after, must not replace the Flush's result, the later
     * action's. Should the resolve end first on a stalled machine, the Flush's result comes last anyway.
     */
    @Test
    void aResolveThatEndsAfterALaterFlushDoesNotReplaceItsResult() {
        vm.addressProperty().set("10.0.0.1");
        vm.resolve();
        vm.flush();
        ui.awaitUntil("the resolve and the flush ended", () -> !vm.resolvingProperty().get()
                && vm.resultProperty().get() != null && vm.resultProperty().get().startsWith("Flushed"));
        ui.drain();
        assertThat(vm.resultProperty().get()).matches("Flushed (0 entries|1 entry)");
        assertThat(vm.messageProperty().get()).isNull();
    }

    @Test
    void flushEmptiesTheTable() {
        resolve("10.0.0.1");
        ui.awaitUntil("the row", () -> !vm.rows().isEmpty());

        vm.flush();
        ui.awaitUntil("an empty table", () -> vm.rows().isEmpty() && vm.resultProperty().get() != null);

        assertThat(vm.resultProperty().get()).isEqualTo("Flushed 1 entry");
    }

    @Test
    void nobodyAnsweringIsAMessage() {
        resolve("10.0.0.99");

        assertThat(vm.messageProperty().get()).isEqualTo("No ARP reply from 10.0.0.99 after 3 requests");
        ui.awaitUntil("the failed row", () -> rowOf("10.0.0.99") != null && rowOf("10.0.0.99").state().equals("FAILED"));
    }

    @Test
    void aNeighborChangingItsMacIsAWarningRow() {
        resolve("10.0.0.1");
        ui.awaitUntil("the row", () -> rowOf("10.0.0.1") != null && rowOf("10.0.0.1").state().equals("REACHABLE"));

        // Another station takes the peer's address; its announcement at start updates our cache (RFC 826 merge).
        Host impostor = lan.addHost("impostor", Ipv4Cidr.parse("10.0.0.1/24"), MacAddress.parse("02:66:66:66:66:66"));
        ui.awaitUntil("the warning", () -> vm.latestWarningProperty().get() != null
                && rowOf("10.0.0.1").mac().equals("02:66:66:66:66:66"));

        assertThat(vm.latestWarningProperty().get()).isEqualTo("10.0.0.1 moved from 00:1b:21:ab:cd:ef (IntelCor_ab:cd:ef) "
                + "to 02:66:66:66:66:66: another host now answers for it");
        assertThat(rowOf("10.0.0.1").warning()).isTrue();
        assertThat(rowOf("10.0.0.1").vendor()).isEqualTo("(locally administered)");
        assertThat(impostor.runner().isRunning()).isTrue();
    }

    @Test
    void anotherHostClaimingOurAddressIsAWarningAndANotification() {
        lan.addHost("duplicate", Ipv4Cidr.parse("10.0.0.2/24"), MacAddress.parse("02:77:77:77:77:77"));

        ui.awaitUntil("the conflict", () -> vm.latestWarningProperty().get() != null);

        assertThat(vm.latestWarningProperty().get())
                .isEqualTo("02:77:77:77:77:77 claims our address 10.0.0.2 (address conflict, RFC 5227)");
        assertThat(app.errors).containsExactly("02:77:77:77:77:77 claims our address 10.0.0.2 | "
                + "Give our host another address, or stop the other host using it.");
    }

    @Test
    void announcingSendsAGratuitousArp() {
        List<CapturedFrame> sent = new CopyOnWriteArrayList<>();
        lan.addCaptureListener(frame -> {
            if (frame.direction() == CapturedFrame.Direction.OUT) {
                sent.add(frame);
            }
        });
        Dissector dissector = new Dissector();

        vm.announce();
        ui.awaitUntil("the announcement", () -> vm.resultProperty().get() != null && !sent.isEmpty());

        assertThat(vm.resultProperty().get())
                .isEqualTo("Announced 10.0.0.2 is at 00:1b:21:12:34:56 (IntelCor_12:34:56) (gratuitous ARP)");
        CapturedFrame frame = sent.get(0);
        assertThat(dissector.summarize(0, frame.bytes(), frame.bytes().length, frame.originalLength()).info())
                .isEqualTo("ARP Announcement for 10.0.0.2");
    }

    @Test
    void badInputAndNoStackAreMessages() {
        assertThat(messageFor("")).isEqualTo("Address: enter an IPv4 address such as 10.0.0.1");
        assertThat(messageFor("10.0.0"))
                .isEqualTo("Address: '10.0.0' is not an IPv4 address (expected four numbers 0-255 like 10.0.0.1)");
        assertThat(messageFor("192.168.1.5"))
                .isEqualTo("Address: 192.168.1.5 is not on our subnet 10.0.0.2/24; ARP only reaches the local link");
        assertThat(vm.resolvingProperty().get()).isFalse();

        app.session.set(TestLan.watchOnly("eth0 (watch only)"));
        assertThat(vm.availableBinding().get()).isFalse();
        assertThat(messageFor("10.0.0.1")).startsWith("\"eth0 (watch only)\" only watches the network");
        vm.flush();
        vm.announce();
        assertThat(vm.messageProperty().get()).startsWith("\"eth0 (watch only)\" only watches the network");
        app.session.set(null);
        assertThat(vm.unavailableReasonProperty().get()).startsWith("No network is running");
    }

    private String messageFor(String address) {
        vm.addressProperty().set(address);
        vm.resolve();
        return vm.messageProperty().get();
    }

    @Test
    void durationsReadShort() {
        assertThat(ArpViewModel.duration(400_000_000L)).isEqualTo("0.4 s");
        assertThat(ArpViewModel.duration(12_300_000_000L)).isEqualTo("12 s");
        assertThat(ArpViewModel.duration(184_000_000_000L)).isEqualTo("3 min 04 s");
        assertThat(ArpViewModel.duration(Duration.ofMinutes(125).toNanos())).isEqualTo("2 h 05 min");
    }
}
