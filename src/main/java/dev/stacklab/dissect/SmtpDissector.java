package dev.stacklab.dissect;

import java.util.List;

/**
 * SMTP (RFC 5321) as tshark 4.0 shows it: "C: MAIL FROM:<alice@example.org>" for a command, "S: 250-8BITMIME | HELP"
 * for a reply (its further lines after " | ", without their code), "C: DATA fragment, 111 bytes" for the message
 * after DATA was accepted (354); command and parameter, code (named) and parameters as fields. The message's fragments
 * are kept until the line holding only "." ends it (RFC 5321 section 4.1.1.4): that segment shows "C: .", the
 * fragments it was put together from, and the message itself as IMF ({@link ImfDissector}).
 */
final class SmtpDissector implements TcpPduReassembly.PduDissector {
    static final SmtpDissector INSTANCE = new SmtpDissector();
    static final int PORT = 25;

    static final FieldDef SMTP = FieldDef.protocol("smtp", "Simple Mail Transfer Protocol");
    static final FieldDef REQUEST = FieldDef.bool("smtp.req", "Request");
    static final FieldDef RESPONSE = FieldDef.bool("smtp.rsp", "Response");
    static final FieldDef COMMAND = FieldDef.string("smtp.req.command", "Command");
    static final FieldDef PARAMETER = FieldDef.string("smtp.req.parameter", "Request parameter");
    static final FieldDef RESPONSE_CODE = FieldDef.uint("smtp.response.code", "Response code", SmtpDissector::responseCodeName);
    static final FieldDef RESPONSE_PARAMETER = FieldDef.string("smtp.rsp.parameter", "Response parameter");

    static final FieldDef END_OF_MESSAGE = FieldDef.none("smtp.eom", "EOM");
    static final FieldDef FRAGMENTS = FieldDef.none("smtp.data.fragments", "DATA fragments");
    static final FieldDef FRAGMENT = FieldDef.frameNumber("smtp.data.fragment", "DATA fragment");
    static final FieldDef FRAGMENT_COUNT = FieldDef.uint("smtp.data.fragment.count", "DATA fragment count");
    static final FieldDef REASSEMBLED_LENGTH = FieldDef.uint("smtp.data.reassembled.length", "Reassembled DATA length");

    static final List<FieldDef> FIELDS = List.of(SMTP, REQUEST, RESPONSE, COMMAND, PARAMETER, RESPONSE_CODE, RESPONSE_PARAMETER,
            END_OF_MESSAGE, FRAGMENTS, FRAGMENT, FRAGMENT_COUNT, REASSEMBLED_LENGTH);

    /** A message held beyond this many bytes is not put together (its fragments still show as they arrive). */
    static final int MAX_MESSAGE_LENGTH = 4 * 1024 * 1024;
    /** Wireshark's ITEM_LABEL_LENGTH cut of the fragment list's heading. */
    private static final int LABEL_LENGTH = 239;

    /** Where the conversation is: commands, or the message after DATA and its 354. */
    static final class Session {
        boolean dataRequested;
        boolean inMessage;
        /** The message so far, and the fragments it came in: {frame, offset in the message, length}. */
        byte[] message;
        int messageLength;
        final java.util.ArrayList<int[]> fragments = new java.util.ArrayList<>();
        boolean tooLong;

        void append(byte[] data, int offset, int length, int frameNumber) {
            if (tooLong || messageLength + length > MAX_MESSAGE_LENGTH) {
                tooLong = true;
                message = null;
                return;
            }
            if (message == null || messageLength + length > message.length) {
                int capacity = Math.min(MAX_MESSAGE_LENGTH, Math.max(messageLength + length, message == null ? 1024 : message.length * 2));
                message = message == null ? new byte[capacity] : java.util.Arrays.copyOf(message, capacity);
            }
            System.arraycopy(data, offset, message, messageLength, length);
            fragments.add(new int[]{frameNumber, messageLength, length});
            messageLength += length;
        }

        void forgetMessage() {
            message = null;
            messageLength = 0;
            fragments.clear();
            tooLong = false;
        }
    }

    private SmtpDissector() {
    }

