package dev.stacklab.link;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

/**
 * Hand-made ARP frames (RFC 826) for the real-device link tests: an ARP request is the one frame a Linux kernel
 * answers without any configuration on our side, which makes it the simplest round trip through a real device.
 */
final class ArpFrames {
    static final int ETHERTYPE_ARP = 0x0806;
    static final int OPERATION_REQUEST = 1;
    static final int OPERATION_REPLY = 2;

    private ArpFrames() {
    }

    static byte[] request(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp) {
        byte[] frame = new byte[60];
        MacAddress.BROADCAST.write(frame, 0);
        senderMac.write(frame, 6);
        frame[12] = 0x08;
        frame[13] = 0x06;
        frame[14] = 0x00; // hardware type Ethernet
        frame[15] = 0x01;
        frame[16] = 0x08; // protocol type IPv4
        frame[17] = 0x00;
        frame[18] = 6;
        frame[19] = 4;
        frame[20] = 0;
        frame[21] = OPERATION_REQUEST;
        senderMac.write(frame, 22);
        senderIp.write(frame, 28);
        // Target hardware address stays zero: that is what is asked for.
        targetIp.write(frame, 38);
        return frame;
    }

    static boolean isArp(byte[] frame) {
        return frame.length >= 42 && (frame[12] & 0xFF) == 0x08 && (frame[13] & 0xFF) == 0x06;
    }

    static int operation(byte[] frame) {
        return ((frame[20] & 0xFF) << 8) | (frame[21] & 0xFF);
    }

    static MacAddress senderMac(byte[] frame) {
        return MacAddress.read(frame, 22);
    }

    static Ipv4Address senderIp(byte[] frame) {
        return Ipv4Address.read(frame, 28);
    }

    static Ipv4Address targetIp(byte[] frame) {
        return Ipv4Address.read(frame, 38);
    }
}
