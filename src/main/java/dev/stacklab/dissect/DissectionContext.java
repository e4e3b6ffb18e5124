package dev.stacklab.dissect;

import dev.stacklab.wire.Ipv6Address;
import dev.stacklab.wire.MalformedPacketException;

import java.util.ArrayList;
import java.util.List;

/**
 * The working state of dissecting one frame, handed down from layer to layer: the bytes, the tree
 * being built (or none), the columns, and what a lower layer tells the one above it.
 *
 * <p>As in Wireshark, a null parent means "no tree": in summary mode the root is null, so every
 * {@code add} returns null at once and a dissector pays only for what the columns need. Dissectors
 * therefore never test {@code buildTree} themselves; they add fields and go on.
 */
final class DissectionContext {
    static final FieldDef ROOT = FieldDef.protocol("_ws.root", "Frame");
    static final FieldDef MALFORMED = FieldDef.protocol("_ws.malformed", "Malformed Packet");
    static final FieldDef EXPERT = FieldDef.string("_ws.expert.message", "Expert Info");
    static final FieldDef TEXT = FieldDef.none("_ws.text", "Text");
    /** Stands for every node a display filter does not read (never in a tree anyone sees). */
    static final FieldDef PRUNED = FieldDef.none("_ws.pruned", "Not made for this filter");
    private static final int ADDRESSES_TEXT = 0;
    private static final int ADDRESSES_MAC = 1;
    private static final int ADDRESSES_IPV4 = 2;
    private static final int ADDRESSES_IPV6 = 3;

    final DissectionSession session;

    // The frame.
    int frameNumber;
    long timestampNanos;
    /** Where the frame was captured, when the file says (pcapng); null otherwise. */
    FrameInterface frameInterface;
    /** What the file records about the frame besides its bytes (pcapng packet flags, comments); null when nothing. */
    FrameOptions frameOptions;
    int originalLength;
    int capturedLength;
    /** LINKTYPE_ value of the frame: what its bytes start with. */
    int linkType = FrameDissector.LINK_TYPE_ETHERNET;
    /** Decimals of a second the capture file records the frame's time to (the Time column shows as many). */
    int timestampPrecision = 6;

    // The bytes nodes currently point into: the frame, or a reassembled buffer.
    byte[] data;
    int dataSource;
    private final List<FrameTree.DataSource> dataSources = new ArrayList<>(2);

    FieldNode root;
    /** Expert notes added to this frame's tree (some may have been taken off again with a dissection that waited for more bytes). */
    int expertNotes;
    /** The fields a display filter reads, while one runs; null makes every node. */
    private FilterFields kept;
    /**
     * Handed out for the nodes not made while only a filter's fields are kept, so the dissectors go on exactly as
     * when building the whole tree (same columns, same cross-frame state); what they set on it is never read.
     */
    private final FieldNode pruned = new FieldNode(PRUNED, 0, 0, 0, null, 0);
    private final String[] frameSourceNames = new String[2048];

    // Columns. While `columnsFenced` is set (the datagram quoted inside an ICMP error) writes are ignored.
    private String source;
    private String destination;
    // The address columns are formatted only when the summary is made, as the last layer set them.
    private int addressKind;
    private long sourceAddress;
    private long destinationAddress;
    private Ipv6Address sourceIpv6;
    private Ipv6Address destinationIpv6;
    private String protocol;
    final StringBuilder info = new StringBuilder(128);
    // Takes the writes made while the columns are fenced; never read.
    private final StringBuilder discard = new StringBuilder(64);
    boolean columnsFenced;
    // Wireshark's col_set_fence on Info and the Protocol column made unwritable, for a second message after the
    // first in one TCP segment: setInfo replaces only what follows the fence.
    private int infoFence;
    private boolean protocolFenced;
    boolean malformed;

    // What IP tells the transport above it (for the pseudo-header checksum and conversations). For IPv6 the addresses
    // are stood in for by numbers (Ipv6AddressIds) and the addresses themselves are in ipv6Source and ipv6Destination.
    int ipSource;
    int ipDestination;
    /** 4 or 6: the IP version of the datagram the transport above is in; 0 before any. */
    int ipVersion;
    Ipv6Address ipv6Source;
    Ipv6Address ipv6Destination;
    int ipProtocol;
    /** The IPv4 header's time to live, which ICMP echo summaries quote ("ttl=64"); -1 when there is none. */
    int ipTtl;
    /** Greater than zero while dissecting the datagram an ICMP error quotes. */
    int quoteDepth;
    /**
     * What a protocol over TCP says when its message runs past the bytes it was given (Wireshark's
     * pinfo->desegment_offset and desegment_len): where the message starts and how many bytes more it needs.
     */
    int desegmentOffset;
    int desegmentLength;
    /** The TCP layer's tree and ports, for a protocol above that notes its message sizes there ("[PDU Size: 51]"). */
    FieldNode tcpTree;
    int sourcePort;
    int destinationPort;

