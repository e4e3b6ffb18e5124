package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.ImpairedLink;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.link.Impairments;
import dev.stacklab.link.LinkException;
import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulated LAN, the network the app starts on: it needs no privileges. Our host and two simulated peers,
 * each a full stack of its own on its own runner thread, joined by a {@link VirtualSwitch} in real time:
 *
 * <pre>
 *   our host  10.0.0.2/24  02:00:00:00:00:02  (gateway 10.0.0.1)
 *   server    10.0.0.1/24  02:00:00:00:00:01  answers ping and ARP, UDP echo on port 7 (RFC 862),
 *                                            TCP echo (7), discard (9) and HTTP (80), as stacklab serve
 *   peer      10.0.0.3/24  02:00:00:00:00:03  answers ping and ARP, UDP echo on port 7
 * </pre>
 *
 * <p>The cable between our host and the switch is impaired, both ways, by one set of {@link ImpairmentSettings}
 * that can be changed while it runs ({@link #setImpairments}); it starts unimpaired. The capture shows frames
 * where our host's interface meets that cable (see {@link CapturingLink}), so frames the cable loses appear with a
 * note instead of vanishing.
 */
public final class SimulatedLanSession implements LabSession {
    public static final String NAME = "Simulated LAN";
    public static final Ipv4Cidr OUR_ADDRESS = Ipv4Cidr.parse("10.0.0.2/24");
    public static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:00:00:02");
    public static final Ipv4Address GATEWAY = Ipv4Address.parse("10.0.0.1");

    /** A simulated host on the LAN and what it runs. */
    public record Peer(String name, Ipv4Address address, MacAddress mac, List<String> services) {
        public Peer {
            services = List.copyOf(services);
        }
    }

    public static final List<Peer> PEERS = List.of(
            new Peer("server", Ipv4Address.parse("10.0.0.1"), MacAddress.parse("02:00:00:00:00:01"),
                    List.of("ping", "ARP", "UDP echo on 7", "TCP echo on 7", "TCP discard on 9", "HTTP on 80")),
            new Peer("peer", Ipv4Address.parse("10.0.0.3"), MacAddress.parse("02:00:00:00:00:03"),
                    List.of("ping", "ARP", "UDP echo on 7")));

    private static final Duration SETUP_LIMIT = Duration.ofSeconds(5);

    private final Impairments outbound;
    private final Impairments inbound;
    private final CapturingLink tap;
    private final Host ourHost;
    private final List<Host> peerHosts;

    private SimulatedLanSession(Impairments outbound, Impairments inbound, CapturingLink tap, Host ourHost,
            List<Host> peerHosts) {
        this.outbound = outbound;
        this.inbound = inbound;
        this.tap = tap;
        this.ourHost = ourHost;
        this.peerHosts = peerHosts;
    }

    /** Starts the peers (with their services), then our host; returns once all are up. */
    public static SimulatedLanSession start() {
        VirtualSwitch lan = new VirtualSwitch("simulated LAN");
        List<Host> peers = new ArrayList<>();
        try {
            for (Peer peer : PEERS) {
                Host host = Host.onLink(lan.attach(peer.name(), peer.mac()))
                        .address(new Ipv4Cidr(peer.address(), OUR_ADDRESS.prefixLength()))
                        .mac(peer.mac())
                        .start();
                peers.add(host);
                UdpEchoService.start(host.runner(), UdpEchoService.ECHO_PORT)
                        .get(SETUP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
                if (peer == PEERS.get(0)) {
                    TcpServices.start(host.runner()); // its threads end with the host's runner
                }
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Impairments outbound = new Impairments(ImpairmentSettings.NONE, random.nextLong());
            Impairments inbound = new Impairments(ImpairmentSettings.NONE, random.nextLong());
            CapturingLink tap = new CapturingLink(new ImpairedLink(lan.attach("our host", OUR_MAC), outbound, inbound));
            Host ourHost = Host.onLink(tap).address(OUR_ADDRESS).gateway(GATEWAY).mac(OUR_MAC).start();
            return new SimulatedLanSession(outbound, inbound, tap, ourHost, List.copyOf(peers));
        } catch (LinkException | java.io.IOException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            peers.forEach(Host::close);
            // A switch port cannot fail to open, nor a fresh stack's port 7 to bind: this is a bug, not a user's problem.
            throw new IllegalStateException("the simulated LAN could not start: " + e, e);
        } catch (InterruptedException e) {
            peers.forEach(Host::close);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the simulated LAN", e);
        } catch (RuntimeException e) {
            peers.forEach(Host::close);
            throw e;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The server peer: it answers ping, ARP, UDP echo, and TCP echo, discard and HTTP. */
    @Override
    public Optional<Ipv4Address> suggestedPeer() {
        return Optional.of(PEERS.get(0).address());
    }

    @Override
    public Optional<StackRunner> stack() {
        return Optional.of(ourHost.runner());
    }

    /** The server's or the peer's own stack: both are stacklab stacks. */
    @Override
    public Optional<StackRunner> peerStack(Ipv4Address address) {
        for (int i = 0; i < PEERS.size(); i++) {
            if (PEERS.get(i).address().equals(address)) {
                return Optional.of(peerHosts.get(i).runner());
            }
        }
        return Optional.empty();
    }

    /** The impairments on our host's cable now (the same both ways). */
    public ImpairmentSettings impairments() {
        return outbound.settings();
    }

    /** Changes the impairments on our host's cable, both ways, from the next frame on. Any thread. */
    public void setImpairments(ImpairmentSettings settings) {
        setImpairments(settings, settings);
    }

    /** Different impairments each way, for tests that must tell them apart. */
    void setImpairments(ImpairmentSettings toLan, ImpairmentSettings fromLan) {
        outbound.setSettings(toLan);
        inbound.setSettings(fromLan);
    }

    @Override
    public void addCaptureListener(Consumer<CapturedFrame> listener) {
        tap.addCaptureListener(listener);
    }

    @Override
    public void removeCaptureListener(Consumer<CapturedFrame> listener) {
        tap.removeCaptureListener(listener);
    }

    @Override
    public boolean showInCapture(CapturedFrame frame) {
        tap.publishFromBeside(frame);
        return true;
    }

    @Override
    public void close() {
        ourHost.close();
        peerHosts.forEach(Host::close);
    }

    @Override
    public String toString() {
        return NAME + " (our host " + OUR_ADDRESS + ")";
    }
}
