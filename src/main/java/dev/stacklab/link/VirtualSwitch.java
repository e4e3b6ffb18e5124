package dev.stacklab.link;

import dev.stacklab.wire.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory Ethernet segment: a learning switch joining any number of ports (IEEE 802.1D transparent
 * bridging, without spanning tree or ageing).
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li>In virtual time, the simulation adds bare ports with {@link #addPort} and asks
 *       {@link #egressPorts} where each frame goes; it then schedules every delivery itself. No threads, no
 *       clocks, and the answer depends only on the frames seen so far, so a simulation stays deterministic.</li>
 *   <li>In real time, {@link #attach} returns a {@link Link} per port: {@code send} forwards at once into the
 *       bounded receive queue of every egress port, whose own reader thread hands the frames to its receiver.</li>
 * </ul>
 *
 * <p>Forwarding rules: the source MAC of every frame is learned against its ingress port (a station that moves
 * is relearned on its new port); a unicast destination learned on a port goes to that port only; broadcast,
 * multicast and unknown unicast are flooded to all other ports; nothing ever goes back out of its ingress port
 * (a frame to a station learned on the ingress port is filtered, as 802.1D says).
 */
public final class VirtualSwitch {
    private static final int ETHERNET_HEADER = 14;
    private static final int DESTINATION_OFFSET = 0;
    private static final int SOURCE_OFFSET = 6;
    /** Frames waiting per real-time port before further ones are dropped: a flood cannot exhaust memory. */
    static final int RECEIVE_QUEUE_FRAMES = 1024;

    private final String name;
    private final List<Port> ports = new ArrayList<>();
    private final Map<MacAddress, Port> learned = new HashMap<>();

    public VirtualSwitch(String name) {
        this.name = name;
    }

    public VirtualSwitch() {
        this("switch");
    }

    public String name() {
        return name;
    }

    /** One port of the switch. Identity is the port object; the name is for messages. */
    public static final class Port {
        private final String name;
        private final PortLink link;

        private Port(String name, PortLink link) {
            this.name = name;
            this.link = link;
        }

        public String name() {
            return name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Adds a bare port, for a driver that delivers frames itself (the simulation). */
    public synchronized Port addPort(String portName) {
        Port port = new Port(portName, null);
        ports.add(port);
        return port;
    }

    /** Removes a port and forgets the stations learned on it. */
    public synchronized void removePort(Port port) {
        ports.remove(port);
        learned.values().removeIf(p -> p == port);
    }

    /** The ports in the order they were added. */
    public synchronized List<Port> ports() {
        return List.copyOf(ports);
    }

    /** The port a station's MAC address was last seen on, if any. */
    public synchronized Optional<Port> learnedPort(MacAddress station) {
        return Optional.ofNullable(learned.get(station));
    }

    /**
     * Learns the frame's source address on {@code ingress}, then says where the frame goes: the ports in the
     * order they were added, never {@code ingress}. Frames shorter than an Ethernet header go nowhere.
     */
    public synchronized List<Port> egressPorts(Port ingress, byte[] frame, int offset, int length) {
        if (length < ETHERNET_HEADER) {
            return List.of();
        }
        MacAddress source = MacAddress.read(frame, offset + SOURCE_OFFSET);
        // A group address is never a station's own address, so it is never learned (802.1D 7.8).
        if (source.isUnicast()) {
            learned.put(source, ingress);
        }
        MacAddress destination = MacAddress.read(frame, offset + DESTINATION_OFFSET);
        if (destination.isUnicast()) {
            Port known = learned.get(destination);
            if (known != null) {
                return known == ingress ? List.of() : List.of(known);
            }
        }
        List<Port> flood = new ArrayList<>(ports.size());
        for (Port port : ports) {
            if (port != ingress) {
                flood.add(port);
            }
        }
        return flood;
    }

    /** {@link #egressPorts(Port, byte[], int, int)} for a whole array. */
    public List<Port> egressPorts(Port ingress, byte[] frame, int length) {
        return egressPorts(ingress, frame, 0, length);
    }

    /** Adds a port with a real-time {@link Link} on it, MTU 1500. */
    public Link attach(String portName, MacAddress mac) {
        return attach(portName, mac, 1500);
    }

    /**
     * Adds a port with a real-time {@link Link} on it. The MAC address is what the link reports as its
     * {@link Link#hardwareAddress()}; the switch learns it, like any other, from the frames the port sends.
     * Until the link is started, frames for it are dropped (and counted), as on an unplugged cable.
     */
    public synchronized Link attach(String portName, MacAddress mac, int mtu) {
        PortLink link = new PortLink(portName, mac, mtu);
        Port port = new Port(portName, link);
        link.port = port;
        ports.add(port);
        return link;
    }

    private void forward(Port ingress, byte[] frame, int offset, int length) {
        long now = System.nanoTime();
        // Under the switch's lock, so that concurrent senders see one learning table and each receive queue gets
        // frames in one global order; the work inside is bounded (copies and non-blocking offers).
        synchronized (this) {
            for (Port egress : egressPorts(ingress, frame, offset, length)) {
                if (egress.link != null) {
                    byte[] copy = new byte[length];
                    System.arraycopy(frame, offset, copy, 0, length);
                    egress.link.enqueue(copy, now);
                }
            }
        }
    }

    private record Queued(byte[] frame, long timestampNanos) {
    }

    /** The real-time link on one port: a bounded receive queue drained by the port's own reader thread. */
    private final class PortLink implements Link {
        private final String portName;
        private final MacAddress mac;
        private final int mtu;
        private final ArrayBlockingQueue<Queued> receiveQueue = new ArrayBlockingQueue<>(RECEIVE_QUEUE_FRAMES);
        private final AtomicLong dropped = new AtomicLong();
        private volatile LinkEventListener events = LinkEventListener.IGNORE;
        private volatile boolean running;
        private volatile boolean closed;
        private Port port;
        private Thread reader;

        PortLink(String portName, MacAddress mac, int mtu) {
            this.portName = portName;
            this.mac = mac;
            this.mtu = mtu;
        }

        @Override
        public String name() {
            return portName;
        }

        @Override
        public MacAddress hardwareAddress() {
            return mac;
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public synchronized void start(FrameSink receiver, LinkEventListener listener) {
            if (closed || reader != null) {
                throw new IllegalStateException("link " + portName + (closed ? " is closed" : " is already started"));
            }
            events = listener;
            running = true;
            reader = new Thread(() -> readLoop(receiver), "stacklab-switch-" + portName);
            reader.setDaemon(true);
            reader.start();
        }

        private void readLoop(FrameSink receiver) {
            while (running) {
                Queued next;
                try {
                    // A timed wait, so that close() is seen within a tenth of a second without interrupts.
                    next = receiveQueue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (next == null) {
                    continue;
                }
                FrameSink.deliver(receiver, events, portName, next.frame(), next.frame().length, next.timestampNanos());
            }
        }

        void enqueue(byte[] frame, long timestampNanos) {
            if (!running) {
                dropped.incrementAndGet();
                return;
            }
            if (!receiveQueue.offer(new Queued(frame, timestampNanos))) {
                long total = dropped.incrementAndGet();
                events.linkEvent(new LinkEvent(portName, LinkEvent.Kind.QUEUE_FULL, LinkEvent.Direction.RECEIVE,
                        "receive queue of " + portName + " is full (" + RECEIVE_QUEUE_FRAMES
                                + " frames): frame dropped, " + total + " dropped so far", null, timestampNanos));
            }
        }

        @Override
        public void send(byte[] frame, int offset, int length) {
            if (closed) {
                return;
            }
            // The header plus the MTU, plus room for an 802.1Q tag: bigger frames would not fit any real segment,
            // and the limit is what bounds the memory a full receive queue can hold.
            if (length > mtu + ETHERNET_HEADER + 4) {
                events.linkEvent(new LinkEvent(portName, LinkEvent.Kind.SEND_FAILED, LinkEvent.Direction.SEND,
                        "cannot send a " + length + "-byte frame on " + portName + ": larger than the MTU of " + mtu
                                + " allows", null, System.nanoTime()));
                return;
            }
            forward(port, frame, offset, length);
        }

        @Override
        public void close() {
            Thread toJoin;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                running = false;
                toJoin = reader;
            }
            removePort(port);
            if (toJoin != null) {
                try {
                    toJoin.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            receiveQueue.clear();
        }

        @Override
        public String toString() {
            return portName + " on " + name + " (" + dropped.get() + " dropped)";
        }
    }

    /** Frames this switch dropped for a real-time port: queue full, or not started yet. */
    public static long droppedFrames(Link portLink) {
        if (portLink instanceof PortLink link) {
            return link.dropped.get();
        }
        throw new IllegalArgumentException(portLink.name() + " is not a port of a VirtualSwitch");
    }
}