    DissectionContext(DissectionSession session) {
        this.session = session;
    }

    void start(int frameNumber, long timestampNanos, byte[] frame, int capturedLength, int originalLength, boolean buildTree) {
        start(frameNumber, timestampNanos, frame, capturedLength, originalLength, buildTree, null);
    }

    /**
     * Starts a frame; with {@code kept} set (a tree for a display filter) only the nodes of those fields are made,
     * each under the nearest kept node above it or at the top (a filter looks for its fields anywhere in the tree).
     */
    void start(int frameNumber, long timestampNanos, byte[] frame, int capturedLength, int originalLength, boolean buildTree,
               FilterFields kept) {
        this.kept = buildTree ? kept : null;
        this.frameNumber = frameNumber;
        this.timestampNanos = timestampNanos;
        this.data = frame;
        this.capturedLength = capturedLength;
        this.originalLength = originalLength;
        this.dataSource = 0;
        this.dataSources.clear();
        this.expertNotes = 0;
        this.root = buildTree ? new FieldNode(ROOT, 0, capturedLength, 0, null, 0) : null;
        if (buildTree) {
            dataSources.add(new FrameTree.DataSource(frameSourceName(capturedLength), frame, capturedLength));
        }
        this.source = "";
        this.destination = "";
        this.addressKind = ADDRESSES_TEXT;
        this.protocol = "";
        this.info.setLength(0);
        this.columnsFenced = false;
        this.infoFence = 0;
        this.protocolFenced = false;
        this.malformed = false;
        this.ipSource = 0;
        this.ipDestination = 0;
        this.ipProtocol = -1;
        this.ipTtl = -1;
        this.ipVersion = 0;
        this.ipv6Source = null;
        this.ipv6Destination = null;
        this.quoteDepth = 0;
    }

    /** "Frame (98 bytes)": made once per frame length seen, since captures repeat a few lengths. */
    private String frameSourceName(int capturedLength) {
        if (capturedLength >= frameSourceNames.length) {
            return "Frame (" + capturedLength + " bytes)";
        }
        String name = frameSourceNames[capturedLength];
        if (name == null) {
            name = "Frame (" + capturedLength + " bytes)";
            frameSourceNames[capturedLength] = name;
        }
        return name;
    }

    boolean buildingTree() {
        return root != null;
    }

    // ---- tree ----

    /** Adds a numeric field (integers, flags, MAC and IPv4 bits); returns null when there is no tree. */
    FieldNode add(FieldNode parent, FieldDef def, int offset, int length, long value) {
        FieldNode into = parentFor(parent, def);
        if (into == null || into == pruned) {
            return into;
        }
        return into.add(new FieldNode(def, offset, length, value, null, dataSource));
    }

    /**
     * Where a node of {@code def} goes: null when no tree is built (or a filter reads nothing of the layer it
     * starts), {@link #pruned} when a filter runs that does not read the field (no node is made), else its parent
     * (the top of the tree when its parent was not made).
     */
    private FieldNode parentFor(FieldNode parent, FieldDef def) {
        if (parent == null || kept == null) {
            return parent;
        }
        if (!kept.keeps(def)) {
            // A whole layer the filter reads nothing of is dissected as for a summary: no node below it either.
            return parent == root && kept.skipsLayer(def) ? null : pruned;
        }
        return parent == pruned ? root : parent;
    }

    /** The first node named as {@code def} below {@code parent}; while a filter runs, one that was not made is {@link #pruned}. */
    FieldNode find(FieldNode parent, FieldDef def) {
        if (parent == null) {
            return null;
        }
        FieldNode found = parent.find(def.name());
        return found == null && kept != null ? pruned : found;
    }

    /** Adds a protocol or text node covering a range. */
    FieldNode add(FieldNode parent, FieldDef def, int offset, int length) {
        return add(parent, def, offset, length, 0);
    }

