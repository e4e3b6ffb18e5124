package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Icmpv4Packet;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;

/**
 * ICMPv4 (RFC 792) as Wireshark 4.0 shows it: type, code, checksum (verified), the type-specific
 * word, echo request/reply matching, the timestamp Linux ping puts in its data, and for error
 * messages the quoted datagram, dissected as far as its bytes go by the IPv4 dissector.
 */
final class IcmpDissector {
    static final FieldDef ICMP = FieldDef.protocol("icmp", "Internet Control Message Protocol");
    static final FieldDef TYPE = FieldDef.uint("icmp.type", "Type");
    static final FieldDef CODE = FieldDef.uint("icmp.code", "Code");
    static final FieldDef CHECKSUM = FieldDef.hex("icmp.checksum", "Checksum", 4);
    static final FieldDef CHECKSUM_STATUS = FieldDef.uint("icmp.checksum.status", "Checksum Status", ChecksumStatus::name);
    static final FieldDef UNUSED = FieldDef.bytes("icmp.unused", "Unused");
    static final FieldDef LENGTH = FieldDef.uint("icmp.length", "Length");
    static final FieldDef LENGTH_ORIGINAL_DATAGRAM = FieldDef.uint("icmp.length.original_datagram", "Length of original datagram");
    static final FieldDef IDENTIFIER = FieldDef.uint("icmp.ident", "Identifier (BE)");
    static final FieldDef IDENTIFIER_LE = FieldDef.uint("icmp.ident_le", "Identifier (LE)");
    static final FieldDef SEQUENCE = FieldDef.uint("icmp.seq", "Sequence Number (BE)");
    static final FieldDef SEQUENCE_LE = FieldDef.uint("icmp.seq_le", "Sequence Number (LE)");
    static final FieldDef MTU = FieldDef.uint("icmp.mtu", "MTU of next hop");
    static final FieldDef POINTER = FieldDef.uint("icmp.pointer", "Pointer");
    static final FieldDef GATEWAY = FieldDef.ipv4("icmp.redir_gw", "Gateway Address");
    static final FieldDef RESPONSE_TO = FieldDef.frameNumber("icmp.resp_to", "Request frame");
    /** A double in milliseconds in Wireshark; kept here as the text tshark prints for it. */
    static final FieldDef RESPONSE_TIME = FieldDef.string("icmp.resptime", "Response time");
    /** An absolute time in Wireshark; kept here as the text tshark prints for it. */
    static final FieldDef DATA_TIME = FieldDef.string("icmp.data_time", "Timestamp from icmp data");
    static final FieldDef DATA_TIME_RELATIVE = FieldDef.timeNanos("icmp.data_time_relative", "Timestamp from icmp data (relative)");

    static final List<FieldDef> FIELDS = List.of(ICMP, TYPE, CODE, CHECKSUM, CHECKSUM_STATUS, UNUSED, LENGTH,
            LENGTH_ORIGINAL_DATAGRAM, IDENTIFIER, IDENTIFIER_LE, SEQUENCE, SEQUENCE_LE, MTU, POINTER, GATEWAY, RESPONSE_TO,
            RESPONSE_TIME, DATA_TIME, DATA_TIME_RELATIVE);

    private static final int TYPE_TIMESTAMP_REQUEST = 13;
    private static final int TYPE_TIMESTAMP_REPLY = 14;
    private static final int TYPE_INFORMATION_REQUEST = 15;
    private static final int TYPE_INFORMATION_REPLY = 16;
    private static final int TYPE_ADDRESS_MASK_REQUEST = 17;
    private static final int TYPE_ADDRESS_MASK_REPLY = 18;
    private static final long SECONDS_PER_DAY = 86_400;

