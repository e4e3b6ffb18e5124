package dev.stacklab.app.udp;

import dev.stacklab.app.TestContext;
import dev.stacklab.app.TestInbox;
import dev.stacklab.app.TestLan;
import dev.stacklab.app.TestPatience;
import dev.stacklab.app.udp.UdpViewModel.DatagramRow;
import dev.stacklab.stack.UdpSocket;
import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The UDP pane's view-model against a real stack: datagrams to the peer's echo service (RFC 862) and back. */
class UdpViewModelTest {
    private final TestLan lan = new TestLan();
    private final TestContext app = new TestContext(lan);
    private final TestInbox ui = new TestInbox();
    private final UdpViewModel vm = new UdpViewModel(app.context, ui.pump());

    @AfterEach
    void close() {
        lan.close();
    }

    private void send(String ip, String port, String payload) {
        vm.destinationProperty().set(ip);
        vm.destinationPortProperty().set(port);
        vm.payloadProperty().set(payload);
        vm.send();
    }

    @Test
    void aTextDatagramToTheEchoPeerComesBack() {
        send("10.0.0.1", "7", "hello, echo");

        ui.awaitUntil("the echo", () -> !vm.received().isEmpty());

        DatagramRow row = vm.received().get(0);
        assertThat(row.source()).isEqualTo("10.0.0.1:7");
        assertThat(row.length()).isEqualTo(11);
        assertThat(row.text()).isEqualTo("hello, echo");
        assertThat(row.hex()).isEqualTo("68 65 6c 6c 6f 2c 20 65 63 68 6f");
        assertThat(row.time()).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        int port = vm.boundPortProperty().get();
        assertThat(port).isBetween(49152, 65535);
        assertThat(vm.statusProperty().get()).isEqualTo("Bound to UDP port " + port);
        assertThat(vm.resultProperty().get()).isEqualTo("Sent 11 bytes to 10.0.0.1:7 from port " + port);
    }

    @Test
    void aSendWhileThePortIsStillBeingBoundShowsTheSendNotTheBind() {
        vm.bindPortProperty().set("5002");
        vm.bind();
        // Not waiting for the bind: the send rides on the same binding, whose callbacks may run in either order.
        send("10.0.0.1", "7", "right behind");

        ui.awaitUntil("the echo", () -> !vm.received().isEmpty());

        assertThat(vm.boundPortProperty().get()).isEqualTo(5002);
        assertThat(vm.resultProperty().get()).isEqualTo("Sent 12 bytes to 10.0.0.1:7 from port 5002");
    }

    @Test
    void aHexDatagramIsSentAsItsBytes() {
        vm.payloadIsHexProperty().set(true);
        send("10.0.0.1", "7", "de ad be ef 00");

        ui.awaitUntil("the echo", () -> !vm.received().isEmpty());

        assertThat(vm.received().get(0).hex()).isEqualTo("de ad be ef 00");
        assertThat(vm.received().get(0).text()).isEqualTo(".....");
    }

    @Test
    void aBoundPortReceivesWhatThePeerSends() throws Exception {
        vm.bindPortProperty().set("5000");
        vm.bind();
        ui.awaitUntil("bound", () -> vm.boundPortProperty().get() == 5000);

        UdpSocket peer = lan.peer().runner().udpBind(4000, (socket, source, port, payload) -> { }).get(TestPatience.SECONDS, TimeUnit.SECONDS);
        byte[] bytes = "from the peer".getBytes(StandardCharsets.US_ASCII);
        peer.send(Ipv4Address.parse("10.0.0.2"), 5000, bytes, 0, bytes.length);

        ui.awaitUntil("the datagram", () -> !vm.received().isEmpty());
        assertThat(vm.received().get(0).source()).isEqualTo("10.0.0.1:4000");
        assertThat(vm.received().get(0).text()).isEqualTo("from the peer");
        assertThat(vm.receivedCountProperty().get()).isEqualTo(1);
    }

    @Test
    void aClosedPortAtThePeerIsReported() {
        send("10.0.0.1", "9", "anyone?");

        ui.awaitUntil("the ICMP error", () -> vm.messageProperty().get() != null);

        assertThat(vm.messageProperty().get())
                .isEqualTo("10.0.0.1 answered 10.0.0.1:9 with port 9 unreachable: nothing listens there");
    }

    @Test
    void aPortTakenIsAMessageAndANotification() {
        vm.bindPortProperty().set("5001");
        vm.bind();
        ui.awaitUntil("bound", () -> vm.boundPortProperty().get() == 5001);
        UdpViewModel other = new UdpViewModel(app.context, ui.pump());
        other.bindPortProperty().set("5001");

        other.bind();
        ui.awaitUntil("the failure", () -> other.messageProperty().get() != null);

        assertThat(other.messageProperty().get()).startsWith("UDP port 5001 could not be bound: ");
        assertThat(app.errors).singleElement().asString().endsWith("| Choose another port, or 0 for a free one.");
    }

    @Test
    void badInputIsAMessage() {
        assertThat(messageFor("", "7", "x")).isEqualTo("Destination: enter an IPv4 address such as 10.0.0.1");
        assertThat(messageFor("10.0.0.300", "7", "x"))
                .isEqualTo("Destination: '10.0.0.300' is not an IPv4 address (expected four numbers 0-255 like 10.0.0.1)");
        assertThat(messageFor("10.0.0.1", "70000", "x")).isEqualTo("Port: '70000' is not a port number (1-65535)");
        assertThat(messageFor("10.0.0.1", "0", "x")).isEqualTo("Port: '0' is not a port number (1-65535)");
        assertThat(messageFor("10.0.0.1", "", "x")).isEqualTo("Port: enter a port number (1-65535)");
        vm.payloadIsHexProperty().set(true);
        assertThat(messageFor("10.0.0.1", "7", "4g"))
                .isEqualTo("Payload: 'g' at character 2 is not a hex digit (write bytes as pairs of 0-9 and a-f, e.g. 48 69)");
        assertThat(messageFor("10.0.0.1", "7", "abc")).isEqualTo("Payload: hex needs two digits per byte, but 3 digits were given");
        vm.payloadIsHexProperty().set(false);
        assertThat(messageFor("10.0.0.1", "7", "x".repeat(65508)))
                .isEqualTo("Payload: 65508 bytes is more than one UDP datagram carries (65507)");
        vm.bindPortProperty().set("70000");
        vm.bind();
        assertThat(vm.messageProperty().get()).isEqualTo("Local port: '70000' is not a port number (0-65535, 0 picks a free one)");
        assertThat(vm.boundPortProperty().get()).isEqualTo(-1);

        app.session.set(TestLan.watchOnly("eth0 (watch only)"));
        assertThat(messageFor("10.0.0.1", "7", "x")).startsWith("\"eth0 (watch only)\" only watches the network: it has no stack of ours to send UDP from.");
        assertThat(vm.availableBinding().get()).isFalse();
    }

    private String messageFor(String ip, String port, String payload) {
        send(ip, port, payload);
        return vm.messageProperty().get();
    }

    @Test
    void longDatagramsShowTheirStart() {
        DatagramRow row = UdpViewModel.row(0, Ipv4Address.parse("10.0.0.1"), 7, new byte[1000]);
        assertThat(row.length()).isEqualTo(1000);
        assertThat(row.text()).hasSize(UdpViewModel.SHOWN_BYTES + 1).endsWith("…");
    }
}