    /** Adds a bytes field over the current data source, without copying. */
    FieldNode addBytes(FieldNode parent, FieldDef def, int offset, int length) {
        FieldNode into = parentFor(parent, def);
        if (into == null || into == pruned) {
            return into;
        }
        return into.add(new FieldNode(def, offset, length, 0, new ByteSlice(data, offset, length), dataSource));
    }

    FieldNode addString(FieldNode parent, FieldDef def, int offset, int length, String value) {
        FieldNode into = parentFor(parent, def);
        if (into == null || into == pruned) {
            return into;
        }
        if (def == EXPERT) {
            expertNotes++;
        }
        return into.add(new FieldNode(def, offset, length, 0, value, dataSource));
    }

    /** {@link #addString} for a value made only when it is read. */
    FieldNode addString(FieldNode parent, FieldDef def, int offset, int length, LazyString value) {
        FieldNode into = parentFor(parent, def);
        if (into == null || into == pruned) {
            return into;
        }
        return into.add(new FieldNode(def, offset, length, 0, value, dataSource));
    }

    /** Adds an IPv6 address field (its value is the address object). */
    FieldNode addIpv6(FieldNode parent, FieldDef def, int offset, Ipv6Address address) {
        FieldNode into = parentFor(parent, def);
        if (into == null || into == pruned) {
            return into;
        }
        return into.add(new FieldNode(def, offset, 16, 0, address, dataSource));
    }

    /** Adds a line of plain text. */
    FieldNode addText(FieldNode parent, int offset, int length, String text) {
        FieldNode node = add(parent, TEXT, offset, length, 0);
        return node == null ? null : node.text(text);
    }

    /**
     * Records that a layer could not be dissected completely: a {@code [Malformed Packet]} node at
     * the top level naming what is wrong, and the mark in the Info column, as Wireshark does.
     */
    void malformed(MalformedPacketException problem) {
        malformed(problem.getMessage(), problem.offset());
    }

    void malformed(String problem, int offset) {
        if (!malformed) {
            malformed = true;
            if (!columnsFenced) {
                // Wireshark appends the mark with no separator ("...request[Malformed Packet]").
                info.append("[Malformed Packet]");
            }
        }
        if (root != null) {
            int at = Math.max(0, Math.min(offset, capturedLength));
            FieldNode node = add(root, MALFORMED, at, 0, 0);
            node.text("[Malformed Packet: " + problem + "]");
            addExpert(node, at, 0, "Error/Malformed", problem);
        }
    }

    /**
     * Adds one of Wireshark's expert notes under {@code parent}, e.g. "Connection reset (RST)" at
     * severity "Chat" in group "Sequence"; filterable as {@code _ws.expert.message}.
     */
    FieldNode addExpert(FieldNode parent, int offset, int length, String severityAndGroup, String message) {
        return addExpert(parent, offset, length, severityAndGroup, message, null);
    }

    /**
     * {@link #addExpert(FieldNode, int, int, String, String)} for an expert note that has a field of its own
     * ({@code expertField}, e.g. {@code arp.duplicate-address-detected}), filterable by that name too. Below the
     * note come the lines tshark -V prints: the message, the severity level and the group.
     */
    FieldNode addExpert(FieldNode parent, int offset, int length, String severityAndGroup, String message, FieldDef expertField) {
        FieldNode node = addString(parent, EXPERT, offset, length, message);
        if (node == null) {
            return null;
        }
        node.text(new ExpertText(severityAndGroup));
        boolean textLines = kept == null || kept.keeps(TEXT);
        if (expertField != null) {
            add(node, expertField, offset, 0, 0).generated().text(message);
        } else if (textLines) {
            addText(node, offset, 0, "[" + message + "]");
        }
        if (textLines) {
            // Lines only people read: not even written while a filter that does not read them runs.
            int slash = severityAndGroup.indexOf('/');
            addText(node, offset, 0, "[Severity level: " + severityAndGroup.substring(0, slash) + "]");
            addText(node, offset, 0, "[Group: " + severityAndGroup.substring(slash + 1) + "]");
        }
        return node;
    }

    /**
     * The line of an expert note, "[Expert Info (Warning/Sequence): Connection reset (RST)]", made when shown; it keeps
     * the severity and group, which the capture's statistics read ({@link FieldNode#expertSeverityAndGroup()}).
     */
    record ExpertText(String severityAndGroup) implements NodeText {
        @Override
        public String line(FieldNode node) {
            return "[Expert Info (" + severityAndGroup + "): " + node.object() + "]";
        }
    }

    // ---- data sources (reassembly) ----