    @Override
    public void dissect(DissectionContext ctx, FieldNode parent, int offset, int length, TcpConversations.Conversation tcp,
                        boolean fromClient) {
        Session session = tcp.applicationState(Session.class, Session::new);
        byte[] data = ctx.data;
        int end = offset + length;
        ctx.setProtocol("SMTP");
        StringBuilder info = ctx.setInfo();
        FieldNode smtp = ctx.add(parent, SMTP, offset, length);
        if (fromClient && session.inMessage) {
            info.append("C: DATA fragment, ").append(length).append(" bytes");
            if (endsMessage(data, offset, end)) {
                int terminator = end - 3;
                if (terminator > offset) {
                    HttpBodyDissector.dissectTextLines(ctx, smtp, offset, terminator - offset, null);
                    session.append(data, offset, terminator - offset, ctx.frameNumber);
                }
                session.inMessage = false;
                endMessage(ctx, smtp, terminator, session);
            } else {
                HttpBodyDissector.dissectTextLines(ctx, smtp, offset, length, null);
                session.append(data, offset, length, ctx.frameNumber);
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

    /** The "." line: the fragments listed, then the message they make dissected from its own bytes as IMF. */
    private static void endMessage(DissectionContext ctx, FieldNode smtp, int terminator, Session session) {
        FieldNode end = ctx.add(smtp, END_OF_MESSAGE, terminator, 1);
        if (end != null) {
            end.text("C: .");
        }
        if (session.tooLong || session.messageLength == 0) {
            session.forgetMessage();
            return;
        }
        int length = session.messageLength;
        byte[] bytes = java.util.Arrays.copyOf(session.message, length);
        java.util.List<int[]> fragments = java.util.List.copyOf(session.fragments);
        session.forgetMessage();
        byte[] frameData = ctx.data;
        int previous = ctx.pushDataSource("Reassembled DATA (" + length + " bytes)", bytes, length);
        FieldNode list = ctx.add(smtp, FRAGMENTS, 0, length);
        if (list != null) {
            StringBuilder heading = new StringBuilder(64).append(fragments.size()).append(" DATA fragment")
                    .append(fragments.size() == 1 ? "" : "s").append(" (").append(length).append(" bytes): ");
            for (int i = 0; i < fragments.size(); i++) {
                int[] fragment = fragments.get(i);
                heading.append(i == 0 ? "#" : ", #").append(fragment[0]).append('(').append(fragment[2]).append(')');
            }
            list.generated().text(heading.length() > LABEL_LENGTH ? heading.substring(0, LABEL_LENGTH) : heading.toString());
            for (int[] fragment : fragments) {
                FieldNode node = ctx.add(list, FRAGMENT, fragment[1], fragment[2], fragment[0]);
                if (node != null) {
                    node.generated().text("Frame: " + fragment[0] + ", payload: " + fragment[1] + "-" + (fragment[1] + fragment[2] - 1)
                            + " (" + fragment[2] + " bytes)");
                }
            }
            ctx.add(list, FRAGMENT_COUNT, 0, 0, fragments.size()).generated();
            ctx.add(list, REASSEMBLED_LENGTH, 0, 0, length).generated();
        }
        ImfDissector.dissect(ctx, 0, length);
        ctx.popDataSource(previous, frameData);
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

    /** RFC 5321 section 4.2.3 and later RFCs: reply codes, as Wireshark's table words them. */
    private static String responseCodeName(long code) {
        return switch ((int) code) {
            case 30 -> "response_codes_vs";
            case 211 -> "System status, or system help reply";
            case 214 -> "Help message";
            case 220 -> "<domain> Service ready";
            case 221 -> "<domain> Service closing transmission channel";
            case 235 -> "Authentication successful";
            case 250 -> "Requested mail action okay, completed";
            case 251 -> "User not local; will forward to <forward-path>";
            case 252 -> "Cannot VRFY user, but will accept message and attempt delivery";
            case 334 -> "AUTH input";
            case 354 -> "Start mail input; end with <CRLF>.<CRLF>";
            case 421 -> "<domain> Service not available, closing transmission channel";
            case 432 -> "A password transition is needed";
            case 450 -> "Requested mail action not taken: mailbox unavailable";
            case 451 -> "Requested action aborted: local error in processing";
            case 452 -> "Requested action not taken: insufficient system storage";
            case 454 -> "Temporary authentication failed";
            case 500 -> "Syntax error, command unrecognized";
            case 501 -> "Syntax error in parameters or arguments";
            case 502 -> "Command not implemented";
            case 503 -> "Bad sequence of commands";
            case 504 -> "Command parameter not implemented";
            case 530 -> "Authentication required";
            case 534 -> "Authentication mechanism is too weak";
            case 535 -> "Authentication credentials invalid";
            case 538 -> "Encryption required for requested authentication mechanism";
            case 550 -> "Requested action not taken: mailbox unavailable";
            case 551 -> "User not local; please try <forward-path>";
            case 552 -> "Requested mail action aborted: exceeded storage allocation";
            case 553 -> "Requested action not taken: mailbox name not allowed";
            case 554 -> "Transaction failed";
            default -> null;
        };
    }
}
