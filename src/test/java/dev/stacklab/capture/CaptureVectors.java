package dev.stacklab.capture;

import java.util.HexFormat;
import java.util.List;

/**
 * Small capture files written out byte by byte, one per format variant, with the frames a correct
 * reader must find in them. Shared by the reader tests, the tshark agreement test, the damage tests
 * and the fuzz test's seeds. Timestamps: 1700000000 s is 2023-11-14T22:13:20Z.
 */
final class CaptureVectors {
    record Frame(int capturedLength, int originalLength, long timestampNanos, int linkType, String dataHex) {
    }

    record Vector(String name, byte[] bytes, String format, List<Frame> frames) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Vector PCAP_LITTLE_ENDIAN_MICROSECONDS = new Vector("pcap-le-us", hex(
            "d4c3b2a1 0200 0400 00000000 00000000 00000400 01000000", // magic, 2.4, reserved, snaplen 262144, Ethernet
            "00f15365 40e20100 04000000 3c000000 01020304",           // 1700000000.123456, captured 4 of 60
            "00f15365 41e20100 02000000 02000000 aabb"),              // 1700000000.123457, 2 of 2
            "pcap (microsecond, little-endian)", List.of(
            new Frame(4, 60, 1_700_000_000_123_456_000L, LinkType.ETHERNET, "01020304"),
            new Frame(2, 2, 1_700_000_000_123_457_000L, LinkType.ETHERNET, "aabb")));

    static final Vector PCAP_BIG_ENDIAN_MICROSECONDS = new Vector("pcap-be-us", hex(
            "a1b2c3d4 0002 0004 00000000 00000000 00040000 00000001",
            "6553f100 0001e240 00000004 0000003c 01020304"),
            "pcap (microsecond, big-endian)", List.of(
            new Frame(4, 60, 1_700_000_000_123_456_000L, LinkType.ETHERNET, "01020304")));

    /** Link type LINUX_SLL: the reader reports any link type; rejecting it is the caller's business. */
    static final Vector PCAP_LITTLE_ENDIAN_NANOSECONDS = new Vector("pcap-le-ns", hex(
            "4d3cb2a1 0200 0400 00000000 00000000 00000400 71000000",
            "00f15365 15cd5b07 04000000 04000000 01020304"),          // 1700000000.123456789
            "pcap (nanosecond, little-endian)", List.of(
            new Frame(4, 4, 1_700_000_000_123_456_789L, LinkType.LINUX_SLL, "01020304")));

    static final Vector PCAP_BIG_ENDIAN_NANOSECONDS = new Vector("pcap-be-ns", hex(
            "a1b23c4d 0002 0004 00000000 00000000 00040000 00000001",
            "6553f100 075bcd15 00000004 00000004 01020304",
            "6553f101 00000000 00000000 00000000"),                   // an empty frame is legal
            "pcap (nanosecond, big-endian)", List.of(
            new Frame(4, 4, 1_700_000_000_123_456_789L, LinkType.ETHERNET, "01020304"),
            new Frame(0, 0, 1_700_000_001_000_000_000L, LinkType.ETHERNET, "")));

    static final Vector PCAPNG_LITTLE_ENDIAN = new Vector("pcapng-le", hex(
            "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000", // SHB 1.0, section length -1
            "01000000 14000000 0100 0000 00000400 14000000",                   // IDB Ethernet, snaplen 262144, µs
            "06000000 38000000 00000000 240a0600 40222018 05000000 3c000000",  // EPB if 0, 1700000000.123456, 5 of 60
            "0102030405 000000",                                               //   data, padding
            "0100 0500 68656c6c6f 000000 0000 0000 38000000",                  //   opt_comment "hello", opt_endofopt
            "ad0b0080 10000000 cafebabe 10000000",                             // local-use block type 0x80000bad: skipped
            "03000000 14000000 04000000 0a0b0c0d 14000000",                    // SPB, original length 4
            "06000000 24000000 00000000 240a0600 41222018 04000000 04000000 11223344 24000000"),
            "pcapng", List.of(
            new Frame(5, 60, 1_700_000_000_123_456_000L, LinkType.ETHERNET, "0102030405"),
            new Frame(4, 4, 0, LinkType.ETHERNET, "0a0b0c0d"),
            new Frame(4, 4, 1_700_000_000_123_457_000L, LinkType.ETHERNET, "11223344")));

