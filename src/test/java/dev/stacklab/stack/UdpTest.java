package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.UdpPacket;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_B;
import static dev.stacklab.stack.Frames.IP_PEER;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_PEER;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.SECOND;
import static dev.stacklab.stack.Frames.arpRequest;
import static dev.stacklab.stack.Frames.ipFrame;
import static dev.stacklab.stack.Frames.pattern;
import static dev.stacklab.stack.Frames.udpDatagram;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** UDP (RFC 768, RFC 1122 4.1.3): sockets, checksums, and port unreachable. */
class UdpTest {
    private record Received(Ipv4Address source, int sourcePort, String text) {
    }

    private record Error(Ipv4Address reportedBy, int type, int code, Ipv4Address destination, int destinationPort) {
    }

    private static final class Collecting implements UdpReceiver {
        final List<Received> received = new ArrayList<>();
        final List<Error> errors = new ArrayList<>();

        @Override
        public void received(UdpSocket socket, Ipv4Address source, int sourcePort, byte[] payload) {
            received.add(new Received(source, sourcePort, new String(payload, StandardCharsets.US_ASCII)));
        }

        @Override
        public void errorReceived(UdpSocket socket, Ipv4Address reportedBy, int icmpType, int icmpCode,
                                  Ipv4Address destination, int destinationPort) {
            errors.add(new Error(reportedBy, icmpType, icmpCode, destination, destinationPort));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void echoBetweenTwoStacks() {
        BackToBack net = new BackToBack(Frames.configA(), Frames.configB());
        net.b.stack.udpBind(7, (socket, source, port, payload) -> socket.send(source, port, payload, 0, payload.length));
        Collecting client = new Collecting();
        UdpSocket socket = net.a.stack.udpBind(0, client);

        socket.send(IP_B, 7, ascii("xhello, echox"), 1, 11);
        net.runUntil(SECOND);

        assertThat(socket.localPort()).isBetween(49152, 65535);
        assertThat(client.received).containsExactly(new Received(IP_B, 7, "hello, echo"));
        // Port 7 is Echo's (RFC 862), so the decoder names the protocol as tshark does.
        List<byte[]> datagrams = net.wire.stream().filter(f -> Frames.protocol(f).equals("ECHO")).toList();
        assertThat(datagrams).hasSize(2);
        assertThat(datagrams).allSatisfy(f -> {
            UdpPacket udp = Frames.udpOf(f);
            assertThat(udp.checksum()).isNotZero();
            assertThat(udp.checksumValid(Frames.ipv4(f).source(), Frames.ipv4(f).destination())).isTrue();
        });
        assertThat(Frames.info(datagrams.get(0))).isEqualTo("Request");
        assertThat(Frames.info(datagrams.get(1))).isEqualTo("Response");
        assertThat(net.b.counter("udp datagrams received")).isEqualTo(1);
        assertThat(net.a.counter("udp datagrams sent")).isEqualTo(1);
    }

    @Test
    void aClosedPortIsReportedToTheSenderThroughPortUnreachable() {
        BackToBack net = new BackToBack(Frames.configA(), Frames.configB());
        Collecting client = new Collecting();
        UdpSocket socket = net.a.stack.udpBind(5555, client);

        socket.send(IP_B, 9, ascii("anyone?"), 0, 7);
        net.runUntil(SECOND);

        assertThat(client.errors).containsExactly(new Error(IP_B, 3, 3, IP_B, 9));
        assertThat(net.a.recorder.of(StackEvent.IcmpErrorReceived.class)).singleElement()
                .satisfies(event -> assertThat(event.quotedDestinationPort()).isEqualTo(9));
        assertThat(net.b.recorder.drops(DropReason.PORT_UNREACHABLE)).hasSize(1);
        assertThat(net.b.counter("icmp errors sent")).isEqualTo(1);
    }

    @Test
    void aBadChecksumIsCountedAndNotDelivered() {
        Recorder.Host host = new Recorder.Host(Frames.configA());
        Collecting server = new Collecting();
        host.stack.udpBind(7, server);
        byte[] datagram = udpDatagram(IP_PEER, IP_A, 4000, 7, ascii("data"));
        datagram[20 + UdpPacket.CHECKSUM] ^= 0x40;

        assertThat(host.answer(ipFrame(MAC_A, MAC_PEER, datagram), MS)).isEmpty();
        assertThat(server.received).isEmpty();
        assertThat(host.counter("dropped: bad checksum")).isEqualTo(1);
    }

    @Test
    void checksumZeroMeansNoneAndIsAccepted() {
        Recorder.Host host = new Recorder.Host(Frames.configA());
        Collecting server = new Collecting();
        host.stack.udpBind(7, server);
        byte[] datagram = udpDatagram(IP_PEER, IP_A, 4000, 7, ascii("data"));
        datagram[20 + UdpPacket.CHECKSUM] = 0;
        datagram[20 + UdpPacket.CHECKSUM + 1] = 0;

        host.answer(ipFrame(MAC_A, MAC_PEER, datagram), MS);
        assertThat(server.received).containsExactly(new Received(IP_PEER, 4000, "data"));
    }

    @Test
    void bindingRules() {
        Recorder.Host host = new Recorder.Host(Frames.configA());
        UdpSocket seven = host.stack.udpBind(7, (s, a, p, d) -> { });
        assertThatThrownBy(() -> host.stack.udpBind(7, (s, a, p, d) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("7");
        UdpSocket first = host.stack.udpBind(0, (s, a, p, d) -> { });
        UdpSocket second = host.stack.udpBind(0, (s, a, p, d) -> { });
        // RFC 6056: random ephemeral ports (EphemeralPortsTest), never the one already bound.
        assertThat(first.localPort()).isBetween(49152, 65535);
        assertThat(second.localPort()).isBetween(49152, 65535).isNotEqualTo(first.localPort());

        seven.close();
        host.stack.udpBind(7, (s, a, p, d) -> { });
        assertThatThrownBy(() -> seven.send(IP_PEER, 7, new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void afterCloseTheNextDatagramGetsPortUnreachable() {
        Recorder.Host host = new Recorder.Host(Frames.configA());
        host.answer(arpRequest(MAC_PEER, IP_PEER, IP_A), 0);
        Collecting server = new Collecting();
        UdpSocket socket = host.stack.udpBind(7, server);
        host.answer(ipFrame(MAC_A, MAC_PEER, udpDatagram(IP_PEER, IP_A, 4000, 7, ascii("one"))), MS);
        socket.close();
        List<byte[]> sent = host.answer(ipFrame(MAC_A, MAC_PEER, udpDatagram(IP_PEER, IP_A, 4000, 7, ascii("two"))), 2 * MS);

        assertThat(server.received).extracting(Received::text).containsExactly("one");
        assertThat(sent).extracting(Frames::info).singleElement().asString().startsWith("Destination unreachable (Port unreachable)");
    }

    @Test
    void aLargeDatagramIsFragmentedAndReassembled() {
        BackToBack net = new BackToBack(Frames.configA(), Frames.configB());
        List<Integer> sizes = new ArrayList<>();
        net.b.stack.udpBind(9, (socket, source, port, payload) -> sizes.add(payload.length));
        UdpSocket socket = net.a.stack.udpBind(0, (s, a, p, d) -> { });
        socket.send(IP_B, 9, pattern(8000), 0, 8000);
        net.runUntil(SECOND);
        assertThat(sizes).containsExactly(8000);
        assertThat(net.a.counter("ipv4 fragments sent")).isEqualTo(6);
    }
}
