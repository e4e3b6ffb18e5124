package dev.stacklab.runtime;

import dev.stacklab.link.Link;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

import java.time.Duration;
import java.util.Optional;

/**
 * The library API for programs that embed the stack: a host on one interface, with its own IP and MAC.
 *
 * <pre>{@code
 * try (Host host = Host.onInterface("veth1").address("10.0.0.2/24").gateway("10.0.0.1").start()) {
 *     Duration rtt = host.ping(Ipv4Address.parse("10.0.0.1"), 1);
 *     Optional<MacAddress> mac = host.resolve(Ipv4Address.parse("10.0.0.1"));
 * }
 * }</pre>
 *
 * <p>Every method blocks the calling thread (never the stack's): the work is done by a {@link StackRunner},
 * reachable through {@link #runner()} for everything else (UDP, events, counters).
 */
public final class Host implements AutoCloseable {
    /** Waiting for a command that does not wait on the network (counters, binding): it is a bug if it takes long. */
    static final Duration COMMAND_LIMIT = Duration.ofSeconds(5);
    /** The engine gives up on ARP after its retries (3 × 1 s by default); this is only a safety net beyond that. */
    private static final Duration RESOLVE_GRACE = Duration.ofSeconds(2);

    private final StackRunner runner;
    private final int pingIdentifier;
    private final Duration pingTimeout;

    Host(StackRunner runner, int pingIdentifier, Duration pingTimeout) {
        this.runner = runner;
        this.pingIdentifier = pingIdentifier;
        this.pingTimeout = pingTimeout;
    }

    /** A host on a network interface through libpcap (or, with {@link HostBuilder#tap()}, on a TAP device of that name). */
    public static HostBuilder onInterface(String interfaceName) {
        return new HostBuilder(interfaceName, null);
    }

    /** A host on a link opened by the caller (a {@link dev.stacklab.link.VirtualSwitch} port, an impaired link). */
    public static HostBuilder onLink(Link link) {
        return new HostBuilder(link.name(), link);
    }

    public StackRunner runner() {
        return runner;
    }

    public StackConfig config() {
        return runner.config();
    }

    /**
     * Pings {@code target} once with sequence number {@code sequence} (56 data bytes, TTL 64).
     *
     * @return the round-trip time
     * @throws PingFailedException when no reply came: the message is what iputils would print
     */
    public Duration ping(Ipv4Address target, int sequence) throws PingFailedException {
        PingOutcome outcome = ping(new PingRequest(target, pingIdentifier, sequence & 0xFFFF,
                PingSettings.DEFAULT_PAYLOAD_SIZE, PingSettings.DEFAULT_TTL, pingTimeout.toNanos()));
        if (outcome instanceof PingOutcome.Reply reply) {
            return Duration.ofNanos(reply.roundTripNanos());
        }
        throw new PingFailedException(describeFailure(target, outcome), outcome);
    }

    /** Sends one request as given and returns however it ended. */
    public PingOutcome ping(PingRequest request) {
        return BlockingWait.await(runner.ping(request), Duration.ofNanos(request.timeoutNanos()).plus(COMMAND_LIMIT),
                "ping " + request.target());
    }

    /** The MAC address that answers ARP for {@code address} (on-link), or empty when nobody does. */
    public Optional<MacAddress> resolve(Ipv4Address address) {
        StackConfig config = runner.config();
        Duration limit = Duration.ofNanos(config.arpRetryNanos() * config.arpAttempts()).plus(RESOLVE_GRACE);
        return BlockingWait.await(runner.resolve(address), limit, "resolving " + address);
    }

    /** The engine's and the runner's counters. */
    public HostCounters counters() {
        return BlockingWait.await(runner.counters(), COMMAND_LIMIT, "reading the counters");
    }

    /** Stops the stack and closes the link. */
    @Override
    public void close() {
        runner.close();
    }

    static String describeFailure(Ipv4Address target, PingOutcome outcome) {
        if (outcome instanceof PingOutcome.Unreachable unreachable) {
            return "From " + unreachable.reportedBy() + ": " + unreachable.description();
        }
        if (outcome instanceof PingOutcome.TimeExceeded exceeded) {
            return "From " + exceeded.reportedBy() + ": Time to live exceeded";
        }
        if (outcome instanceof PingOutcome.HostUnreachable unreachable) {
            return "Destination Host Unreachable: nobody answered ARP for " + unreachable.nextHop();
        }
        if (outcome instanceof PingOutcome.MessageTooLong tooLong) {
            return tooLong.description();
        }
        return "no reply from " + target;
    }

    @Override
    public String toString() {
        return "Host[" + runner.link().name() + ", " + config().address() + ", " + config().mac() + "]";
    }
}