    static final Vector PCAPNG_BIG_ENDIAN = new Vector("pcapng-be", hex(
            "0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c",
            "00000001 00000020 0001 0000 00000003",                            // IDB Ethernet, snaplen 3
            "0009 0001 09 000000 0000 0000 00000020",                          //   if_tsresol 10^-9
            "00000006 00000024 00000000 17979cfe 3d85cd15 00000003 00000006 aabbcc 00 00000024",
            "00000003 00000014 00000006 010203 00 00000014"),                  // SPB: 6 bytes on the wire, snaplen 3 kept
            "pcapng", List.of(
            new Frame(3, 6, 1_700_000_000_123_456_789L, LinkType.ETHERNET, "aabbcc"),
            new Frame(3, 6, 0, LinkType.ETHERNET, "010203")));

    /** A little-endian section, then a big-endian one whose interfaces replace the first section's. */
    static final Vector PCAPNG_TWO_SECTIONS = new Vector("pcapng-two-sections", hex(
            "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",
            "01000000 14000000 0100 0000 00000400 14000000",
            "06000000 24000000 00000000 240a0600 40222018 04000000 04000000 01020304 24000000",
            "0a0d0d0a 0000001c 1a2b3c4d 0001 0000 000000000000008c 0000001c", // section length 140
            "00000001 00000020 0065 0000 00000000",                            // IDB 0: raw IP, no snaplen
            "0009 0001 94 000000 0000 0000 00000020",                          //   if_tsresol 2^-20
            "00000001 00000024 0001 0000 0000ffff",                            // IDB 1: Ethernet, µs
            "000e 0008 000000003b9aca00 0000 0000 00000024",                   //   if_tsoffset 1000000000 s
            "00000006 00000024 00000000 0006553f 10080000 00000002 00000002 4500 0000 00000024",
            "00000006 00000024 00000001 00027ca5 7357c001 00000004 00000040 deadbeef 00000024"),
            "pcapng", List.of(
            new Frame(4, 4, 1_700_000_000_123_456_000L, LinkType.ETHERNET, "01020304"),
            new Frame(2, 2, 1_700_000_000_500_000_000L, LinkType.RAW, "4500"),
            new Frame(4, 64, 1_700_000_000_000_001_000L, LinkType.ETHERNET, "deadbeef")));

    static final Vector PCAPNG_OBSOLETE_PACKET_BLOCK = new Vector("pcapng-opb", hex(
            "0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000",
            "01000000 14000000 0100 0000 00000400 14000000",
            "02000000 24000000 0000 0000 240a0600 40222018 04000000 04000000 cafef00d 24000000"),
            "pcapng", List.of(
            new Frame(4, 4, 1_700_000_000_123_456_000L, LinkType.ETHERNET, "cafef00d")));

    static final List<Vector> ALL = List.of(
            PCAP_LITTLE_ENDIAN_MICROSECONDS, PCAP_BIG_ENDIAN_MICROSECONDS, PCAP_LITTLE_ENDIAN_NANOSECONDS,
            PCAP_BIG_ENDIAN_NANOSECONDS, PCAPNG_LITTLE_ENDIAN, PCAPNG_BIG_ENDIAN, PCAPNG_TWO_SECTIONS,
            PCAPNG_OBSOLETE_PACKET_BLOCK);

    private CaptureVectors() {
    }

    static byte[] hex(String... parts) {
        return HexFormat.of().parseHex(String.join("", parts).replace(" ", ""));
    }
}
