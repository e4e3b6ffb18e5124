package dev.stacklab.dissect;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv6Address;
import dev.stacklab.wire.MacAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What Wireshark's Statistics menu shows of a capture, and tshark's {@code -z} gives: conversations and endpoints
 * of each addressed layer, the protocol hierarchy, and the expert information, counted as tshark's taps count them.
 * Fed every frame's full tree in capture order; holds one entry per conversation, endpoint, protocol path and expert
 * row, never the frames (the expert rows keep each occurrence's frame number, an int each).
 *
 * <p>What tshark's taps see: each top-level layer of a frame is one tap call, so a tunnelled datagram (IPv6 in IPv4)
 * counts in both tables, while the headers an ICMP error quotes sit inside the ICMP layer and count nowhere, as in
 * tshark. TCP and UDP take their addresses from the network layer just before them; TCP conversations are also told
 * apart by tcp.stream (a reused port pair is a new conversation), as Wireshark's conversation table keys them.
 *
 * <p>Not thread-safe: one thread adds and reads.
 */
public final class CaptureStatistics {
    private static final String[] SEVERITIES = {"Error", "Warning", "Note", "Chat", "Comment"};

    private long frames;
    private long firstTimestampNanos;
    private boolean startGiven;
    private final Map<ConversationType, ConversationTableCounts> conversations = new EnumMap<>(ConversationType.class);
    private final Map<ConversationType, EndpointCounts> endpoints = new EnumMap<>(ConversationType.class);
    private final HierarchyCount hierarchy = new HierarchyCount("frame", "Frame");
    /** One list per severity, most severe first; rows in the order first seen. */
    private final List<List<ExpertCount>> expertRows = new ArrayList<>();
    private final Map<ExpertKey, ExpertCount> expertIndex = new HashMap<>();
    // Reused for each frame's layers, so a frame costs no list.
    private FieldNode[] layers = new FieldNode[16];

    public CaptureStatistics() {
        for (ConversationType type : ConversationType.values()) {
            conversations.put(type, new ConversationTableCounts());
            endpoints.put(type, new EndpointCounts());
        }
        for (int i = 0; i < SEVERITIES.length; i++) {
            expertRows.add(new ArrayList<>());
        }
    }

    /**
     * Statistics whose relative times count from {@code captureStartNanos}, the capture's first frame, rather than from
     * the first frame added: for a pass that adds only the frames a display filter shows, as Wireshark's dialogs
     * (limited to the display filter) still count Rel Start from the start of the capture.
     */
    public CaptureStatistics(long captureStartNanos) {
        this();
        firstTimestampNanos = captureStartNanos;
        startGiven = true;
    }

    /** Adds one frame: its number, its capture time, and its full tree ({@link Dissector#dissect}, in frame order). */
    public void add(int frameNumber, long timestampNanos, FrameTree tree) {
        if (frames == 0 && !startGiven) {
            firstTimestampNanos = timestampNanos;
        }
        frames++;
        long relative = timestampNanos - firstTimestampNanos;
        long length = frameLength(tree);
        int count = 0;
        for (FieldNode layer = tree.firstLayer(); layer != null; layer = layer.nextSibling()) {
            if (count == layers.length) {
                layers = Arrays.copyOf(layers, count * 2);
            }
            layers[count++] = layer;
        }
        addConversationsAndEndpoints(count, length, relative);
        addHierarchy(count, length);
        if (tree.mayHaveExpertNotes()) {
            addExpertNotes(frameNumber, count);
        }
        Arrays.fill(layers, 0, count, null);
    }

    public long frames() {
        return frames;
    }

    /** The conversations of that layer, in tshark's order: most frames first, in order of first frame among equals. */
    public List<Conversation> conversations(ConversationType type) {
        List<Conversation> list = new ArrayList<>();
        for (ConversationCount counts : conversations.get(type).inOrder) {
            list.add(counts.toConversation(type));
        }
        list.sort(Comparator.comparingLong(Conversation::frames).reversed());
        return list;
    }

    /** The endpoints of that layer, in tshark's order: most frames first, in order of first frame among equals. */
    public List<Endpoint> endpoints(ConversationType type) {
        List<Endpoint> list = new ArrayList<>();
        for (EndpointCount counts : endpoints.get(type).inOrder) {
            list.add(counts.toEndpoint(type));
        }
        list.sort(Comparator.comparingLong(Endpoint::frames).reversed());
        return list;
    }

    /** The protocol hierarchy: the root is "frame" with every frame; its children are what tshark -z io,phs lists. */
    public ProtocolNode protocolHierarchy() {
        return hierarchy.toNode();
    }

    /** The expert information, most severe first (Error, Warning, Note, Chat, Comment), each severity's rows in order of first seen. */
    public List<ExpertItem> expertItems() {
        List<ExpertItem> items = new ArrayList<>();
        for (List<ExpertCount> rows : expertRows) {
            for (ExpertCount row : rows) {
                items.add(row.toItem());
            }
        }
        return items;
    }

    // ---- conversations and endpoints ----

    private void addConversationsAndEndpoints(int count, long length, long relative) {
        Address networkSource = null;
        Address networkDestination = null;
        for (int i = 0; i < count; i++) {
            FieldNode layer = layers[i];
            switch (layer.name()) {
                case "eth" -> {
                    FieldNode source = layer.child(EthernetDissector.SRC);
                    FieldNode destination = layer.child(EthernetDissector.DST);
                    if (source != null && destination != null) {
                        add(ConversationType.ETHERNET, Address.mac(source.value()), -1, Address.mac(destination.value()), -1, -1,
                                length, relative);
                    }
                }
                case "ip" -> {
                    FieldNode source = layer.child(Ipv4Dissector.SRC);
                    FieldNode destination = layer.child(Ipv4Dissector.DST);
                    if (source != null && destination != null) {
                        networkSource = Address.ipv4((int) source.value());
                        networkDestination = Address.ipv4((int) destination.value());
                        add(ConversationType.IPV4, networkSource, -1, networkDestination, -1, -1, length, relative);
                    }
                }
                case "ipv6" -> {
                    FieldNode source = layer.child(Ipv6Dissector.SRC);
                    FieldNode destination = layer.child(Ipv6Dissector.DST);
                    if (source != null && destination != null && ipv6Tapped(layer, i + 1 < count ? layers[i + 1] : null)
                            && source.object() instanceof Ipv6Address from
                            && destination.object() instanceof Ipv6Address to) {
                        networkSource = Address.ipv6(from);
                        networkDestination = Address.ipv6(to);
                        add(ConversationType.IPV6, networkSource, -1, networkDestination, -1, -1, length, relative);
                    }
                }
                case "tcp" -> {
                    FieldNode sourcePort = layer.child(TcpDissector.SOURCE_PORT);
                    FieldNode destinationPort = layer.child(TcpDissector.DESTINATION_PORT);
                    FieldNode stream = layer.child(TcpDissector.STREAM);
                    if (networkSource != null && sourcePort != null && destinationPort != null) {
                        add(ConversationType.TCP, networkSource, (int) sourcePort.value(), networkDestination,
                                (int) destinationPort.value(), stream == null ? -1 : stream.value(), length, relative);
                    }
                }
                case "udp" -> {
                    FieldNode sourcePort = layer.child(UdpDissector.SOURCE_PORT);
                    FieldNode destinationPort = layer.child(UdpDissector.DESTINATION_PORT);
                    if (networkSource != null && sourcePort != null && destinationPort != null) {
                        add(ConversationType.UDP, networkSource, (int) sourcePort.value(), networkDestination,
                                (int) destinationPort.value(), -1, length, relative);
                    }
                }
                default -> {
                }
            }
        }
    }

    /**
     * One tap call: the conversation of the two endpoints either way (and, for TCP, the stream), whose A is the
     * sender of its first frame, as tshark 4.0 shows them; and both endpoints, the sender first.
     */
    private void add(ConversationType type, Address source, int sourcePort, Address destination, int destinationPort, long conversationId,
            long length, long relative) {
        ConversationTableCounts table = conversations.get(type);
        // Frames come in runs of one conversation: the last one found is tried before a key is made.
        ConversationCount counts = table.last;
        if (counts == null || !counts.joins(source, sourcePort, destination, destinationPort, conversationId)) {
            // Keyed with the lower endpoint first, so both directions find the conversation.
            int order = source.compareTo(destination);
            boolean sourceFirst = order < 0 || (order == 0 && sourcePort <= destinationPort);
            ConversationKey key = sourceFirst
                    ? new ConversationKey(source, sourcePort, destination, destinationPort, conversationId)
                    : new ConversationKey(destination, destinationPort, source, sourcePort, conversationId);
            counts = table.index.get(key);
            if (counts == null) {
                counts = new ConversationCount(source, sourcePort, destination, destinationPort, conversationId, relative);
                table.index.put(key, counts);
                table.inOrder.add(counts);
            }
            table.last = counts;
        }
        // A to B when the sender is A exactly (a frame from an endpoint to itself counts as A to B).
        if (source.equals(counts.a) && sourcePort == counts.portA && destination.equals(counts.b) && destinationPort == counts.portB) {
            counts.framesAToB++;
            counts.bytesAToB += length;
        } else {
            counts.framesBToA++;
            counts.bytesBToA += length;
        }
        if (relative > counts.stop) {
            counts.stop = relative;
        } else if (relative < counts.start) {
            counts.start = relative;
        }
        EndpointCounts hosts = endpoints.get(type);
        hosts.get(source, sourcePort).sent(length);
        hosts.get(destination, destinationPort).received(length);
    }

    /**
     * Whether tshark's IPv6 tap sees the header: not for a fragment that completes no datagram (tshark hands it to
     * Data without reaching the tap) nor for a header whose payload length runs past the frame (tshark stops with a
     * Malformed Packet right there); a completing fragment lists the fragments ({@code ipv6.fragments}).
     */
    private static boolean ipv6Tapped(FieldNode ipv6, FieldNode next) {
        if (next != null && next.def() == DissectionContext.MALFORMED) {
            return false;
        }
        return ipv6.child(Ipv6Dissector.FRAGHDR) == null || ipv6.child(Ipv6Dissector.FRAGMENTS) != null;
    }

    /** frame.len: the frame's length on the wire, which every table counts in bytes. */
    private static long frameLength(FrameTree tree) {
        FieldNode frame = tree.firstLayer();
        FieldNode length = frame == null ? null : frame.child(FrameDissector.LENGTH);
        return length != null ? length.value() : tree.summary().length();
    }

    /** An address as Wireshark's cmp_address orders them: by type (Ethernet, IPv4, IPv6), then byte for byte. */
    private record Address(int type, long high, long low) implements Comparable<Address> {
        private static final int ETHER = 1;
        private static final int IPV4 = 2;
        private static final int IPV6 = 3;

        static Address mac(long bits) {
            return new Address(ETHER, 0, bits);
        }

        static Address ipv4(int bits) {
            return new Address(IPV4, 0, Integer.toUnsignedLong(bits));
        }

        static Address ipv6(Ipv6Address address) {
            return new Address(IPV6, address.high(), address.low());
        }

        @Override
        public int compareTo(Address other) {
            if (type != other.type) {
                return Integer.compare(type, other.type);
            }
            int byHigh = Long.compareUnsigned(high, other.high);
            return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
        }

        @Override
        public String toString() {
            return switch (type) {
                case ETHER -> new MacAddress(low).toString();
                case IPV4 -> new Ipv4Address((int) low).toString();
                default -> new Ipv6Address(high, low).toString();
            };
        }
    }

    private record ConversationKey(Address lower, int lowerPort, Address upper, int upperPort, long conversationId) {
    }

    private static final class ConversationTableCounts {
        final Map<ConversationKey, ConversationCount> index = new HashMap<>();
        final List<ConversationCount> inOrder = new ArrayList<>();
        ConversationCount last;
    }

    private static final class ConversationCount {
        final Address a;
        final int portA;
        final Address b;
        final int portB;
        final long conversationId;
        long framesAToB;
        long bytesAToB;
        long framesBToA;
        long bytesBToA;
        long start;
        long stop;

        ConversationCount(Address a, int portA, Address b, int portB, long conversationId, long relative) {
            this.a = a;
            this.portA = portA;
            this.b = b;
            this.portB = portB;
            this.conversationId = conversationId;
            this.start = relative;
            this.stop = relative;
        }

        /** Whether a frame between these endpoints (either way) in that stream belongs to this conversation. */
        boolean joins(Address source, int sourcePort, Address destination, int destinationPort, long id) {
            return id == conversationId && (portA == sourcePort && portB == destinationPort && a.equals(source) && b.equals(destination)
                    || portA == destinationPort && portB == sourcePort && a.equals(destination) && b.equals(source));
        }

        Conversation toConversation(ConversationType type) {
            return new Conversation(type, a.toString(), portA, b.toString(), portB, framesAToB, bytesAToB,
                    framesBToA, bytesBToA, start, stop - start);
        }
    }

    private record EndpointKey(Address address, int port) {
    }

    private static final class EndpointCounts {
        final Map<EndpointKey, EndpointCount> index = new HashMap<>();
        final List<EndpointCount> inOrder = new ArrayList<>();

        // The two endpoints found last, tried before a key is made: the next frame is often between the same two.
        EndpointCount recent;
        EndpointCount older;

        EndpointCount get(Address address, int port) {
            if (recent != null && recent.key.port() == port && recent.key.address().equals(address)) {
                return recent;
            }
            if (older != null && older.key.port() == port && older.key.address().equals(address)) {
                EndpointCount found = older;
                older = recent;
                recent = found;
                return found;
            }
            EndpointCount count = find(address, port);
            older = recent;
            recent = count;
            return count;
        }

        private EndpointCount find(Address address, int port) {
            EndpointKey key = new EndpointKey(address, port);
            EndpointCount count = index.get(key);
            if (count == null) {
                count = new EndpointCount(key);
                index.put(key, count);
                inOrder.add(count);
            }
            return count;
        }
    }

    private static final class EndpointCount {
        final EndpointKey key;
        long txFrames;
        long txBytes;
        long rxFrames;
        long rxBytes;

        EndpointCount(EndpointKey key) {
            this.key = key;
        }

        void sent(long length) {
            txFrames++;
            txBytes += length;
        }

        void received(long length) {
            rxFrames++;
            rxBytes += length;
        }

        Endpoint toEndpoint(ConversationType type) {
            return new Endpoint(type, key.address.toString(), key.port, txFrames + rxFrames, txBytes + rxBytes, txFrames, txBytes,
                    rxFrames, rxBytes);
        }
    }

    // ---- protocol hierarchy ----

    /**
     * tshark's io,phs: the frame's top-level layers after "frame", each nested under the one before. The reassembled
     * TCP segments list comes last, after the protocols the reassembled message held, as tshark adds it to the tree
     * once the message was dissected (-V shows it moved up, next to TCP, where stacklab's tree keeps it).
     */
    private void addHierarchy(int count, long length) {
        HierarchyCount at = hierarchy;
        at.add(length);
        FieldNode segments = null;
        for (int i = 0; i < count; i++) {
            FieldNode layer = layers[i];
            // Hidden layers count (tshark counts TLS in a frame whose record only began there).
            if (layer.def() == FrameDissector.FRAME) {
                continue;
            }
            if (layer.def() == TcpPduReassembly.SEGMENTS && segments == null) {
                segments = layer;
                continue;
            }
            at = at.child(layer.def());
            at.add(length);
        }
        if (segments != null) {
            at.child(segments.def()).add(length);
        }
    }

    private static final class HierarchyCount {
        final String protocol;
        final String label;
        long frames;
        long bytes;
        final List<HierarchyCount> children = new ArrayList<>(2);

        HierarchyCount(String protocol, String label) {
            this.protocol = protocol;
            this.label = label;
        }

        void add(long length) {
            frames++;
            bytes += length;
        }

        HierarchyCount child(FieldDef def) {
            for (HierarchyCount child : children) {
                if (child.protocol.equals(def.name())) {
                    return child;
                }
            }
            HierarchyCount child = new HierarchyCount(def.name(), def.label());
            children.add(child);
            return child;
        }

        ProtocolNode toNode() {
            List<ProtocolNode> nodes = new ArrayList<>(children.size());
            for (HierarchyCount child : children) {
                nodes.add(child.toNode());
            }
            return new ProtocolNode(protocol, label, frames, bytes, nodes);
        }
    }

    // ---- expert information ----

    /**
     * The frame's expert notes as tshark's expert tap gets them: each note under the protocol whose tree holds it
     * (the innermost protocol node: "IPv6 Routing" for a routing header's note), none from the datagram an ICMP error
     * quotes (tshark's dissectors add no expert info while in an error packet), and a Malformed Packet as
     * "Malformed Packet (Exception occurred)" under the protocol being dissected when the bytes ran out.
     */
    private void addExpertNotes(int frameNumber, int count) {
        String previousProtocol = ExpertProtocols.shortName("frame");
        for (int i = 0; i < count; i++) {
            FieldNode layer = layers[i];
            if (layer.def() == DissectionContext.MALFORMED) {
                addMalformedNotes(frameNumber, layer, previousProtocol);
                continue;
            }
            String protocol = ExpertProtocols.shortName(layer.name());
            addExpertNotes(frameNumber, layer, protocol, layer.name().startsWith("icmp"));
            previousProtocol = innermostProtocol(layer, protocol);
        }
    }

    /** Adds the notes under {@code node}; false once an ICMP error's quoted datagram is reached, where the layer's notes end. */
    private boolean addExpertNotes(int frameNumber, FieldNode node, String protocol, boolean inIcmp) {
        String severityAndGroup = node.expertSeverityAndGroup();
        if (severityAndGroup != null) {
            addExpertNote(frameNumber, severityAndGroup, protocol, String.valueOf(node.object()));
        }
        for (FieldNode child = node.firstChild(); child != null; child = child.nextSibling()) {
            String childProtocol = protocol;
            if (child.def().type() == FieldType.PROTOCOL) {
                if (inIcmp && (child.def() == Ipv4Dissector.IP || child.def() == Ipv6Dissector.IPV6)) {
                    return false;
                }
                childProtocol = ExpertProtocols.shortName(child.name());
            }
            if (!addExpertNotes(frameNumber, child, childProtocol, inIcmp)) {
                return false;
            }
        }
        return true;
    }

    /** The short name of the last protocol node in the layer (an IPv6 extension header's), where dissection was when the layer ended. */
    private static String innermostProtocol(FieldNode layer, String layerProtocol) {
        String protocol = layerProtocol;
        for (FieldNode child = layer.firstChild(); child != null; child = child.nextSibling()) {
            if (child.def().type() == FieldType.PROTOCOL) {
                protocol = ExpertProtocols.shortName(child.name());
            }
        }
        return protocol;
    }

    /**
     * A Malformed Packet's notes: tshark names the exception, not its cause, and puts it under the protocol being
     * dissected, which stacklab's problem text names by its field when it has one ("(vlan.etype at offset 16)").
     */
    private void addMalformedNotes(int frameNumber, FieldNode malformed, String previousProtocol) {
        for (FieldNode child = malformed.firstChild(); child != null; child = child.nextSibling()) {
            String severityAndGroup = child.expertSeverityAndGroup();
            if (severityAndGroup == null) {
                continue;
            }
            String problem = String.valueOf(child.object());
            String protocol = previousProtocol;
            int field = problem.lastIndexOf(" at offset ");
            int open = field < 0 ? -1 : problem.lastIndexOf('(', field);
            if (open >= 0) {
                String fieldName = problem.substring(open + 1, field);
                int dot = fieldName.indexOf('.');
                String named = ExpertProtocols.shortName(dot < 0 ? fieldName : fieldName.substring(0, dot));
                if (!named.equals(dot < 0 ? fieldName : fieldName.substring(0, dot))) {
                    protocol = named;
                }
            }
            addExpertNote(frameNumber, severityAndGroup, protocol, "Malformed Packet (Exception occurred)");
        }
    }

    /** As tshark's expert tap: one row per severity, protocol and summary; the group is the first note's. */
    private void addExpertNote(int frameNumber, String severityAndGroup, String protocol, String summary) {
        int slash = severityAndGroup.indexOf('/');
        String severity = slash < 0 ? severityAndGroup : severityAndGroup.substring(0, slash);
        String group = slash < 0 ? "" : severityAndGroup.substring(slash + 1);
        int level = Arrays.asList(SEVERITIES).indexOf(severity);
        if (level < 0) {
            return;
        }
        ExpertKey key = new ExpertKey(level, protocol, summary);
        ExpertCount row = expertIndex.get(key);
        if (row == null) {
            row = new ExpertCount(SEVERITIES[level], group, protocol, summary);
            expertIndex.put(key, row);
            expertRows.get(level).add(row);
        }
        row.add(frameNumber);
    }

    private record ExpertKey(int level, String protocol, String summary) {
    }

    private static final class ExpertCount {
        final String severity;
        final String group;
        final String protocol;
        final String summary;
        int[] frameNumbers = new int[4];
        int count;

        ExpertCount(String severity, String group, String protocol, String summary) {
            this.severity = severity;
            this.group = group;
            this.protocol = protocol;
            this.summary = summary;
        }

        void add(int frameNumber) {
            if (count == frameNumbers.length) {
                frameNumbers = Arrays.copyOf(frameNumbers, count * 2);
            }
            frameNumbers[count++] = frameNumber;
        }

        ExpertItem toItem() {
            return new ExpertItem(severity, group, protocol, summary, count, Arrays.copyOf(frameNumbers, count));
        }
    }
}
