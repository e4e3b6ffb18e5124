package dev.stacklab.link;

import dev.stacklab.wire.MacAddress;

/** Ethernet frames for link tests: the link layer never looks past the header, so the payload is a counter. */
final class TestFrames {
    /** IEEE 802 "local experimental" EtherType: no stack will try to interpret these frames. */
    static final int EXPERIMENTAL_ETHERTYPE = 0x88B5;

    private TestFrames() {
    }

    static byte[] frame(MacAddress destination, MacAddress source, int sequence) {
        byte[] frame = new byte[60];
        destination.write(frame, 0);
        source.write(frame, 6);
        frame[12] = (byte) (EXPERIMENTAL_ETHERTYPE >>> 8);
        frame[13] = (byte) EXPERIMENTAL_ETHERTYPE;
        frame[14] = (byte) (sequence >>> 24);
        frame[15] = (byte) (sequence >>> 16);
        frame[16] = (byte) (sequence >>> 8);
        frame[17] = (byte) sequence;
        return frame;
    }

    static int sequence(byte[] frame) {
        return ((frame[14] & 0xFF) << 24) | ((frame[15] & 0xFF) << 16) | ((frame[16] & 0xFF) << 8) | (frame[17] & 0xFF);
    }
}
