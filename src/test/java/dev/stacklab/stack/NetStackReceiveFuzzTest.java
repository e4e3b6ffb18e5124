package dev.stacklab.stack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stacklab.stack.tcp.TcpConfig;
import dev.stacklab.stack.tcp.TcpConnection;
import dev.stacklab.stack.tcp.TcpLayer;
import dev.stacklab.stack.tcp.TcpListener;
import dev.stacklab.stack.tcp.TcpSnapshot;
import dev.stacklab.stack.tcp.TcpState;
import dev.stacklab.wire.TcpSeqNumber;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static dev.stacklab.stack.Frames.IP_A;
import static dev.stacklab.stack.Frames.IP_B;
import static dev.stacklab.stack.Frames.MAC_A;
import static dev.stacklab.stack.Frames.MAC_B;
import static dev.stacklab.stack.Frames.MS;
import static dev.stacklab.stack.Frames.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever bytes arrive as a frame, {@link NetStack#receive} takes them without an exception (damage is a counted
 * drop), and afterwards the stack still answers a ping. The stack under test (10.0.0.2) runs TCP with a listener on
 * port 80 holding an established connection from 10.0.0.1, and a UDP socket on port 7, so that frames aimed at
 * them reach the transports' state. The input goes in as one frame, then cut into frames by two-byte length
 * prefixes, so that IP fragments and TCP segments meet. The seed inputs are real frames: the {@code conversation-*}
 * files are {@link #seedFrames}' frames to our stack (the fixture's seeded ISNs make their sequence numbers fit), one
 * per file and all in one prefixed; the others are frames built with {@link Frames} (ARP request, ping, UDP in two
 * fragments, ICMP errors quoting a segment of ours).
 *
 * <p>Under {@code mvn verify} this replays the inputs in
 * {@code src/test/resources/dev/stacklab/stack/NetStackReceiveFuzzTestInputs/anyFrame/};
 * {@code JAZZER_FUZZ=1 mvn -o test -Dtest=NetStackReceiveFuzzTest} fuzzes for {@code maxDuration}.
 */
class NetStackReceiveFuzzTest {
    static final int HTTP = 80;
    static final int ECHO = 7;
    static final TcpConfig CONFIG = TcpConfig.defaults().withBuffers(8192, 8192).withLimits(8, 16);

    /** Our stack (B) with a connection from the peer (A) established and a few bytes exchanged both ways. */
    record Fixture(BackToBack network, Recorder.Host ours, TcpLayer tcp, TcpConnection accepted, TcpConnection peer) {
        static Fixture start() {
            BackToBack network = new BackToBack(Frames.configA().withEntropy(Entropy.seeded(1)),
                    Frames.configB().withEntropy(Entropy.seeded(2)));
            TcpLayer peerTcp = TcpLayer.install(network.a.stack, CONFIG);
            TcpLayer ourTcp = TcpLayer.install(network.b.stack, CONFIG);
            network.b.stack.udpBind(ECHO, (source, sourcePort, data, now) -> { });
            TcpListener listener = ourTcp.listen(HTTP, 4);
            TcpConnection peer = peerTcp.connect(IP_B, HTTP, 0, network.now());
            network.runUntil(network.now() + 10 * MS);
            TcpConnection accepted = listener.accept();
            assertThat(accepted).as("the fixture's handshake").isNotNull();
            byte[] request = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            peer.send(request, 0, request.length);
            accepted.send(request, 0, 4);
            network.runUntil(network.now() + 100 * MS);
            assertThat(accepted.receive(new byte[64], 0, 64)).isEqualTo(request.length);
            return new Fixture(network, network.b, ourTcp, accepted, peer);
        }
    }

    @FuzzTest(maxDuration = "60s")
    void anyFrame(byte[] input) {
        Fixture fixture = Fixture.start();
        Recorder.Host ours = fixture.ours();
        long now = fixture.network().now();
        long received = ours.stack.counters().get(Counter.FRAMES_RECEIVED);
        ours.receive(input, now);
        ours.poll(now);
        int frames = 1;
        for (int position = 0; position + 2 <= input.length; ) {
            int length = Math.min((input[position] & 0xFF) << 8 | input[position + 1] & 0xFF, input.length - position - 2);
            byte[] frame = Arrays.copyOfRange(input, position + 2, position + 2 + length);
            now += MS;
            ours.receive(frame, now);
            ours.poll(now);
            frames++;
            position += 2 + length;
        }
        assertThat(ours.stack.counters().get(Counter.FRAMES_RECEIVED) - received).as("frames counted").isEqualTo(frames);
        for (TcpConnection connection : fixture.tcp().engine().connections()) {
            TcpSnapshot snapshot = connection.snapshot();
            assertThat(TcpSeqNumber.atOrBefore(snapshot.sendUnacknowledged().bits(), snapshot.sendNext().bits()))
                    .as("SND.UNA <= SND.NXT in %s", snapshot).isTrue();
            assertThat(connection.available()).isBetween(0, CONFIG.receiveBufferSize());
        }
        assertThat(fixture.tcp().engine().connections().size()).isLessThanOrEqualTo(CONFIG.maximumConnections());
        assertThat(answersPing(ours, now + SECOND)).as("the stack still answers a ping").isTrue();
    }

    /**
     * Sends an echo request from 10.0.0.1 and looks for the reply among what the stack sends, answering its ARP
     * requests for 10.0.0.1 on the way (the input may have left the neighbor entry in any state).
     */
    static boolean answersPing(Recorder.Host ours, long start) {
        byte[] request = Frames.ipFrame(MAC_B, MAC_A, Frames.echoRequestDatagram(IP_A, IP_B, 0x5151, 7, Frames.pattern(32)));
        List<byte[]> sent = ours.answer(request, start);
        for (long now = start; now < start + 5 * SECOND; now += 100 * MS) {
            for (byte[] frame : sent) {
                if (isEchoReply(frame)) {
                    return true;
                }
                if (Frames.info(frame).startsWith("Who has 10.0.0.1?")) {
                    ours.receive(Frames.arpReply(MAC_A, IP_A, MAC_B, IP_B), now);
                }
            }
            sent = ours.poll(now + 100 * MS);
        }
        return false;
    }

    private static boolean isEchoReply(byte[] frame) {
        if (frame.length < 14 + 20 + 8 || frame[12] != 0x08 || frame[13] != 0x00 || frame[14 + 9] != 1) {
            return false;
        }
        int icmp = 14 + (frame[14] & 0x0F) * 4;
        return frame[icmp] == 0 && (frame[icmp + 4] & 0xFF) == 0x51 && (frame[icmp + 5] & 0xFF) == 0x51
                && dev.stacklab.wire.Ipv4Address.read(frame, 30).equals(IP_A);
    }

    /** The fixture's conversation from its first ARP request, continued to both FINs: every frame, for the seed inputs. */
    static List<byte[]> seedFrames() {
        Fixture fixture = Fixture.start();
        BackToBack network = fixture.network();
        byte[] data = Frames.pattern(3000);
        fixture.peer().send(data, 0, data.length);
        fixture.accepted().send(data, 0, 2000);
        network.runUntil(network.now() + 500 * MS);
        fixture.peer().close();
        network.runUntil(network.now() + 500 * MS);
        fixture.accepted().close();
        network.runUntil(network.now() + 500 * MS);
        assertThat(fixture.accepted().state()).isEqualTo(TcpState.CLOSED);
        return network.wire;
    }
}
