package dev.stacklab.stack.tcp;

import dev.stacklab.stack.DropReason;
import dev.stacklab.stack.EphemeralPorts;
import dev.stacklab.stack.IcmpError;
import dev.stacklab.stack.InitialSequenceNumbers;
import dev.stacklab.stack.Ipv4Datagram;
import dev.stacklab.stack.NetStack;
import dev.stacklab.stack.PathMtuDiscovery;
import dev.stacklab.stack.SendResult;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.stack.TimerQueue;
import dev.stacklab.stack.Transport;
import dev.stacklab.stack.TransportContext;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MalformedPacketException;
import dev.stacklab.wire.TcpPacket;
import dev.stacklab.wire.TcpRepr;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;

/**
 * TCP as a {@link Transport} of a {@link NetStack}: segments arrive checked and parsed into the
 * {@link TcpEngine}, segments leave when the link has room (one per {@link #pollOutput}, written by
 * {@link TcpRepr#emit} behind the IPv4 header the engine writes), and the engine's timers hang on
 * one timer of the stack's queue. ISNs (RFC 6528) and ephemeral ports (RFC 6056) come from the
 * stack's keyed generators. Use it only on the stack's thread.
 */
public final class TcpLayer implements Transport {
    private final TransportContext context;
    private final TcpEngine engine;
    private final TimerQueue.Timer timer;
    private final List<TcpEventListener> listeners = new CopyOnWriteArrayList<>();

    private TcpLayer(TransportContext context, TcpConfig config, InitialSequenceNumbers sequenceNumbers, EphemeralPorts ports) {
        this.context = context;
        TcpSecrets secrets = new TcpSecrets() {
            @Override
            public int initialSequenceNumber(TcpEndpoints endpoints, long nowNanos) {
                return sequenceNumbers.next(endpoints.localAddress(), endpoints.localPort(), endpoints.remoteAddress(),
                        endpoints.remotePort(), nowNanos);
            }

            @Override
            public int timestampOffset(TcpEndpoints endpoints) {
                // RFC 7323 5.4: an offset per connection; the same keyed hash over the reversed tuple, without its clock.
                return sequenceNumbers.next(endpoints.remoteAddress(), endpoints.remotePort(), endpoints.localAddress(),
                        endpoints.localPort(), 0);
            }

            @Override
            public int ephemeralPort(TcpEndpoints withoutLocalPort, IntPredicate inUse) {
                try {
                    return ports.pick(withoutLocalPort.localAddress(), withoutLocalPort.remoteAddress(),
                            withoutLocalPort.remotePort(), inUse);
                } catch (IllegalStateException allInUse) {
                    return 0;
                }
            }
        };
        this.engine = new TcpEngine(config, secrets, context::pathMtu, this::publish);
        this.timer = context.timers().newTimer(this::onTimer);
        engine.setOutputListener(context::wantsOutput);
    }

    /** Installs TCP with {@code config} in {@code stack} (once per stack). */
    public static TcpLayer install(NetStack stack, TcpConfig config) {
        return stack.installTcp(context -> new TcpLayer(context, config, stack.initialSequenceNumbers(), stack.ephemeralPorts()));
    }

    public TcpEngine engine() {
        return engine;
    }

    /** Sees every {@link TcpEvent} (state changes with their cause, retransmissions), on the stack's thread. */
    public void addListener(TcpEventListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TcpEventListener listener) {
        listeners.remove(listener);
    }

    private void publish(TcpEvent event) {
        for (TcpEventListener listener : listeners) {
            listener.onEvent(event);
        }
        if (context.hasListener()) {
            context.publish(new StackEvent.TcpConnectionEvent(event.timeNanos(), event));
        }
    }

    /** Active open from our address ({@code localPort} 0: an ephemeral port). */
    public TcpConnection connect(Ipv4Address remote, int remotePort, int localPort, long now) {
        TcpConnection connection = engine.connect(context.localAddress(), localPort, remote, remotePort, now);
        rescheduleTimer();
        return connection;
    }

    /** Passive open on {@code port}. */
    public TcpListener listen(int port, int backlog) {
        return engine.listen(port, backlog);
    }

    @Override
    public void receive(Ipv4Datagram datagram, long now) {
        if (datagram.toBroadcast()) {
            // RFC 1122 4.2.3.10: TCP does not take segments sent to a broadcast or multicast address.
            context.drop(DropReason.NOT_FOR_US, "TCP segment to a broadcast address", now);
            return;
        }
        IncomingSegment segment;
        try {
            TcpPacket packet = TcpPacket.wrapChecked(datagram.buffer(), datagram.payloadOffset(), datagram.payloadLength());
            // The data stays in the frame until the receive buffer copies it (the one copy on the way in).
            segment = new IncomingSegment(TcpRepr.parseHeader(packet, datagram.source(), datagram.destination()),
                    packet.bytes(), packet.payloadOffset(), packet.payloadLength());
        } catch (MalformedPacketException e) {
            context.drop(e.getMessage().contains("checksum") ? DropReason.BAD_CHECKSUM : DropReason.MALFORMED, e.getMessage(), now);
            return;
        }
        engine.receive(datagram.source(), datagram.destination(), segment, now);
        rescheduleTimer();
    }

    @Override
    public void icmpError(IcmpError error, long now) {
        if (!error.quotesPorts()) {
            return;
        }
        engine.receiveIcmpError(error.quotedSource(), error.quotedSourcePort(), error.quotedDestination(),
                error.quotedDestinationPort(), error.type(), error.code(), error.nextHopMtu(), error.quotedSecondWord(), now);
        rescheduleTimer();
    }

    @Override
    public boolean pollOutput(long now) {
        OutgoingSegment output = engine.nextSegment(now);
        rescheduleTimer();
        if (output == null) {
            return false;
        }
        // RFC 9293 3.7.2 / RFC 1191: TCP segments go with Don't Fragment, so the path MTU is discovered. The data goes
        // from the send buffer straight into the frame.
        SendResult result = context.send(output.destination(), output.bufferLength(), PathMtuDiscovery.DO,
                (buffer, offset, length) -> output.emit(buffer, offset), now);
        if (result == SendResult.FRAGMENTATION_NEEDED) {
            // Too big for the path as the IP layer now knows it: shrink the MSS and send again (RFC 1191).
            engine.pathMtuBelowSegment(output, context.pathMtu(output.destination()), now);
            rescheduleTimer();
        }
        return true;
    }

    private void onTimer(long now) {
        engine.onTimers(now);
        rescheduleTimer();
    }

    private void rescheduleTimer() {
        long next = engine.nextTimerAt();
        if (next == Long.MAX_VALUE) {
            timer.cancel();
        } else if (timer.deadline() != next) {
            timer.schedule(next);
        }
    }

    @Override
    public String toString() {
        return "TCP (" + engine.connections().size() + " connections)";
    }
}
