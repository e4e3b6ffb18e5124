package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input leaves wire as MalformedPacketException and nothing else (the package rule): random and mutated bytes
 * through every view and Repr parse except TCP's, a seeded run so a failure repeats.
 */
class OnlyMalformedPacketExceptionTest {
    private static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    private static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    /** Parses {@code bytes} at every layer; returns how many layers accepted them. */
    private static int parseEverything(byte[] bytes, int offset, int length) {
        int accepted = 0;
        try {
            EthernetRepr.parse(EthernetFrame.wrapChecked(bytes, offset, length));
            accepted++;
        } catch (MalformedPacketException expected) {
            // counted as a drop by the stack
        }
        try {
            ArpRepr.parse(ArpPacket.wrapChecked(bytes, offset, length));
            accepted++;
        } catch (MalformedPacketException expected) {
            // ditto
        }
        try {
            Ipv4Packet packet = Ipv4Packet.wrapChecked(bytes, offset, length);
            Ipv4Repr.parse(packet);
            accepted++;
        } catch (MalformedPacketException expected) {
            // ditto
        }
        try {
            // The header an ICMP error quotes: only its own length is checked.
            Ipv4Repr.parse(Ipv4Packet.wrapHeaderChecked(bytes, offset, length));
            accepted++;
        } catch (MalformedPacketException expected) {
            // ditto
        }
        try {
            Ipv4Option.parseAll(bytes, offset, Math.min(length, 40));
            accepted++;
        } catch (MalformedPacketException expected) {
            // ditto
        }
        try {
            Icmpv4Repr.parse(Icmpv4Packet.wrapChecked(bytes, offset, length));
            accepted++;
        } catch (MalformedPacketException expected) {
            // ditto
        }
        try {
            UdpRepr.parse(UdpPacket.wrapChecked(bytes, offset, length), A, B);
            accepted++;
        } catch (MalformedPacketException expected) {
            // ditto
        }
        return accepted;
    }

    @Test
    void randomBytesThrowNothingElse() {
        SplittableRandom random = new SplittableRandom(791);
        long accepted = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[random.nextInt(0, 96)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                // Plausible IPv4 first bytes, so that deeper checks are reached.
                bytes[0] = (byte) (0x40 | random.nextInt(16));
            }
            int offset = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            accepted += parseEverything(bytes, offset, bytes.length - offset);
        }
        assertThat(accepted).as("some inputs parse, so the deep paths ran").isPositive();
    }

    @Test
    void everyHeaderLengthAgainstEveryTotalLength() {
        byte[] header = new byte[60];
        for (int ihl = 0; ihl < 16; ihl++) {
            for (int total = 0; total < 70; total++) {
                header[0] = (byte) (0x40 | ihl);
                BigEndian.putU16(header, Ipv4Packet.TOTAL_LENGTH, total);
                parseEverything(header, 0, header.length);
            }
        }
    }
}
