package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Ipv4Address;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * NTP (RFC 5905 section 7.3) on UDP port 123 as tshark 4.0 shows a client's or server's packet: the flags (leap
 * indicator, version, mode), stratum, poll interval, precision, root delay and dispersion, reference ID and the four
 * timestamps in UTC. Info "NTP Version 4, client". Control (mode 6) and private (mode 7) messages are shown by
 * their header only.
 */
final class NtpDissector {
    static final int PORT = 123;
    private static final int HEADER_LENGTH = 48;
    /** Seconds from the NTP era's start (1900-01-01) to the Unix epoch. */
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("MMM ppd, yyyy HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    static final FieldDef NTP = FieldDef.protocol("ntp", "Network Time Protocol");
    static final FieldDef FLAGS = FieldDef.hex("ntp.flags", "Flags", 2);
    static final FieldDef LEAP = FieldDef.bits("ntp.flags.li", "Leap Indicator", 8, 0xC0, NtpDissector::leapName);
    static final FieldDef VERSION = FieldDef.bits("ntp.flags.vn", "Version number", 8, 0x38, NtpDissector::versionName);
    static final FieldDef MODE = FieldDef.bits("ntp.flags.mode", "Mode", 8, 0x07, NtpDissector::modeName);
    static final FieldDef STRATUM = FieldDef.uint("ntp.stratum", "Peer Clock Stratum", NtpDissector::stratumName);
    static final FieldDef POLL = FieldDef.uint("ntp.ppoll", "Peer Polling Interval");
    static final FieldDef PRECISION = FieldDef.uint("ntp.precision", "Peer Clock Precision");
    static final FieldDef ROOT_DELAY = FieldDef.uint("ntp.rootdelay", "Root Delay");
    static final FieldDef ROOT_DISPERSION = FieldDef.uint("ntp.rootdispersion", "Root Dispersion");
    static final FieldDef REFERENCE_ID = FieldDef.bytes("ntp.refid", "Reference ID");
    static final FieldDef REFERENCE_TIME = FieldDef.string("ntp.reftime", "Reference Timestamp");
    static final FieldDef ORIGIN_TIME = FieldDef.string("ntp.org", "Origin Timestamp");
    static final FieldDef RECEIVE_TIME = FieldDef.string("ntp.rec", "Receive Timestamp");
    static final FieldDef TRANSMIT_TIME = FieldDef.string("ntp.xmt", "Transmit Timestamp");

    static final List<FieldDef> FIELDS = List.of(NTP, FLAGS, LEAP, VERSION, MODE, STRATUM, POLL, PRECISION, ROOT_DELAY,
            ROOT_DISPERSION, REFERENCE_ID, REFERENCE_TIME, ORIGIN_TIME, RECEIVE_TIME, TRANSMIT_TIME);

    private static final NodeText TIMESTAMP_LINE = node -> node.def().label() + ": " + node.object();

    private NtpDissector() {
    }

    static boolean claims(int sourcePort, int destinationPort) {
        return sourcePort == PORT || destinationPort == PORT;
    }

    static void dissect(DissectionContext ctx, int offset, int length) {
        byte[] data = ctx.data;
        ctx.setProtocol("NTP");
        int flags = data[offset] & 0xFF;
        int version = (flags >>> 3) & 7;
        int mode = flags & 7;
        String versionText = versionName(version);
        String modeText = modeName(mode);
        ctx.setInfo().append(versionText).append(", ").append(modeText);
        FieldNode ntp = ctx.add(ctx.root, NTP, offset, length);
        if (ntp == null) {
            if (length < HEADER_LENGTH && mode != 6 && mode != 7) {
                ctx.malformed("NTP: packet of " + length + " bytes is shorter than the 48-byte header", offset + length);
            }
            return;
        }
        ntp.text(NTP.label() + " (" + versionText + ", " + modeText + ")");
        FieldNode flagsNode = ctx.add(ntp, FLAGS, offset, 1, flags);
        flagsNode.text("Flags: 0x" + String.format("%02x", flags) + ", Leap Indicator: " + leapName(flags >>> 6) + ", Version number: "
                + versionText + ", Mode: " + modeText);
        ctx.add(flagsNode, LEAP, offset, 1, flags >>> 6);
        ctx.add(flagsNode, VERSION, offset, 1, version);
        ctx.add(flagsNode, MODE, offset, 1, mode);
        if (mode == 6 || mode == 7) {
            // Control and private messages have a layout of their own (RFC 1305 appendix B, ntpd's mode 7).
            if (length > 1) {
                DataDissector.dissect(ctx, ctx.root, offset + 1, length - 1);
            }
            return;
        }
        if (length < HEADER_LENGTH) {
            ctx.malformed("NTP: packet of " + length + " bytes is shorter than the 48-byte header", offset + length);
            return;
        }
        int stratum = data[offset + 1] & 0xFF;
        int poll = data[offset + 2] & 0xFF;
        int precision = data[offset + 3] & 0xFF;
        ctx.add(ntp, STRATUM, offset + 1, 1, stratum);
        ctx.add(ntp, POLL, offset + 2, 1, poll)
                .text(poll >= 4 && poll <= 17 ? "Peer Polling Interval: " + poll + " (" + (1 << poll) + " seconds)"
                        : "Peer Polling Interval: invalid (" + poll + ")");
        ctx.add(ntp, PRECISION, offset + 3, 1, precision)
                .text("Peer Clock Precision: " + String.format(Locale.ROOT, "%8.6f", Math.pow(2, (byte) precision)) + " seconds");
        long rootDelay = BigEndian.u32(data, offset + 4);
        long rootDispersion = BigEndian.u32(data, offset + 8);
        ctx.add(ntp, ROOT_DELAY, offset + 4, 4, rootDelay).text("Root Delay: " + shortFormat(rootDelay) + " seconds");
        ctx.add(ntp, ROOT_DISPERSION, offset + 8, 4, rootDispersion).text("Root Dispersion: " + shortFormat(rootDispersion) + " seconds");
        ctx.addBytes(ntp, REFERENCE_ID, offset + 12, 4).text("Reference ID: " + referenceId(data, offset + 12, stratum));
        addTimestamp(ctx, ntp, REFERENCE_TIME, offset + 16);
        addTimestamp(ctx, ntp, ORIGIN_TIME, offset + 24);
        addTimestamp(ctx, ntp, RECEIVE_TIME, offset + 32);
        addTimestamp(ctx, ntp, TRANSMIT_TIME, offset + 40);
        if (length > HEADER_LENGTH) {
            // Extension fields and the MAC (RFC 5905 section 7.5) are not read here.
            DataDissector.dissect(ctx, ctx.root, offset + HEADER_LENGTH, length - HEADER_LENGTH);
        }
    }

    /** RFC 5905's short format: 16 bits of seconds, 16 of fraction, printed as Wireshark prints it. */
    private static String shortFormat(long value) {
        return String.format(Locale.ROOT, "%8.6f", value / 65536.0);
    }

    /** RFC 5905 section 7.3: a four-letter code for stratum 0 and 1, else the server's IPv4 address. */
    private static String referenceId(byte[] data, int offset, int stratum) {
        if (BigEndian.u32(data, offset) == 0) {
            return "NULL";
        }
        if (stratum <= 1) {
            StringBuilder code = new StringBuilder(4);
            for (int i = offset; i < offset + 4 && data[i] != 0; i++) {
                code.append((char) (data[i] & 0xFF));
            }
            return code.toString();
        }
        return new Ipv4Address(BigEndian.i32(data, offset)).toString();
    }

    private static void addTimestamp(DissectionContext ctx, FieldNode ntp, FieldDef def, int offset) {
        long seconds = BigEndian.u32(ctx.data, offset);
        long fraction = BigEndian.u32(ctx.data, offset + 4);
        ctx.addString(ntp, def, offset, 8, new LazyString(() -> timestampText(seconds, fraction))).text(TIMESTAMP_LINE);
    }

    /** "Dec  3, 2026 07:06:29.212969779 UTC", or NULL for a zero timestamp (RFC 5905: unknown or not yet set). */
    static String timestampText(long seconds, long fraction) {
        if (seconds == 0 && fraction == 0) {
            return "NULL";
        }
        // Era 0 ends in 2036; Wireshark reads a value below the Unix epoch as era 1's.
        long unixSeconds = seconds >= NTP_TO_UNIX_SECONDS ? seconds - NTP_TO_UNIX_SECONDS : seconds + (1L << 32) - NTP_TO_UNIX_SECONDS;
        long nanos = (fraction * 1_000_000_000L) >>> 32;
        String nanoText = Long.toString(nanos);
        return UTC_TIME.format(Instant.ofEpochSecond(unixSeconds)) + "." + "0".repeat(9 - nanoText.length()) + nanoText + " UTC";
    }

    private static String leapName(long leap) {
        return switch ((int) leap) {
            case 0 -> "no warning";
            case 1 -> "last minute of the day has 61 seconds";
            case 2 -> "last minute of the day has 59 seconds";
            default -> "unknown (clock unsynchronized)";
        };
    }

    private static String versionName(long version) {
        return switch ((int) version) {
            case 1, 2, 3, 4 -> "NTP Version " + version;
            default -> "reserved";
        };
    }

    private static String modeName(long mode) {
        return switch ((int) mode) {
            case 1 -> "symmetric active";
            case 2 -> "symmetric passive";
            case 3 -> "client";
            case 4 -> "server";
            case 5 -> "broadcast";
            case 6 -> "reserved for NTP control message";
            case 7 -> "reserved for private use";
            default -> "reserved";
        };
    }

    private static String stratumName(long stratum) {
        if (stratum == 0) {
            return "unspecified or invalid";
        }
        if (stratum == 1) {
            return "primary reference";
        }
        return stratum <= 15 ? "secondary reference" : stratum == 16 ? "unsynchronized" : "reserved";
    }
}
