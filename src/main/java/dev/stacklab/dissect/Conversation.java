package dev.stacklab.dissect;

/**
 * One conversation as Wireshark's Conversations dialog and {@code tshark -z conv,TYPE} show it: two endpoints
 * (addresses, and ports for TCP and UDP), what each sent the other, and when the first and last frame were.
 *
 * <p>A is the endpoint tshark 4.0 puts first: the sender of the conversation's first frame (the client that sent a
 * TCP SYN, the host that asked a DNS question). "A to B" is tshark's "->" column (Wireshark's tx), "B to A" its
 * "<-" column.
 *
 * @param portA              A's port; -1 for Ethernet, IPv4 and IPv6
 * @param portB              B's port; -1 for Ethernet, IPv4 and IPv6
 * @param bytesAToB          frame lengths on the wire (frame.len) of the frames A sent B
 * @param relativeStartNanos the conversation's first frame, from the first frame of the capture
 * @param durationNanos      from the conversation's first frame to its last
 */
public record Conversation(ConversationType type, String addressA, int portA, String addressB, int portB,
        long framesAToB, long bytesAToB, long framesBToA, long bytesBToA,
        long relativeStartNanos, long durationNanos) {

    public long frames() {
        return framesAToB + framesBToA;
    }

    public long bytes() {
        return bytesAToB + bytesBToA;
    }

    /** Wireshark's "Apply as Filter > A&lt;-&gt;B" text, e.g. "ip.addr==10.0.0.1 &amp;&amp; tcp.port==80 &amp;&amp; ip.addr==10.0.0.2 &amp;&amp; tcp.port==40000". */
    public String filter() {
        return Endpoint.filter(type, addressA, portA) + " && " + Endpoint.filter(type, addressB, portB);
    }
}
