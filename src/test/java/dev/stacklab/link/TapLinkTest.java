package dev.stacklab.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * TapLink on real TAP devices. The device this test creates is moved into a namespace the test made, where the
 * kernel gets its address: the TAP's file descriptor stays with this process across the move, so the test's own
 * namespace never gets an address or a route.
 */
class TapLinkTest {
    private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:43");

    @Test
    void aCreatedTapCarriesFramesBothWaysAfterItsDeviceMovesIntoANamespace() throws Exception {
        LinkTestNetwork.requireRealNetwork();
        try (LinkTestNetwork network = LinkTestNetwork.create()) {
            String name = "lkt" + network.tag;
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            BlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
            TapLink tap = TapLink.open(name);
            try {
                assertThat(tap.createdDevice()).isTrue();
                assertThat(tap.name()).isEqualTo(name);
                assertThat(tap.hardwareAddress()).isNull();
                assertThat(tap.mtu()).isEqualTo(1500);
                network.check("ip", "link", "set", name, "netns", network.namespace);
                network.configureKernelSide(name);
                MacAddress kernelMac = MacAddress.parse(network.macInside(name));
                tap.start((frame, length, time) -> received.add(frame), events::add);

                // Written by the link, answered by the kernel, read by the link.
                Ipv4Address ours = Ipv4Address.parse(network.linkAddress);
                Ipv4Address kernel = Ipv4Address.parse(network.kernelAddress);
                byte[] request = ArpFrames.request(OUR_MAC, ours, kernel);
                tap.send(request, 0, request.length);
                byte[] reply = PcapLinkTest.awaitFrame(received,
                        frame -> ArpFrames.isArp(frame) && ArpFrames.operation(frame) == ArpFrames.OPERATION_REPLY);
                assertThat(MacAddress.read(reply, 0)).isEqualTo(OUR_MAC);
                assertThat(ArpFrames.senderMac(reply)).isEqualTo(kernelMac);
                assertThat(ArpFrames.senderIp(reply)).isEqualTo(kernel);
                assertThat(events).isEmpty();
            } finally {
                long started = System.nanoTime();
                tap.close();
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            }
            // A device the link created lives only as long as the link.
            assertThat(network.runQuietly("ip", "-n", network.namespace, "link", "show", name).exitCode()).isNotZero();
        }
    }

    @Test
    void attachesToAnExistingPersistentTapWhichOutlivesTheLinkAndASecondAttachIsBusy() throws Exception {
        LinkTestNetwork.requireRealNetwork();
        try (LinkTestNetwork network = LinkTestNetwork.create()) {
            String name = "lkq" + network.tag;
            network.check("ip", "tuntap", "add", "dev", name, "mode", "tap");
            network.undoWith("ip", "link", "del", name);
            // It stays down and without addresses in this namespace: nothing is ever routed to it.
            network.runQuietly("sysctl", "-qw", "net.ipv6.conf." + name + ".disable_ipv6=1");
            try (TapLink tap = TapLink.open(name)) {
                assertThat(tap.createdDevice()).isFalse();
                assertThatThrownBy(() -> TapLink.open(name))
                        .isInstanceOf(LinkException.class)
                        .hasMessage("TAP device " + name + " is busy: another process already has it open"
                                + " (a single-queue TAP takes one reader)");
            }
            assertThat(network.runQuietly("ip", "link", "show", name).exitCode()).as("a persistent device stays").isZero();
        }
    }

    @Test
    void deletingTheDeviceIsReportedAsLinkDownAndSendsAreReportedAsFailures() throws Exception {
        LinkTestNetwork.requireRealNetwork();
        try (LinkTestNetwork network = LinkTestNetwork.create()) {
            String name = "lkd" + network.tag;
            network.check("ip", "tuntap", "add", "dev", name, "mode", "tap");
            network.undoWith("ip", "link", "del", name);
            network.runQuietly("sysctl", "-qw", "net.ipv6.conf." + name + ".disable_ipv6=1");
            BlockingQueue<LinkEvent> events = new LinkedBlockingQueue<>();
            try (TapLink tap = TapLink.open(name)) {
                tap.start((frame, length, time) -> { }, events::add);
                network.check("ip", "link", "del", name);
                LinkEvent down = events.poll(30, TimeUnit.SECONDS);
                assertThat(down).isNotNull();
                assertThat(down.kind()).isEqualTo(LinkEvent.Kind.LINK_DOWN);
                assertThat(down.message()).isEqualTo("reading from TAP device " + name
                        + " failed: File descriptor in bad state (the device was deleted)");
                byte[] frame = TestFrames.frame(MacAddress.BROADCAST, OUR_MAC, 1);
                tap.send(frame, 0, frame.length);
                LinkEvent failed = events.poll(30, TimeUnit.SECONDS);
                assertThat(failed).isNotNull();
                assertThat(failed.kind()).isEqualTo(LinkEvent.Kind.SEND_FAILED);
                assertThat(failed.message()).startsWith("cannot send a 60-byte frame on " + name + ": ");
                assertThat(failed.frame()).isEqualTo(frame);
            }
        }
    }

    @Test
    void anInterfaceThatIsNotATapIsRefusedByName() {
        LinkTestNetwork.requireRealNetwork();
        assertThatThrownBy(() -> TapLink.open("lo"))
                .isInstanceOf(LinkException.class)
                .hasMessage("interface lo exists but is not a TAP device (a TUN device or another kind of interface?);"
                        + " pick another name");
    }

    @Test
    void withoutCapNetAdminCreatingATapNamesSudoAndSetcap() {
        LinkTestNetwork.requireRealNetwork();
        String output = PcapLinkTest.runWithoutNetworkCapabilities("tap", "lknocap0");
        assertThat(output).contains("creating TAP device lknocap0 needs root or CAP_NET_ADMIN")
                .contains("sudo setcap cap_net_raw,cap_net_admin=eip " + Privileges.runningJava());
    }

    @Test
    void aNameTooLongForTheKernelIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> TapLink.open("a-name-much-too-long"))
                .isInstanceOf(LinkException.class)
                .hasMessage("'a-name-much-too-long' is not a valid interface name (1 to 15 characters)");
    }
}
