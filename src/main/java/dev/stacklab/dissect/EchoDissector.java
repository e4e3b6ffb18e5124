package dev.stacklab.dissect;

import java.util.List;

/**
 * The Echo protocol (RFC 862) on UDP or TCP port 7, which {@code stacklab serve} runs, as tshark 4.0 shows it:
 * protocol "ECHO", Info "Request" toward port 7 and "Response" from it, and the echoed bytes.
 */
final class EchoDissector {
    /** RFC 862: the Echo service's port, on TCP and UDP alike. */
    static final int PORT = 7;

    static final FieldDef ECHO = FieldDef.protocol("echo", "Echo");
    static final FieldDef DATA = FieldDef.bytes("echo.data", "Echo data");
    static final FieldDef REQUEST = FieldDef.bool("echo.request", "Echo request");
    static final FieldDef RESPONSE = FieldDef.bool("echo.response", "Echo response");

    static final List<FieldDef> FIELDS = List.of(ECHO, DATA, REQUEST, RESPONSE);

    private EchoDissector() {
    }

    /** Whether a segment or datagram between these ports, carrying {@code payloadLength} bytes, is Echo's. */
    static boolean claims(int sourcePort, int destinationPort, int payloadLength) {
        return payloadLength > 0 && (sourcePort == PORT || destinationPort == PORT);
    }

    /** The payload at {@code offset}; it is a request when it goes to the Echo port. */
    static void dissect(DissectionContext ctx, FieldNode parent, int offset, int length, int destinationPort) {
        boolean request = destinationPort == PORT;
        ctx.setProtocol("ECHO");
        ctx.setInfo().append(request ? "Request" : "Response");
        FieldNode echo = ctx.add(parent, ECHO, offset, length);
        ctx.addBytes(echo, DATA, offset, length);
        FieldNode direction = ctx.add(echo, request ? REQUEST : RESPONSE, offset, length, 1);
        if (direction != null) {
            direction.hidden();
        }
    }
}