    // Tree lines built from the node when shown (see NodeText).
    private static final NodeText QUOTED_CHECKSUM_LINE = node -> "Checksum: " + FieldNode.hex(node.value(), 4) + " [in ICMP error packet]";
    private static final NodeText CORRECT_CHECKSUM_LINE = node -> "Checksum: " + FieldNode.hex(node.value(), 4) + " [correct]";
    /** Wireshark's BASE_DEC_HEX: "Identifier (BE): 5032 (0x13a8)". */
    private static final NodeText DECIMAL_HEX_LINE = node -> node.def().label() + ": " + node.value() + " (" + FieldNode.hex(node.value(), 4) + ")";
    private static final NodeText STRING_LINE = node -> node.def().label() + ": " + node.object();

    private IcmpDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length) {
        ctx.setProtocol("ICMP");
        StringBuilder info = ctx.setInfo();
        byte[] data = ctx.data;
        if (length < 6) {
            // Wireshark reads byte 5 (RFC 4884's length) before anything else, so it shows nothing of a shorter message.
            ctx.malformed("ICMPv4: message of " + length + " bytes is shorter than the 8-byte header", offset + length);
            return;
        }
        FieldNode icmp = ctx.add(parent, ICMP, offset, length);
        int type = BigEndian.u8(data, offset + Icmpv4Packet.TYPE);
        int code = BigEndian.u8(data, offset + Icmpv4Packet.CODE);
        String typeName = typeName(type);
        String codeName = codeName(type, code);
        info.append(typeName);
        for (int pad = typeName.length(); pad < 20; pad++) {
            info.append(' ');
        }
        if (codeName != null) {
            info.append(" (").append(codeName).append(')');
        }
        FieldNode typeNode = ctx.add(icmp, TYPE, offset + Icmpv4Packet.TYPE, 1, type);
        if (typeNode != null) {
            typeNode.text(node -> "Type: " + node.value() + " (" + typeName + ")");
        }
        FieldNode codeNode = ctx.add(icmp, CODE, offset + Icmpv4Packet.CODE, 1, code);
        if (codeNode != null && codeName != null) {
            codeNode.text(node -> "Code: " + node.value() + " (" + codeName + ")");
        }
        if (length < Icmpv4Packet.HEADER_LENGTH) {
            ctx.malformed("ICMPv4: message of " + length + " bytes is shorter than the 8-byte header", offset + length);
            return;
        }
        Icmpv4Packet packet;
        try {
            packet = Icmpv4Packet.wrapChecked(data, offset, length);
        } catch (dev.stacklab.wire.MalformedPacketException impossible) {
            ctx.malformed(impossible);
            return;
        }
        addChecksum(ctx, icmp, packet);

        switch (type) {
            case Icmpv4Packet.TYPE_ECHO_REPLY, Icmpv4Packet.TYPE_ECHO_REQUEST, TYPE_TIMESTAMP_REQUEST, TYPE_TIMESTAMP_REPLY,
                    TYPE_INFORMATION_REQUEST, TYPE_INFORMATION_REPLY, TYPE_ADDRESS_MASK_REQUEST, TYPE_ADDRESS_MASK_REPLY ->
                    addEchoHeader(ctx, icmp, packet, info);
            case Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE, Icmpv4Packet.TYPE_TIME_EXCEEDED -> {
                int originalLength = BigEndian.u8(data, offset + 5);
                if (originalLength > 0) {
                    addRfc4884Length(ctx, icmp, offset, originalLength);
                    if (type == Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE && code == Icmpv4Packet.CODE_FRAGMENTATION_NEEDED) {
                        ctx.add(icmp, MTU, offset + Icmpv4Packet.NEXT_HOP_MTU, 2, packet.nextHopMtu());
                    } else {
                        ctx.addBytes(icmp, UNUSED, offset + 6, 2);
                    }
                } else if (type == Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE && code == Icmpv4Packet.CODE_FRAGMENTATION_NEEDED) {
                    ctx.addBytes(icmp, UNUSED, offset + 4, 2);
                    ctx.add(icmp, MTU, offset + Icmpv4Packet.NEXT_HOP_MTU, 2, packet.nextHopMtu());
                } else {
                    ctx.addBytes(icmp, UNUSED, offset + 4, 4);
                }
            }
            case Icmpv4Packet.TYPE_PARAMETER_PROBLEM -> {
                ctx.add(icmp, POINTER, offset + Icmpv4Packet.POINTER, 1, packet.pointer());
                int originalLength = BigEndian.u8(data, offset + 5);
                if (originalLength > 0) {
                    ctx.add(icmp, LENGTH, offset + 5, 1, originalLength);
                    FieldNode original = ctx.add(icmp, LENGTH_ORIGINAL_DATAGRAM, offset + 5, 1, originalLength * 4L);
                    if (original != null) {
                        original.generated();
                    }
                    ctx.addBytes(icmp, UNUSED, offset + 6, 2);
                } else {
                    ctx.addBytes(icmp, UNUSED, offset + 5, 3);
                }
            }
            case Icmpv4Packet.TYPE_REDIRECT -> ctx.add(icmp, GATEWAY, offset + 4, 4, BigEndian.i32(data, offset + 4));
            default -> {
            }
        }

        if (Icmpv4Packet.isError(type)) {
            dissectQuotedDatagram(ctx, icmp, packet);
        } else if (type == Icmpv4Packet.TYPE_ECHO_REQUEST || type == Icmpv4Packet.TYPE_ECHO_REPLY) {
            matchEcho(ctx, icmp, packet, info);
            dissectEchoData(ctx, icmp, packet);
        } else if ((type == TYPE_TIMESTAMP_REQUEST || type == TYPE_TIMESTAMP_REPLY) && packet.bodyLength() < 12) {
            // RFC 792 page 16: originate, receive and transmit timestamps, 32 bits each.
            ctx.malformed("ICMPv4: timestamp message of " + length + " bytes has no room for its three timestamps",
                    offset + length);
        } else {
            DataDissector.dissect(ctx, icmp, packet.bodyOffset(), packet.bodyLength());
        }
    }

    private static void addChecksum(DissectionContext ctx, FieldNode icmp, Icmpv4Packet packet) {
        if (icmp == null) {
            // The verdict shows only in the tree; the columns do not depend on it.
            return;
        }
        int offset = packet.offset();
        int checksum = packet.checksum();
        FieldNode checksumNode = ctx.add(icmp, CHECKSUM, offset + Icmpv4Packet.CHECKSUM, 2, checksum);
        if (ctx.quoteDepth > 0) {
            // A quoted message is usually cut short, so Wireshark does not check it.
            if (checksumNode != null) {
                checksumNode.text(QUOTED_CHECKSUM_LINE);
            }
            ChecksumStatus.add(ctx, icmp, CHECKSUM_STATUS, offset + Icmpv4Packet.CHECKSUM, ChecksumStatus.UNVERIFIED);
        } else if (packet.checksumValid()) {
            if (checksumNode != null) {
                checksumNode.text(CORRECT_CHECKSUM_LINE);
            }
            ChecksumStatus.add(ctx, icmp, CHECKSUM_STATUS, offset + Icmpv4Packet.CHECKSUM, ChecksumStatus.GOOD);
        } else {
            if (checksumNode != null) {
                String expected = FieldNode.hex(packet.computeChecksum(), 4);
                checksumNode.text("Checksum: " + FieldNode.hex(checksum, 4) + " incorrect, should be " + expected);
                ctx.addString(checksumNode, DissectionContext.EXPERT, offset + Icmpv4Packet.CHECKSUM, 2,
                        "Bad checksum [should be " + expected + "]").text("[Expert Info (Warning/Checksum): Bad checksum [should be " + expected + "]]");
            }
            ChecksumStatus.add(ctx, icmp, CHECKSUM_STATUS, offset + Icmpv4Packet.CHECKSUM, ChecksumStatus.BAD);
        }
    }

    private static void addEchoHeader(DissectionContext ctx, FieldNode icmp, Icmpv4Packet packet, StringBuilder info) {
        int offset = packet.offset();
        int identifier = packet.identifier();
        int sequence = packet.sequenceNumber();
        int identifierLe = Integer.reverseBytes(identifier) >>> 16;
        int sequenceLe = Integer.reverseBytes(sequence) >>> 16;
        addDecimalHex(ctx, icmp, IDENTIFIER, offset + Icmpv4Packet.IDENTIFIER, identifier);
        addDecimalHex(ctx, icmp, IDENTIFIER_LE, offset + Icmpv4Packet.IDENTIFIER, identifierLe);
        addDecimalHex(ctx, icmp, SEQUENCE, offset + Icmpv4Packet.SEQUENCE_NUMBER, sequence);
        addDecimalHex(ctx, icmp, SEQUENCE_LE, offset + Icmpv4Packet.SEQUENCE_NUMBER, sequenceLe);
        info.append(" id=0x");
        appendHex4(info, identifier);
        info.append(", seq=").append(sequence).append('/').append(sequenceLe);
        if (ctx.ipTtl >= 0) {
            info.append(", ttl=").append(ctx.ipTtl);
        }
    }

    /** Wireshark's BASE_DEC_HEX: "Identifier (BE): 5032 (0x13a8)". */
    private static void addDecimalHex(DissectionContext ctx, FieldNode icmp, FieldDef def, int offset, int value) {
        FieldNode node = ctx.add(icmp, def, offset, 2, value);
        if (node != null) {
            node.text(DECIMAL_HEX_LINE);
        }
    }

    private static void appendHex4(StringBuilder out, int value) {
        for (int shift = 12; shift >= 0; shift -= 4) {
            out.append(Character.forDigit((value >>> shift) & 0xF, 16));
        }
    }

    private static void addRfc4884Length(DissectionContext ctx, FieldNode icmp, int offset, int originalLength) {
        // RFC 4884 section 4.1: byte 5 gives the quoted datagram's length in 32-bit words.
        ctx.addBytes(icmp, UNUSED, offset + 4, 1);
        ctx.add(icmp, LENGTH, offset + 5, 1, originalLength);
        FieldNode node = ctx.add(icmp, LENGTH_ORIGINAL_DATAGRAM, offset + 5, 1, originalLength * 4L);
        if (node != null) {
            node.generated();
        }
    }

    private static void matchEcho(DissectionContext ctx, FieldNode icmp, Icmpv4Packet packet, StringBuilder info) {
        if (ctx.quoteDepth > 0) {
            return;
        }
        IcmpTransactions transactions = ctx.session.icmpTransactions;
        if (packet.type() == Icmpv4Packet.TYPE_ECHO_REQUEST) {
            transactions.request(ctx.ipSource, ctx.ipDestination, packet.identifier(), packet.sequenceNumber(), packet.checksum(),
                    ctx.frameNumber, ctx.timestampNanos);
            return;
        }
        IcmpTransactions.Transaction request = transactions.reply(ctx.ipSource, ctx.ipDestination, packet.identifier(),
                packet.sequenceNumber(), packet.checksum(), ctx.frameNumber);
        if (request == null) {
            return;
        }
        info.append(" (request in ").append(request.requestFrame).append(')');
        if (icmp != null) {
            ctx.add(icmp, RESPONSE_TO, packet.offset(), 0, request.requestFrame).generated();
            long nanos = ctx.timestampNanos - request.requestTimestampNanos;
            double milliseconds = nanos / 1_000_000.0;
            ctx.addString(icmp, RESPONSE_TIME, packet.offset(), 0, new LazyString(() -> formatDouble(nanos)))
                    .text(node -> "Response time: " + String.format(Locale.ROOT, "%.3f", milliseconds) + " ms").generated();
        }
    }

    /** Milliseconds as tshark prints a double field: C's {@code %.15g} without trailing zeros. */
    static String formatDouble(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        BigDecimal milliseconds = BigDecimal.valueOf(nanos).movePointLeft(6).round(new MathContext(15)).stripTrailingZeros();
        int exponent = milliseconds.precision() - milliseconds.scale() - 1;
        if (exponent < -4 || exponent >= 15) {
            BigDecimal mantissa = milliseconds.movePointLeft(exponent);
            String sign = exponent < 0 ? "-" : "+";
            int magnitude = Math.abs(exponent);
            return mantissa.toPlainString() + "e" + sign + (magnitude < 10 ? "0" : "") + magnitude;
        }
        return milliseconds.toPlainString();
    }

    /**
     * Wireshark 4.0's guess at the time stamp ping puts at the start of its data: a 32-bit seconds
     * and microseconds pair, big-endian or else little-endian, accepted when within a day of the
     * frame's own time.
     */
    private static void dissectEchoData(DissectionContext ctx, FieldNode icmp, Icmpv4Packet packet) {
        int bodyOffset = packet.bodyOffset();
        int bodyLength = packet.bodyLength();
        if (bodyLength >= 8) {
            byte[] data = ctx.data;
            long frameSeconds = Math.floorDiv(ctx.timestampNanos, 1_000_000_000L);
            long seconds = BigEndian.u32(data, bodyOffset);
            long microseconds = BigEndian.u32(data, bodyOffset + 4);
            if (!plausible(seconds, microseconds, frameSeconds)) {
                seconds = Integer.reverseBytes(BigEndian.i32(data, bodyOffset)) & 0xFFFF_FFFFL;
                microseconds = Integer.reverseBytes(BigEndian.i32(data, bodyOffset + 4)) & 0xFFFF_FFFFL;
            }
            if (plausible(seconds, microseconds, frameSeconds)) {
                if (icmp != null) {
                    long stampNanos = seconds * 1_000_000_000L + microseconds * 1000L;
                    // Made when read: a display filter builds every ICMP tree, and formatting a date is most of one.
                    ctx.addString(icmp, DATA_TIME, bodyOffset, 8, new LazyString(() -> formatAbsolute(stampNanos))).text(STRING_LINE);
                    long relative = ctx.timestampNanos - stampNanos;
                    ctx.add(icmp, DATA_TIME_RELATIVE, bodyOffset, 8, relative)
                            .text(FrameDissector.SECONDS_LINE).generated();
                }
                DataDissector.dissect(ctx, icmp, bodyOffset + 8, bodyLength - 8);
                return;
            }
        }
        DataDissector.dissect(ctx, icmp, bodyOffset, bodyLength);
    }

    private static boolean plausible(long seconds, long microseconds, long frameSeconds) {
        // As Wireshark computes it: the difference truncated to 32 bits, then its absolute value.
        int difference = (int) (seconds - frameSeconds);
        return Math.abs((long) difference) < SECONDS_PER_DAY && microseconds < 1_000_000;
    }

    /** "Nov 22, 2026 02:16:05.000000000 UTC", Wireshark's local absolute time format. */
    static String formatAbsolute(long nanos) {
        ZonedDateTime time = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
                .atZone(ZoneId.systemDefault());
        StringBuilder out = new StringBuilder(40);
        out.append(time.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)).append(' ');
        if (time.getDayOfMonth() < 10) {
            out.append(' ');
        }
        out.append(time.getDayOfMonth()).append(", ").append(time.getYear()).append(' ');
        appendTwoDigits(out, time.getHour());
        out.append(':');
        appendTwoDigits(out, time.getMinute());
        out.append(':');
        appendTwoDigits(out, time.getSecond());
        String fraction = Integer.toString(time.getNano());
        out.append('.').append("0".repeat(9 - fraction.length())).append(fraction).append(' ');
        out.append(time.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        return out.toString();
    }

    private static void appendTwoDigits(StringBuilder out, int value) {
        if (value < 10) {
            out.append('0');
        }
        out.append(value);
    }

    /**
     * The datagram an error quotes: its IP header and the start of its data, dissected by the IPv4
     * dissector under the ICMP node. The columns stay those of the ICMP message.
     */
    private static void dissectQuotedDatagram(DissectionContext ctx, FieldNode icmp, Icmpv4Packet packet) {
        if (packet.bodyLength() <= 0) {
            return;
        }
        boolean fenced = ctx.columnsFenced;
        int ipSource = ctx.ipSource;
        int ipDestination = ctx.ipDestination;
        int ipProtocol = ctx.ipProtocol;
        int ipTtl = ctx.ipTtl;
        ctx.quoteDepth++;
        ctx.columnsFenced = true;
        try {
            Ipv4Dissector.dissect(ctx, icmp, packet.bodyOffset(), packet.bodyLength());
        } finally {
            ctx.quoteDepth--;
            ctx.columnsFenced = fenced;
            ctx.ipSource = ipSource;
            ctx.ipDestination = ipDestination;
            ctx.ipProtocol = ipProtocol;
            ctx.ipTtl = ipTtl;
        }
    }

    /** Wireshark's names for ICMP types ({@code icmp_type_str}). */
    static String typeName(int type) {
        return switch (type) {
            case 0 -> "Echo (ping) reply";
            case 1, 2, 7 -> "Reserved";
            case 3 -> "Destination unreachable";
            case 4 -> "Source quench (flow control)";
            case 5 -> "Redirect";
            case 6 -> "Alternate host address";
            case 8 -> "Echo (ping) request";
            case 9 -> "Router advertisement";
            case 10 -> "Router solicitation";
            case 11 -> "Time-to-live exceeded";
            case 12 -> "Parameter problem";
            case 13 -> "Timestamp request";
            case 14 -> "Timestamp reply";
            case 15 -> "Information request";
            case 16 -> "Information reply";
            case 17 -> "Address mask request";
            case 18 -> "Address mask reply";
            case 19 -> "Reserved (for security)";
            case 30 -> "Traceroute";
            case 31 -> "Datagram Conversion Error";
            case 32 -> "Mobile Host Redirect";
            case 33 -> "IPv6 Where-Are-You";
            case 34 -> "IPv6 I-Am-Here";
            case 35 -> "Mobile Registration Request";
            case 36 -> "Mobile Registration Reply";
            case 37 -> "Domain Name Request";
            case 38 -> "Domain Name Reply";
            case 39 -> "SKIP";
            case 40 -> "Photuris";
            case 41 -> "Experimental mobility protocols";
            case 42 -> "Extended Echo request";
            case 43 -> "Extended Echo reply";
            default -> "Unknown ICMP (obsolete or malformed?)";
        };
    }

    /** Wireshark's names for the codes of the types that have them, "Unknown code: N" otherwise; null for types without. */
    static String codeName(int type, int code) {
        String name = switch (type) {
            case Icmpv4Packet.TYPE_DESTINATION_UNREACHABLE -> switch (code) {
                case 0 -> "Network unreachable";
                case 1 -> "Host unreachable";
                case 2 -> "Protocol unreachable";
                case 3 -> "Port unreachable";
                case 4 -> "Fragmentation needed";
                case 5 -> "Source route failed";
                case 6 -> "Destination network unknown";
                case 7 -> "Destination host unknown";
                case 8 -> "Source host isolated";
                case 9 -> "Network administratively prohibited";
                case 10 -> "Host administratively prohibited";
                case 11 -> "Network unreachable for TOS";
                case 12 -> "Host unreachable for TOS";
                case 13 -> "Communication administratively filtered";
                case 14 -> "Host precedence violation";
                case 15 -> "Precedence cutoff in effect";
                default -> null;
            };
            case Icmpv4Packet.TYPE_REDIRECT -> switch (code) {
                case 0 -> "Redirect for network";
                case 1 -> "Redirect for host";
                case 2 -> "Redirect for TOS and network";
                case 3 -> "Redirect for TOS and host";
                default -> null;
            };
            case Icmpv4Packet.TYPE_TIME_EXCEEDED -> switch (code) {
                case 0 -> "Time to live exceeded in transit";
                case 1 -> "Fragment reassembly time exceeded";
                default -> null;
            };
            case Icmpv4Packet.TYPE_PARAMETER_PROBLEM -> switch (code) {
                case 0 -> "Pointer indicates the error";
                case 1 -> "Required option missing";
                case 2 -> "Bad length";
                default -> null;
            };
            default -> "";
        };
        if (name == null) {
            return "Unknown code: " + code;
        }
        return name.isEmpty() ? null : name;
    }
}
