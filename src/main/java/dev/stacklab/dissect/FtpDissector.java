package dev.stacklab.dissect;

import java.util.List;

/**
 * FTP's control connection (RFC 959) as tshark 4.0 shows it: "Request: USER anonymous" and "Response: 230 Login
 * successful." in the Info column, command and argument or code and text as fields; and the data connection a
 * passive-mode reply (227, 229) announces, as FTP-DATA: "FTP Data: 68 bytes (EPASV) (TYPE A)", naming how it was set
 * up and the first command after it.
 */
final class FtpDissector implements TcpPduReassembly.PduDissector {
    static final FtpDissector INSTANCE = new FtpDissector();
    static final FtpDataDissector DATA = new FtpDataDissector();
    static final int PORT = 21;

    static final FieldDef FTP = FieldDef.protocol("ftp", "File Transfer Protocol (FTP)");
    static final FieldDef REQUEST = FieldDef.bool("ftp.request", "Request");
    static final FieldDef RESPONSE = FieldDef.bool("ftp.response", "Response");
    static final FieldDef REQUEST_COMMAND = FieldDef.string("ftp.request.command", "Request command");
    static final FieldDef REQUEST_ARG = FieldDef.string("ftp.request.arg", "Request arg");
    static final FieldDef RESPONSE_CODE = FieldDef.uint("ftp.response.code", "Response code");
    static final FieldDef RESPONSE_ARG = FieldDef.string("ftp.response.arg", "Response arg");
    static final FieldDef FTP_DATA = FieldDef.protocol("ftp-data", "FTP Data");

    static final List<FieldDef> FIELDS = List.of(FTP, REQUEST, RESPONSE, REQUEST_COMMAND, REQUEST_ARG, RESPONSE_CODE, RESPONSE_ARG, FTP_DATA);

    /** What the control connection has set up: the data connection expected next and what it is for. */
    static final class Session {
        int dataPort = -1;
        String setupMethod;
        String command;
        boolean awaitingCommand;
    }

    /** A data connection a control connection announced, by server address and port. */
    record DataConnection(String setupMethod, Session control) {
    }

    private FtpDissector() {
    }

    @Override
    public void dissect(DissectionContext ctx, FieldNode parent, int offset, int length, TcpConversations.Conversation tcp,
                        boolean fromClient) {
        Session session = tcp.applicationState(Session.class, Session::new);
        byte[] data = ctx.data;
        int end = offset + length;
        ctx.setProtocol("FTP");
        StringBuilder info = ctx.setInfo();
        FieldNode ftp = ctx.add(parent, FTP, offset, length);
        boolean first = true;
        for (int at = offset; at < end; ) {
            int lineEnd = HttpDissector.lineEnd(data, at, end);
            int textEnd = lineEnd < 0 ? end : lineEnd;
            int next = lineEnd < 0 ? end : lineEnd + 2;
            String line = HttpDissector.latin1(data, at, textEnd);
            if (first) {
                info.append(fromClient ? "Request: " : "Response: ").append(WiresharkText.format(line));
                first = false;
            }
            FieldNode node = ctx.addText(ftp, at, next - at, WiresharkText.format(line) + (lineEnd < 0 ? "" : "\\r\\n"));
            if (fromClient) {
                hide(ctx.add(ftp, REQUEST, at, 0, 1));
                hide(ctx.add(ftp, RESPONSE, at, 0, 0));
                int space = line.indexOf(' ');
                String command = space < 0 ? line : line.substring(0, space);
                ctx.addString(node, REQUEST_COMMAND, at, command.length(), command);
                if (space >= 0) {
                    ctx.addString(node, REQUEST_ARG, at + space + 1, line.length() - space - 1, line.substring(space + 1));
                }
                if (session.awaitingCommand) {
                    session.command = line;
                    session.awaitingCommand = false;
                }
            } else {
                hide(ctx.add(ftp, REQUEST, at, 0, 0));
                hide(ctx.add(ftp, RESPONSE, at, 0, 1));
                int code = code(line);
                if (code >= 0) {
                    ctx.add(node, RESPONSE_CODE, at, 3, code);
                    if (line.length() > 4) {
                        ctx.addString(node, RESPONSE_ARG, at + 4, line.length() - 4, line.substring(4));
                    }
                    expectDataConnection(ctx, session, code, line);
                }
            }
            at = next;
        }
    }

    /** RFC 2428's 229 "(|||port|)" and RFC 959's 227 "(h1,h2,h3,h4,p1,p2)": the data connection to expect. */
    private static void expectDataConnection(DissectionContext ctx, Session session, int code, String line) {
        int port = -1;
        String method = null;
        if (code == 229) {
            int open = line.indexOf("(|||");
            int close = open < 0 ? -1 : line.indexOf('|', open + 4);
            if (close > open + 4) {
                port = parsePort(line.substring(open + 4, close));
                method = "EPASV";
            }
        } else if (code == 227) {
            int open = line.indexOf('(');
            int close = line.indexOf(')', open + 1);
            if (open >= 0 && close > open) {
                String[] parts = line.substring(open + 1, close).split(",");
                if (parts.length == 6) {
                    int high = parsePort(parts[4].strip());
                    int low = parsePort(parts[5].strip());
                    if (high >= 0 && high < 256 && low >= 0 && low < 256) {
                        port = high * 256 + low;
                        method = "PASV";
                    }
                }
            }
        }
        if (port > 0 && port < 65536) {
            session.dataPort = port;
            session.setupMethod = method;
            session.awaitingCommand = true;
            session.command = null;
            ctx.session.ftpDataConnections.put(((long) ctx.ipSource << 16) | port, new DataConnection(method, session));
        }
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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

    private static boolean isText(byte[] data, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            int b = data[i] & 0xFF;
            if ((b < 0x20 || b > 0x7E) && b != '\r' && b != '\n' && b != '\t') {
                return false;
            }
        }
        return length > 0;
    }

    private static void hide(FieldNode node) {
        if (node != null) {
            node.hidden();
        }
    }

    /** The data connection's bytes: "FTP Data: 24 bytes (EPASV) (TYPE I)". */
    static final class FtpDataDissector implements TcpPduReassembly.PduDissector {
        @Override
        public void dissect(DissectionContext ctx, FieldNode parent, int offset, int length, TcpConversations.Conversation tcp,
                            boolean fromClient) {
            DataConnection connection = (DataConnection) tcp.applicationState;
            ctx.setProtocol("FTP-DATA");
            StringBuilder info = ctx.setInfo().append("FTP Data: ").append(length).append(" bytes (").append(connection.setupMethod())
                    .append(')');
            String command = connection.control().command;
            if (command != null) {
                info.append(" (").append(WiresharkText.format(command)).append(')');
            }
            FieldNode node = ctx.add(parent, FTP_DATA, offset, length);
            if (node != null) {
                node.text("FTP Data (" + length + " bytes data)");
            }
            if (isText(ctx.data, offset, length)) {
                // Text (listings, text files) is shown as lines, whatever the transfer type.
                HttpBodyDissector.dissectTextLines(ctx, parent, offset, length, null);
            }
        }
    }
}
