package dev.stacklab.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import dev.stacklab.testsupport.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * PcapLink on a real veth: the link's end stays in the test's own namespace without any address (so its kernel
 * never answers for the link), the peer end is in a namespace the test made, where the kernel has an address.
 */
class PcapLinkTest {
    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:42");
    private static final MacAddress ANOTHER_SENDER = MacAddress.parse("02:00:00:00:00:44");

    /** A veth pair: {@code outside} here, for the link; {@code inside} in the namespace, with the kernel's address. */
    private static String[] vethInto(LinkTestNetwork network) {
        String outside = "lkp" + network.tag + "o";
        String inside = "lkp" + network.tag + "i";
        network.check("ip", "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", network.namespace);
        // Deleting the namespace deletes the pair too; this covers a test that moved or kept the outside end.
        network.undoWith("ip", "link", "del", outside);
        network.configureKernelSide(inside);
        network.runQuietly("sysctl", "-qw", "net.ipv6.conf." + outside + ".disable_ipv6=1");
        network.check("ip", "link", "set", outside, "up");
        return new String[] {outside, inside};
    }

    @Test
    void anArpRequestSentOnTheLinkGetsTheKernelsReplyAndOwnFramesAreNotCapturedBack() throws Exception {
        LinkTestNetwork.requireRealNetwork();
        try (LinkTestNetwork network = LinkTestNetwork.create()) {
            String[] veth = vethInto(network);
            MacAddress kernelMac = MacAddress.parse(network.macInside(veth[1]));
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            // Per frame (arrays hash by identity): its stamp, and the time the receiver was called.
            Map<byte[], long[]> stamps = new ConcurrentHashMap<>();
            List<LinkEvent> events = new CopyOnWriteArrayList<>();
            try (PcapLink link = PcapLink.open(veth[0])) {
                assertThat(link.name()).isEqualTo(veth[0]);
                assertThat(link.mtu()).isEqualTo(1500);
                assertThat(link.hardwareAddress()).isNotNull().isNotEqualTo(OUR_MAC);
                link.start((frame, length, time) -> {
                    assertThat(length).isEqualTo(frame.length);
                    stamps.put(frame, new long[] {time, System.nanoTime()});
                    received.add(frame);
                }, events::add);

                Ipv4Address ours = Ipv4Address.parse(network.linkAddress);
                Ipv4Address kernel = Ipv4Address.parse(network.kernelAddress);
                byte[] request = ArpFrames.request(OUR_MAC, ours, kernel);
                // Sent from an offset, as a stack that reserves headroom would.
                byte[] buffer = new byte[request.length + 4];
                System.arraycopy(request, 0, buffer, 4, request.length);
                long sentAt = System.nanoTime();
                link.send(buffer, 4, request.length);

                byte[] reply = awaitFrame(received, frame -> ArpFrames.isArp(frame) && ArpFrames.operation(frame) == ArpFrames.OPERATION_REPLY);
                // Unicast to our MAC, which the interface does not have: only a promiscuous handle sees it.
                assertThat(MacAddress.read(reply, 0)).isEqualTo(OUR_MAC);
                assertThat(ArpFrames.senderMac(reply)).isEqualTo(kernelMac);
                assertThat(ArpFrames.senderIp(reply)).isEqualTo(kernel);
                assertThat(ArpFrames.targetIp(reply)).isEqualTo(ours);
                // Stamped with the kernel's capture time on the nanoTime scale: after the request went out, and no
                // later than the reader thread handed the frame over.
                long[] stamp = stamps.get(reply);
                assertThat(stamp[0]).isBetween(sentAt, stamp[1]);

                // Direction IN: frames going out of the interface are not received, neither ours nor those that
                // another program (here a second handle; on a shared interface, the host itself) sends.
                try (PcapLink anotherProgram = PcapLink.open(veth[0])) {
                    byte[] outgoing = TestFrames.frame(MacAddress.BROADCAST, ANOTHER_SENDER, 1);
                    anotherProgram.send(outgoing, 0, outgoing.length);
                }
                Thread.sleep(200);
                List<byte[]> all = new ArrayList<>(received);
                assertThat(all).noneSatisfy(frame -> assertThat(MacAddress.read(frame, 6)).isIn(OUR_MAC, ANOTHER_SENDER));
                assertThat(events).isEmpty();
            }
        }
    }

