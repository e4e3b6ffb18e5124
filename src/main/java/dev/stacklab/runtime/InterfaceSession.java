package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.Link;
import dev.stacklab.link.LinkException;
import dev.stacklab.link.PcapLink;
import dev.stacklab.link.TapLink;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import dev.stacklab.stack.ProbeTiming;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Our host on a real interface through libpcap, or on a TAP device: beside the kernel, with an address, gateway and
 * MAC of its own (chosen by the user before starting: {@link OurHostSettings}). Needs root or CAP_NET_RAW (a TAP
 * device: access to /dev/net/tun and the device).
 */
public final class InterfaceSession implements LabSession {

    /**
     * What our host is on the interface.
     *
     * @param address our IP address and prefix, e.g. 192.168.1.77/24
     * @param gateway the next hop off the subnet, or null for none
     * @param mac our MAC, or null for the interface's own (a TAP device: a random locally administered one)
     */
    public record OurHostSettings(Ipv4Cidr address, Ipv4Address gateway, MacAddress mac) {
        public OurHostSettings {
            Objects.requireNonNull(address, "address");
        }
    }

    private final String name;
    private final Host ourHost;
    private final CapturingLink tap;
    private final Ipv4Address gateway;

    private InterfaceSession(String name, Host ourHost, CapturingLink tap, Ipv4Address gateway) {
        this.name = name;
        this.ourHost = ourHost;
        this.tap = tap;
        this.gateway = gateway;
    }

    /** Another station answers for the address our host was to take (RFC 5227 conflict). */
    public static final class AddressInUseException extends Exception {
        public AddressInUseException(String message) {
            super(message);
        }
    }

    /**
     * Probes our address on the interface first (RFC 5227: 4 to 7 seconds when nobody answers) and starts our host
     * only when nobody else holds it. Blocks: call it off the UI thread.
     *
     * @param tap whether {@code interfaceName} is a TAP device rather than a pcap interface
     * @throws AddressInUseException naming the address and the MAC that answered for it
     */
    public static InterfaceSession openAfterProbe(String interfaceName, boolean tap, OurHostSettings settings)
            throws LinkException, AddressInUseException, InterruptedException {
        MacAddress mac = settings.mac();
        try (AddressProbe probe = AddressProbe.onInterface(interfaceName, tap, mac)) {
            ProbeResult result = probe.probe(settings.address().address()).get();
            if (result instanceof ProbeResult.InUse inUse) {
                throw new AddressInUseException(inUse.describe());
            }
            mac = probe.mac();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new LinkException("probing " + settings.address().address() + " on " + interfaceName + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        }
        // The probe's MAC: the address was found free for that station (a TAP device's random MAC is fixed here).
        OurHostSettings probed = new OurHostSettings(settings.address(), settings.gateway(), mac);
        return tap ? openTap(interfaceName, probed) : open(interfaceName, probed);
    }

    /**
     * Proposes an address on {@code subnet} that nobody answers for: probes a few random host addresses at once,
     * never one of {@code avoid} (the interface's own addresses, the gateway). Empty when every one probed is in use.
     * Takes the RFC 5227 probe time (4 to 7 seconds); the future completes on the probe's thread.
     */
    public static CompletableFuture<Optional<Ipv4Address>> proposeFreeAddress(String interfaceName, boolean tap,
            Ipv4Cidr subnet, Collection<Ipv4Address> avoid) {
        AddressProbe probe;
        try {
            probe = AddressProbe.onInterface(interfaceName, tap, null);
        } catch (LinkException e) {
            return CompletableFuture.failedFuture(e);
        }
        return probe.proposeFree(subnet, avoid, PROPOSAL_CANDIDATES, ProbeTiming.RFC_5227)
                .whenComplete((proposal, failure) -> probe.close());
    }

    /** Addresses probed at once for a proposal: on a busy subnet one of four random ones is very likely free. */
    private static final int PROPOSAL_CANDIDATES = 4;

    /**
     * Starts our host on a pcap interface (without probing its address first: {@link #openAfterProbe}).
     *
     * @throws LinkException one line with the fix (no such interface, no libpcap, no permission, not Ethernet)
     * @throws IllegalArgumentException when the settings do not fit together (a gateway off the subnet)
     */
    public static InterfaceSession open(String interfaceName, OurHostSettings settings) throws LinkException {
        return start(interfaceName, PcapLink.open(interfaceName), settings);
    }

    /** Starts our host on a TAP device (the kernel is on the device's other side). */
    public static InterfaceSession openTap(String deviceName, OurHostSettings settings) throws LinkException {
        return start(deviceName + " (TAP)", TapLink.open(deviceName), settings);
    }

    private static InterfaceSession start(String name, Link link, OurHostSettings settings) throws LinkException {
        CapturingLink tap = new CapturingLink(link);
        HostBuilder builder = Host.onLink(tap).address(settings.address());
        if (settings.gateway() != null) {
            builder.gateway(settings.gateway());
        }
        if (settings.mac() != null) {
            builder.mac(settings.mac());
        }
        // HostBuilder closes the link itself when the settings are refused.
        return new InterfaceSession(name, builder.start(), tap, settings.gateway());
    }

    @Override
    public String name() {
        return name;
    }

    public StackRunner runner() {
        return ourHost.runner();
    }

    /** The gateway, when one was given. */
    @Override
    public Optional<Ipv4Address> suggestedPeer() {
        return Optional.ofNullable(gateway);
    }

    @Override
    public Optional<StackRunner> stack() {
        return Optional.of(ourHost.runner());
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
    }
}
