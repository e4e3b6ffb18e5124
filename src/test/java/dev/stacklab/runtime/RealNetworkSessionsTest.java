package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.InterfaceInfo;
import dev.stacklab.link.LinkException;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The app's real networks against the real Linux kernel: the lab network, a veth this test makes (one end here,
 * the kernel's end in a namespace of its own) for the interface and watch-only sessions, and a TAP device. Root
 * only; run under {@code flock /tmp/stacklab-net.lock} (the lab network's names are fixed). Traffic goes only to
 * addresses inside what the test made.
 */
class RealNetworkSessionsTest {
    private final Deque<List<String>> cleanup = new ArrayDeque<>();
    private final List<CapturedFrame> captured = new CopyOnWriteArrayList<>();
    private final String tag = Integer.toHexString(0x1000 + ThreadLocalRandom.current().nextInt(0xF000));
    private final int subnet = 200 + ThreadLocalRandom.current().nextInt(50);

    @BeforeEach
    void requireRealNetwork() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip");
        Prerequisites.requireCommand("ping");
    }

    @AfterEach
    void removeWhatTheTestMade() {
        while (!cleanup.isEmpty()) {
            Processes.run(cleanup.pop(), 30);
        }
    }

    private String run(String... command) {
        return Processes.run(List.of(command), 30).orThrow(List.of(command)).stdout();
    }

    /** A veth: {@code here} in this namespace (up, no address), its peer in a new namespace with {@code .2/24}. */
    private record Veth(String here, String namespace, Ipv4Address kernelAddress) {
    }

    private Veth makeVeth() {
        String namespace = "sn-" + tag;
        String here = "sn" + tag + "a";
        run("ip", "netns", "add", namespace);
        cleanup.push(List.of("ip", "netns", "del", namespace));
        run("ip", "link", "add", here, "type", "veth", "peer", "name", "sn" + tag + "b", "netns", namespace);
        cleanup.push(List.of("ip", "link", "del", here));
        Processes.run(List.of("sysctl", "-qw", "net.ipv6.conf." + here + ".disable_ipv6=1"), 30);
        // Our stack shares the veth's MAC with this kernel: it must neither answer ARP for nor route what is ours.
        run("sysctl", "-qw", "net.ipv4.conf." + here + ".arp_ignore=1");
        run("sysctl", "-qw", "net.ipv4.conf." + here + ".forwarding=0");
        run("ip", "link", "set", here, "up");
        for (String key : new String[] {"all", "default"}) {
            run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf." + key + ".disable_ipv6=1");
        }
        run("ip", "-n", namespace, "addr", "add", "10." + subnet + ".0.2/24", "dev", "sn" + tag + "b");
        run("ip", "-n", namespace, "link", "set", "sn" + tag + "b", "up");
        Processes.run(List.of("ip", "netns", "exec", namespace, "ethtool", "-K", "sn" + tag + "b", "tx", "off"), 30);
        return new Veth(here, namespace, Ipv4Address.parse("10." + subnet + ".0.2"));
    }

    /** A ping that must be answered: a generous timeout, as a loaded machine may hold the runner back a while. */
    private static PingOutcome ping(StackRunner runner, Ipv4Address target, int sequence) throws Exception {
        return runner.ping(new PingRequest(target, 0x6262, sequence, 56, 64, 10_000_000_000L)).get(30, TimeUnit.SECONDS);
    }

    private boolean isIcmp(CapturedFrame frame) {
        byte[] bytes = frame.bytes();
        return bytes.length > 34 && bytes[12] == 0x08 && bytes[13] == 0x00 && bytes[23] == 1;
    }

    private long icmp(CapturedFrame.Direction direction) {
        return captured.stream().filter(frame -> isIcmp(frame) && frame.direction() == direction).count();
    }

    @Test
    void labNetworkIsMadePingsTheRealKernelAndIsRemovedOnClose() throws Exception {
        assertThat(LabNetwork.status().vethExists())
                .as("the lab network must not exist before this test (java -jar target/stacklab.jar labnet down removes it)").isFalse();

        try (LabNetworkSession session = LabNetworkSession.open()) {
            // Registered at once, in case the test fails half way: down is harmless when the lab is gone.
            cleanup.push(List.of("ip", "link", "del", LabNetwork.STACK_DEVICE));
            assertThat(session.madeTheLab()).isTrue();
            assertThat(LabNetwork.status().vethExists()).isTrue();
            session.addCaptureListener(captured::add);

            assertThat(ping(session.stack().orElseThrow(), LabNetworkSession.kernelAddress(), 1))
                    .isInstanceOfSatisfying(PingOutcome.Reply.class,
                            reply -> assertThat(reply.from()).isEqualTo(LabNetworkSession.kernelAddress()));
            assertThat(icmp(CapturedFrame.Direction.OUT)).isEqualTo(1);
            assertThat(icmp(CapturedFrame.Direction.IN)).isEqualTo(1);
        }

        LabNetwork.Status after = LabNetwork.status();
        assertThat(after.vethExists()).isFalse();
        assertThat(after.namespaceExists()).isFalse();
    }

    @Test
    void aLabNetworkMadeBeforeIsUsedAndLeftInPlace() throws Exception {
        assertThat(LabNetwork.status().vethExists()).isFalse();
        LabNetwork.upVeth();
        cleanup.push(List.of("ip", "netns", "del", LabNetwork.NAMESPACE));
        cleanup.push(List.of("ip", "link", "del", LabNetwork.STACK_DEVICE));

        try (LabNetworkSession session = LabNetworkSession.open()) {
            assertThat(session.madeTheLab()).isFalse();
            assertThat(ping(session.stack().orElseThrow(), LabNetworkSession.kernelAddress(), 1)).isInstanceOf(PingOutcome.Reply.class);
        }

        assertThat(LabNetwork.status().vethExists()).isTrue();
        assertThat(LabNetwork.down(false)).isTrue();
    }

    @Test
    void watchOnlyCapturesBothDirectionsOfTheKernelsTrafficThroughAFilter() throws Exception {
        Veth veth = makeVeth();
        run("ip", "addr", "add", "10." + subnet + ".0.1/24", "dev", veth.here());
        MacAddress ours = InterfaceInfo.byName(veth.here()).orElseThrow().mac();

        try (WatchOnlySession session = WatchOnlySession.open(veth.here(), "icmp")) {
            assertThat(session.stack()).isEmpty();
            assertThat(session.name()).isEqualTo(veth.here() + " (watch only, filter: icmp)");
            session.addCaptureListener(captured::add);

            // The kernel here pings the kernel in the namespace: ARP first, which the filter must keep out.
            run("ping", "-c", "3", "-i", "0.2", "-W", "10", veth.kernelAddress().toString());

            // The capture's reader thread may still be handing frames over after ping has ended.
            waitFor(() -> icmp(CapturedFrame.Direction.IN) >= 3 && icmp(CapturedFrame.Direction.OUT) >= 3);
            assertThat(icmp(CapturedFrame.Direction.OUT)).isEqualTo(3);
            assertThat(icmp(CapturedFrame.Direction.IN)).isEqualTo(3);
            assertThat(captured).allSatisfy(frame -> {
                assertThat(isIcmp(frame)).as("only ICMP passes the filter").isTrue();
                boolean fromUs = MacAddress.read(frame.bytes(), 6).equals(ours);
                assertThat(frame.direction()).isEqualTo(fromUs ? CapturedFrame.Direction.OUT : CapturedFrame.Direction.IN);
            });
        }
    }

    @Test
    void watchOnlyWithoutAFilterSeesArpTooAndABadFilterIsOneClearError() throws Exception {
        Veth veth = makeVeth();
        run("ip", "addr", "add", "10." + subnet + ".0.1/24", "dev", veth.here());

        assertThatThrownBy(() -> WatchOnlySession.open(veth.here(), "icmp and and port"))
                .isInstanceOf(LinkException.class)
                .hasMessageStartingWith("invalid capture filter 'icmp and and port': ")
                .hasMessageContaining("syntax error");

        try (WatchOnlySession session = WatchOnlySession.open(veth.here(), " ")) {
            session.addCaptureListener(captured::add);
            run("ping", "-c", "1", "-W", "10", veth.kernelAddress().toString());
            waitFor(() -> icmp(CapturedFrame.Direction.IN) >= 1);
            assertThat(captured).anySatisfy(frame -> assertThat(frame.bytes()[12] == 0x08 && frame.bytes()[13] == 0x06).isTrue());

            // The interface goes away under the capture: the session says so.
            java.util.concurrent.CompletableFuture<String> down = new java.util.concurrent.CompletableFuture<>();
            session.addLinkDownListener(down::complete);
            run("ip", "link", "del", veth.here());
            assertThat(down.get(30, TimeUnit.SECONDS)).contains(veth.here()).contains("removed or taken down");
        }
    }

    @Test
    void interfaceSessionRefusesAnAddressTheKernelHoldsAndStartsOnAFreeOne() throws Exception {
        Veth veth = makeVeth();
        Ipv4Cidr subnetCidr = Ipv4Cidr.parse("10." + subnet + ".0.0/24");

        assertThatThrownBy(() -> InterfaceSession.openAfterProbe(veth.here(), false,
                new InterfaceSession.OurHostSettings(new Ipv4Cidr(veth.kernelAddress(), 24), null, null)))
                .isInstanceOf(InterfaceSession.AddressInUseException.class)
                .hasMessageStartingWith(veth.kernelAddress() + " is already in use: ");

        Optional<Ipv4Address> proposed = InterfaceSession.proposeFreeAddress(veth.here(), false, subnetCidr,
                List.of(veth.kernelAddress())).get(60, TimeUnit.SECONDS);
        assertThat(proposed).hasValueSatisfying(address -> {
            assertThat(subnetCidr.contains(address)).isTrue();
            assertThat(address).isNotEqualTo(veth.kernelAddress());
        });

        try (InterfaceSession session = InterfaceSession.openAfterProbe(veth.here(), false,
                new InterfaceSession.OurHostSettings(new Ipv4Cidr(proposed.get(), 24), null, null))) {
            session.addCaptureListener(captured::add);
            assertThat(ping(session.runner(), veth.kernelAddress(), 1)).isInstanceOf(PingOutcome.Reply.class);
            assertThat(icmp(CapturedFrame.Direction.OUT)).isEqualTo(1);
            assertThat(icmp(CapturedFrame.Direction.IN)).isEqualTo(1);
        }
    }

    @Test
    void tapSessionPingsTheKernelOnTheDevicesOtherSide() throws Exception {
        Prerequisites.requireCommand("ip");
        String device = "slt" + tag;
        run("ip", "tuntap", "add", "dev", device, "mode", "tap");
        cleanup.push(List.of("ip", "link", "del", device));
        Processes.run(List.of("sysctl", "-qw", "net.ipv6.conf." + device + ".disable_ipv6=1"), 30);
        run("ip", "addr", "add", "10." + subnet + ".1.1/24", "dev", device);
        run("ip", "link", "set", device, "up");
        assertThat(dev.stacklab.link.TapLink.isTapDevice(device)).isTrue();

        try (InterfaceSession session = InterfaceSession.openTap(device,
                new InterfaceSession.OurHostSettings(Ipv4Cidr.parse("10." + subnet + ".1.2/24"), null, null))) {
            session.addCaptureListener(captured::add);
            assertThat(ping(session.runner(), Ipv4Address.parse("10." + subnet + ".1.1"), 1)).isInstanceOf(PingOutcome.Reply.class);
            assertThat(icmp(CapturedFrame.Direction.IN)).isEqualTo(1);
        }
        assertThat(InterfaceInfo.byName(device)).as("a device the test made stays until the test removes it").isPresent();
    }

    /** Waits for what another thread does (the test's assertions then say whether it happened): up to 30 s. */
    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