    /** Makes {@code bytes} the buffer new nodes point into; returns the previous source to restore. */
    int pushDataSource(String name, byte[] bytes, int length) {
        int previous = dataSource;
        if (root != null) {
            dataSources.add(new FrameTree.DataSource(name, bytes, length));
            dataSource = dataSources.size() - 1;
        }
        data = bytes;
        return previous;
    }

    void popDataSource(int previous, byte[] previousData) {
        dataSource = previous;
        data = previousData;
    }

    List<FrameTree.DataSource> dataSources() {
        return dataSources;
    }

    // ---- columns ----

    void setProtocol(String value) {
        if (!columnsFenced && !protocolFenced) {
            protocol = value;
        }
    }

    void setAddresses(String source, String destination) {
        if (!columnsFenced) {
            this.source = source;
            this.destination = destination;
            this.addressKind = ADDRESSES_TEXT;
        }
    }

    /** The address columns are these MAC addresses, named as Wireshark names them. */
    void setMacAddresses(long source, long destination) {
        if (!columnsFenced) {
            this.sourceAddress = source;
            this.destinationAddress = destination;
            this.addressKind = ADDRESSES_MAC;
        }
    }

    /** The address columns are these IPv4 addresses. */
    void setIpv4Addresses(int source, int destination) {
        if (!columnsFenced) {
            this.sourceAddress = source;
            this.destinationAddress = destination;
            this.addressKind = ADDRESSES_IPV4;
        }
    }

    /** The address columns are these IPv6 addresses. */
    void setIpv6Addresses(Ipv6Address source, Ipv6Address destination) {
        if (!columnsFenced) {
            this.sourceIpv6 = source;
            this.destinationIpv6 = destination;
            this.addressKind = ADDRESSES_IPV6;
        }
    }

    /** Replaces the Info column (each layer that recognises the frame writes its own, as Wireshark's do). */
    StringBuilder setInfo() {
        if (columnsFenced) {
            discard.setLength(0);
            return discard;
        }
        info.setLength(infoFence);
        return info;
    }

    /** The first {@code length} characters of Info stay when a layer above sets its own (Wireshark's col_prepend_fence_fstr). */
    void fenceInfo(int length) {
        if (!columnsFenced && length > 0) {
            infoFence = length;
        }
    }

    /**
     * Another message of the protocol above follows in the same TCP segment: it adds to the Info column without
     * replacing what is there, and leaves the Protocol column as it is (Wireshark's desegment_tcp).
     */
    void fenceColumnsForNextPdu() {
        if (!columnsFenced) {
            infoFence = info.length();
            protocolFenced = true;
        }
    }

    /** Appends to the Info column (ignored while fenced). */
    StringBuilder appendInfo() {
        if (columnsFenced) {
            discard.setLength(0);
            return discard;
        }
        return info;
    }

    FrameSummary summary(long relativeTimeNanos) {
        return new FrameSummary(frameNumber, relativeTimeNanos, timestampPrecision, shownSource(), shownDestination(), protocol,
                originalLength, info.toString(), malformed);
    }

    /** The summary's line, written straight from the columns (no FrameSummary, no Info String). */
    void appendSummaryLine(Utf8Text out, long relativeTimeNanos) {
        SummaryLine.appendTo(out, frameNumber, relativeTimeNanos, timestampPrecision, shownSource(), shownDestination(), protocol, originalLength, info);
    }

    /** The summary's columns, added to {@code batch} for another thread to write as a line. */
    void addSummaryTo(SummaryBatch batch, long relativeTimeNanos) {
        batch.add(frameNumber, relativeTimeNanos, timestampPrecision, shownSource(), shownDestination(), protocol, originalLength, info, malformed);
    }

    private String shownSource() {
        return switch (addressKind) {
            case ADDRESSES_MAC -> session.addressTexts.macName(sourceAddress);
            case ADDRESSES_IPV4 -> session.addressTexts.ipv4((int) sourceAddress);
            case ADDRESSES_IPV6 -> session.addressTexts.ipv6(sourceIpv6);
            default -> source;
        };
    }

    private String shownDestination() {
        return switch (addressKind) {
            case ADDRESSES_MAC -> session.addressTexts.macName(destinationAddress);
            case ADDRESSES_IPV4 -> session.addressTexts.ipv4((int) destinationAddress);
            case ADDRESSES_IPV6 -> session.addressTexts.ipv6(destinationIpv6);
            default -> destination;
        };
    }
}
