package dev.stacklab.wire;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class ChecksumTest {
    // An IPv4 header the kernel sent (frame 6 of a ping capture), checksum 0x2e23 at bytes 10-11.
    private static final byte[] HEADER = HexFormat.of().parseHex("45000054f7e940004001" + "2e23" + "0a4d00010a4d0002");

    @Test
    void computesTheRfc1071ChecksumOfAKernelHeader() {
        byte[] zeroed = HEADER.clone();
        zeroed[10] = 0;
        zeroed[11] = 0;
        assertThat(Checksum.compute(zeroed, 0, zeroed.length)).isEqualTo(0x2e23);
        assertThat(Checksum.verify(Checksum.add(0, HEADER, 0, HEADER.length))).isTrue();
    }

    @Test
    void rfc1071WorkedExampleSumsTo0xddf2() {
        // RFC 1071 section 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2.
        byte[] bytes = HexFormat.of().parseHex("0001f203f4f5f6f7");
        assertThat(Checksum.add(0, bytes, 0, bytes.length)).isEqualTo(0xddf2);
    }

    @Test
    void oddLengthPadsTheLastByteWithZero() {
        byte[] bytes = {(byte) 0xab, (byte) 0xcd, (byte) 0xef};
        assertThat(Checksum.add(0, bytes, 0, 3)).isEqualTo(0xabcd + 0xef00 - 0xffff);
    }

    @Test
    void incrementalUpdateMatchesARecomputeAfterTtlDecrement() {
        for (int ttl = 1; ttl < 256; ttl++) {
            byte[] header = HEADER.clone();
            header[8] = (byte) ttl;
            header[10] = 0;
            header[11] = 0;
            int before = Checksum.compute(header, 0, header.length);
            int oldWord = BigEndian.u16(header, 8);
            header[8] = (byte) (ttl - 1);
            int after = Checksum.compute(header, 0, header.length);
            assertThat(Checksum.incrementalUpdate(before, oldWord, BigEndian.u16(header, 8))).as("ttl %d", ttl).isEqualTo(after);
        }
    }

    @Test
    void pseudoHeaderSumsAddressesProtocolAndLength() {
        int sum = Checksum.pseudoHeader(Ipv4Address.parse("10.77.0.1"), Ipv4Address.parse("10.77.0.2"), 17, 10);
        assertThat(sum).isEqualTo(Checksum.fold(0x0a4dL + 0x0001 + 0x0a4d + 0x0002 + 17 + 10));
    }

    /** RFC 1071's sum word by word, as written there: what the eight-bytes-at-a-time sum must equal. */
    private static int wordByWord(int sum, byte[] bytes, int offset, int length) {
        long acc = sum & 0xFFFF_FFFFL;
        for (int i = 0; i < length; i += 2) {
            int high = bytes[offset + i] & 0xFF;
            int low = i + 1 < length ? bytes[offset + i + 1] & 0xFF : 0;
            acc += (high << 8) | low;
        }
        return Checksum.fold(acc);
    }

    @Test
    void eightBytesAtATimeSumAsWordByWordForEveryLengthOffsetAndRunningSum() {
        java.util.Random random = new java.util.Random(1071);
        byte[] bytes = new byte[1600];
        for (int round = 0; round < 40; round++) {
            random.nextBytes(bytes);
            if (round % 4 == 0) {
                java.util.Arrays.fill(bytes, (byte) 0xFF);  // the largest words: carries everywhere
            }
            if (round % 4 == 1) {
                java.util.Arrays.fill(bytes, (byte) 0);     // the empty sum stays zero, never 0xFFFF
            }
            for (int length = 0; length <= 70; length++) {
                int offset = random.nextInt(9);
                int running = round % 2 == 0 ? 0 : random.nextInt(0x10000);
                assertThat(Checksum.add(running, bytes, offset, length)).as("length %d offset %d", length, offset)
                        .isEqualTo(wordByWord(running, bytes, offset, length));
            }
            assertThat(Checksum.add(0, bytes, 3, 1500)).isEqualTo(wordByWord(0, bytes, 3, 1500));
        }
    }
}
