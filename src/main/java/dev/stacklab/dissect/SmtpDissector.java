package dev.stacklab.dissect;

import java.util.List;

/**
 * SMTP (RFC 5321) as tshark 4.0 shows it: "C: MAIL FROM:<alice@example.org>" for a command, "S: 250-8BITMIME | HELP"
 * for a reply (its further lines after " | ", without their code), "C: DATA fragment, 111 bytes" for the message
 * after DATA was accepted (354); command and parameter, code and parameters as fields. The message itself (IMF) is
 * not dissected yet.
 */
final class SmtpDissector implements TcpPduReassembly.PduDissector {
    static final SmtpDissector INSTANCE = new SmtpDissector();
    static final int PORT = 25;

    static final FieldDef SMTP = FieldDef.protocol("smtp", "Simple Mail Transfer Protocol");
    static final FieldDef REQUEST = FieldDef.bool("smtp.req", "Request");
    static final FieldDef RESPONSE = FieldDef.bool("smtp.rsp", "Response");
    static final FieldDef COMMAND = FieldDef.string("smtp.req.command", "Command");
    static final FieldDef PARAMETER = FieldDef.string("smtp.req.parameter", "Request parameter");
    static final FieldDef RESPONSE_CODE = FieldDef.uint("smtp.response.code", "Response code");
    static final FieldDef RESPONSE_PARAMETER = FieldDef.string("smtp.rsp.parameter", "Response parameter");

    static final List<FieldDef> FIELDS = List.of(SMTP, REQUEST, RESPONSE, COMMAND, PARAMETER, RESPONSE_CODE, RESPONSE_PARAMETER);

    /** Where the conversation is: commands, or the message after DATA and its 354. */
    static final class Session {
        boolean dataRequested;
        boolean inMessage;
    }

    private SmtpDissector() {
    }

    @Override
    public void dissect(DissectionContext ctx, FieldNode parent, int offset, int length, TcpConversations.Conversation tcp,
                        boolean fromClient) {
        Session session = tcp.applicationState instanceof Session known ? known : null;
        if (session == null) {
            session = new Session();
            tcp.applicationState = session;
        }
        byte[] data = ctx.data;
        int end = offset + length;
        ctx.setProtocol("SMTP");
        StringBuilder info = ctx.setInfo();
        FieldNode smtp = ctx.add(parent, SMTP, offset, length);
        if (fromClient && session.inMessage) {
            info.append("C: DATA fragment, ").append(length).append(" bytes");
            if (endsMessage(data, offset, end)) {
                // The whole message goes to IMF then, which stacklab does not dissect yet.
                session.inMessage = false;
            } else {
                HttpBodyDissector.dissectTextLines(ctx, smtp, offset, length, null);
            }
            return;
        }
        boolean first = true;
        for (int at = offset; at < end; ) {
            int lineEnd = HttpDissector.lineEnd(data, at, end);
            int textEnd = lineEnd < 0 ? end : lineEnd;
            int next = lineEnd < 0 ? end : lineEnd + 2;
            String line = HttpDissector.latin1(data, at, textEnd);
            String shown = WiresharkText.format(line);
            if (fromClient) {
                if (first) {
                    info.append("C: ").append(shown);
                }
                FieldNode node = ctx.addText(smtp, at, next - at, "Command Line: " + shown + (lineEnd < 0 ? "" : "\\r\\n"));
                hide(ctx.add(smtp, REQUEST, at, 0, 1));
                int space = line.indexOf(' ');
                String command = space < 0 ? line : line.substring(0, space);
                ctx.addString(node, COMMAND, at, command.length(), command);
                if (space >= 0) {
                    ctx.addString(node, PARAMETER, at + space + 1, line.length() - space - 1, line.substring(space + 1));
                }
                if (command.equalsIgnoreCase("DATA")) {
                    session.dataRequested = true;
                }
            } else {
                if (first) {
                    info.append("S: ").append(shown);
                } else {
                    info.append(" | ").append(line.length() > 4 ? WiresharkText.format(line.substring(4)) : "");
                }
                int code = code(line);
                if (code == 354 && session.dataRequested) {
                    session.inMessage = true;
                    session.dataRequested = false;
                }
                FieldNode node = first ? ctx.addText(smtp, at, next - at, "Response: " + shown + (lineEnd < 0 ? "" : "\\r\\n")) : null;
                if (first) {
                    hide(ctx.add(smtp, RESPONSE, at, 0, 1));
                    if (code >= 0) {
                        ctx.add(node, RESPONSE_CODE, at, 3, code);
                    }
                }
                if (line.length() > 4) {
                    ctx.addString(first ? node : ctx.find(smtp, DissectionContext.TEXT), RESPONSE_PARAMETER, at + 4, line.length() - 4,
                            line.substring(4));
                }
            }
            first = false;
            at = next;
        }
    }

    /** RFC 5321 section 4.1.1.4: the message ends with a line holding only ".". */
    private static boolean endsMessage(byte[] data, int offset, int end) {
        int length = end - offset;
        return length >= 3 && data[end - 3] == '.' && data[end - 2] == '\r' && data[end - 1] == '\n'
                && (length == 3 || data[end - 4] == '\n');
    }

    private static int code(String line) {
        if (line.length() < 3) {
            return -1;
        }
        for (int i = 0; i < 3; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(line.substring(0, 3));
    }

    private static void hide(FieldNode node) {
        if (node != null) {
            node.hidden();
        }
    }
}
