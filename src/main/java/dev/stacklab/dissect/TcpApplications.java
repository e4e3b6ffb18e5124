package dev.stacklab.dissect;

/**
 * Which protocol above TCP a segment's payload goes to, by port as tshark 4.0 decides with its default preferences
 * (the lower port first), and the handing over through {@link TcpPduReassembly} for the protocols whose messages
 * span segments. Kept apart from {@link TcpDissector} so that adding a protocol touches one switch here.
 */
final class TcpApplications {
    private TcpApplications() {
    }

    /** Dissects the payload with the protocol its ports name; false when no protocol here claims it. */
    static boolean dissect(DissectionContext ctx, FieldNode tcp, TcpConversations.Conversation conversation,
                           TcpConversations.Direction forward, boolean firstDirection, int sourcePort, int destinationPort,
                           long relativeSequence, int analysisFlags, int payloadOffset, int payloadLength) {
        // tshark tries the lower port first; the port that names the protocol is the server's.
        int low = Math.min(sourcePort, destinationPort);
        int high = Math.max(sourcePort, destinationPort);
        if (conversation.applicationState instanceof FtpDissector.DataConnection) {
            ctx.session.tcpPduReassembly.dissect(ctx, tcp, conversation, forward, false, relativeSequence, payloadOffset, payloadLength,
                    analysisFlags, FtpDissector.DATA);
            return true;
        }
        // Looked up only while some FTP session has announced a data connection: a boxed key per segment otherwise.
        java.util.Map<Long, FtpDissector.DataConnection> announcements = ctx.session.ftpDataConnections;
        FtpDissector.DataConnection announced = announcements.isEmpty() ? null
                : announcements.remove(((long) ctx.ipSource << 16) | sourcePort);
        if (announced == null && !announcements.isEmpty()) {
            announced = ctx.session.ftpDataConnections.remove(((long) ctx.ipDestination << 16) | destinationPort);
        }
        if (announced != null && conversation.applicationState == null) {
            conversation.applicationState = announced;
            ctx.session.tcpPduReassembly.dissect(ctx, tcp, conversation, forward, false, relativeSequence, payloadOffset, payloadLength,
                    analysisFlags, FtpDissector.DATA);
            return true;
        }
        TcpPduReassembly.PduDissector dissector = byPort(low);
        int serverPort = low;
        if (dissector == null) {
            dissector = byPort(high);
            serverPort = high;
        }
        if (dissector == null) {
            return false;
        }
        boolean fromClient = destinationPort == serverPort;
        ctx.session.tcpPduReassembly.dissect(ctx, tcp, conversation, forward, fromClient, relativeSequence, payloadOffset, payloadLength,
                analysisFlags, dissector);
        return true;
    }

    /** Whether a connection opening to this port was announced by another protocol (FTP's passive mode): it then belongs to it. */
    static boolean announcedElsewhere(DissectionContext ctx, TcpConversations.Conversation conversation, int destinationPort) {
        if (ctx.session.ftpDataConnections.isEmpty()) {
            return false;
        }
        FtpDissector.DataConnection announced = ctx.session.ftpDataConnections.remove(((long) ctx.ipDestination << 16) | destinationPort);
        if (announced == null || conversation.applicationState != null) {
            return false;
        }
        conversation.applicationState = announced;
        return true;
    }

    private static TcpPduReassembly.PduDissector byPort(int port) {
        if (HttpDissector.claims(port, port)) {
            return HttpDissector.INSTANCE;
        }
        if (TlsDissector.claims(port)) {
            return TlsDissector.INSTANCE;
        }
        if (port == FtpDissector.PORT) {
            return FtpDissector.INSTANCE;
        }
        if (port == SmtpDissector.PORT) {
            return SmtpDissector.INSTANCE;
        }
        if (DnsDissector.claimsTcp(port, port)) {
            return DnsDissector.TCP;
        }
        return null;
    }
}