    interface FramePredicate {
        boolean test(byte[] frame);
    }

    /** The first frame {@code wanted} takes, within 30 s (generous: the reader thread may be held back on a loaded machine). */
    static byte[] awaitFrame(BlockingQueue<byte[]> received, FramePredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<byte[]> others = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            byte[] frame = received.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && wanted.test(frame)) {
                received.addAll(others);
                return frame;
            }
            if (frame != null) {
                others.add(frame);
            }
        }
        throw new AssertionError("the expected frame did not arrive within 30 s; " + others.size() + " others did");
    }

    @Test
    void removingTheInterfaceIsReportedAsLinkDownAndCloseStillReturnsWithinASecond() throws Exception {
        LinkTestNetwork.requireRealNetwork();
        try (LinkTestNetwork network = LinkTestNetwork.create()) {
            String[] veth = vethInto(network);
            BlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
            PcapLink link = PcapLink.open(veth[0]);
            try {
                link.start((frame, length, time) -> { }, events::add);
                network.check("ip", "link", "del", veth[0]);
                LinkEvent event = events.poll(30, TimeUnit.SECONDS);
                assertThat(event).isNotNull();
                assertThat(event.kind()).isEqualTo(LinkEvent.Kind.LINK_DOWN);
                assertThat(event.message()).startsWith("capture on " + veth[0] + " stopped: ");
                // Sending on the dead link is reported, not thrown.
                byte[] frame = TestFrames.frame(MacAddress.BROADCAST, OUR_MAC, 1);
                link.send(frame, 0, frame.length);
                assertThat(events.poll(30, TimeUnit.SECONDS)).satisfies(failure -> {
                    assertThat(failure.kind()).isEqualTo(LinkEvent.Kind.SEND_FAILED);
                    assertThat(failure.message()).startsWith("cannot send a 60-byte frame on " + veth[0] + ": ");
                });
            } finally {
                long started = System.nanoTime();
                link.close();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void closeStopsTheReaderWithinASecondOnAQuietInterface() throws Exception {
        LinkTestNetwork.requireRealNetwork();
        try (LinkTestNetwork network = LinkTestNetwork.create()) {
            String[] veth = vethInto(network);
            PcapLink link = PcapLink.open(veth[0]);
            link.start((frame, length, time) -> { }, LinkEventListener.IGNORE);
            Thread.sleep(100);
            long started = System.nanoTime();
            link.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            assertThat(Thread.getAllStackTraces().keySet())
                    .noneSatisfy(thread -> assertThat(thread.getName()).isEqualTo("stacklab-pcap-" + veth[0]));
        }
    }

    @Test
    void anUnknownInterfaceIsNamedWithTheInterfacesThereAre() {
        assertThatThrownBy(() -> PcapLink.open("nosuchif0"))
                .isInstanceOf(LinkException.class)
                .hasMessageStartingWith("no interface named 'nosuchif0'; interfaces here: ")
                .hasMessageContaining("lo");
    }

    @Test
    void withoutCapNetRawTheMessageNamesSudoAndSetcap() {
        LinkTestNetwork.requireRealNetwork();
        String output = runWithoutNetworkCapabilities("pcap", "lo");
        assertThat(output).contains("root or CAP_NET_RAW is needed")
                .contains("sudo setcap cap_net_raw,cap_net_admin=eip " + Privileges.runningJava());
    }

    /** Runs {@link LinkOpenProbe} in a JVM whose capability bounding set lacks CAP_NET_RAW and CAP_NET_ADMIN. */
    static String runWithoutNetworkCapabilities(String kind, String name) {
        List<String> command = List.of("setpriv", "--bounding-set=-net_raw,-net_admin", "--inh-caps=-net_raw,-net_admin",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LinkOpenProbe.class.getName(), kind, name);
        Processes.Result result = Processes.run(command, 60);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        return result.stdout() + result.stderr();
    }
}
