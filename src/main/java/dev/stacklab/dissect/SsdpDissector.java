package dev.stacklab.dissect;

import java.util.Locale;

/**
 * SSDP (UPnP Device Architecture 2.0 section 1: HTTP messages over UDP port 1900) as tshark 4.0 shows it: the
 * request or status line with HTTP's fields and its Chat note, each header line (the headers HTTP knows under their
 * http.* names), the empty line, the full request URI. Info is the first line. A NOTIFY is a notification and gets
 * no request number; every other message is numbered as the first of its datagram's exchange (1/1), since SSDP
 * answers a multicast search from another conversation than the search's.
 */
final class SsdpDissector {
    static final int PORT = 1900;

    static final FieldDef SSDP = FieldDef.protocol("ssdp", "Simple Service Discovery Protocol");
    static final java.util.List<FieldDef> FIELDS = java.util.List.of(SSDP);

    private SsdpDissector() {
    }

    static boolean claims(int sourcePort, int destinationPort) {
        return sourcePort == PORT || destinationPort == PORT;
    }

    static void dissect(DissectionContext ctx, int offset, int length) {
        byte[] data = ctx.data;
        int end = offset + length;
        ctx.setProtocol("SSDP");
        int firstLineEnd = lineEnd(data, offset, end);
        String firstLine = HttpDissector.latin1(data, offset, firstLineEnd < 0 ? end : firstLineEnd);
        // Wireshark's Info is the first line as the HTTP dissector writes it, with the space that stood for its CRLF.
        ctx.setInfo().append(WiresharkText.format(firstLine)).append(' ');
        FieldNode ssdp = ctx.add(ctx.root, SSDP, offset, length);
        if (ssdp == null) {
            return;
        }
        if (firstLineEnd < 0) {
            ctx.addText(ssdp, offset, length, WiresharkText.format(firstLine));
            return;
        }
        boolean response = firstLine.startsWith("HTTP/");
        boolean notification = firstLine.startsWith("NOTIFY ");
        FieldNode line = ctx.addText(ssdp, offset, firstLineEnd + 2 - offset, WiresharkText.format(firstLine) + "\\r\\n");
        ctx.addExpert(line, offset, 0, "Chat/Sequence", WiresharkText.format(firstLine) + "\\r\\n", HttpDissector.CHAT);
        String uri = null;
        int firstSpace = HttpDissector.indexOf(data, offset, firstLineEnd, (byte) ' ');
        int lastSpace = firstSpace < 0 ? -1 : lastIndexOf(data, firstSpace + 1, firstLineEnd, (byte) ' ');
        if (!response && firstSpace > 0 && lastSpace > firstSpace) {
            uri = HttpDissector.latin1(data, firstSpace + 1, lastSpace);
            ctx.addString(line, HttpDissector.REQUEST_METHOD, offset, firstSpace - offset, HttpDissector.latin1(data, offset, firstSpace));
            ctx.addString(line, HttpDissector.REQUEST_URI, firstSpace + 1, lastSpace - firstSpace - 1, uri);
            ctx.addString(line, HttpDissector.REQUEST_VERSION, lastSpace + 1, firstLineEnd - lastSpace - 1,
                    HttpDissector.latin1(data, lastSpace + 1, firstLineEnd));
        } else if (response && firstSpace > 0 && firstSpace + 4 <= firstLineEnd) {
            ctx.addString(line, HttpDissector.RESPONSE_VERSION, offset, firstSpace - offset, HttpDissector.latin1(data, offset, firstSpace));
            int code = parseCode(data, firstSpace + 1);
            ctx.add(line, HttpDissector.RESPONSE_CODE, firstSpace + 1, 3, code);
            String description = HttpDissector.statusDescription(code);
            if (description != null) {
                ctx.addString(line, HttpDissector.RESPONSE_CODE_DESCRIPTION, firstSpace + 1, 3, description).generated();
            }
            if (firstSpace + 4 < firstLineEnd) {
                ctx.addString(line, HttpDissector.RESPONSE_PHRASE, firstSpace + 5, firstLineEnd - firstSpace - 5,
                        HttpDissector.latin1(data, firstSpace + 5, firstLineEnd));
            }
        }
        String host = null;
        int at = firstLineEnd + 2;
        while (at < end) {
            int lineEnd = lineEnd(data, at, end);
            if (lineEnd < 0) {
                ctx.addText(ssdp, at, end - at, WiresharkText.format(HttpDissector.latin1(data, at, end)));
                break;
            }
            if (lineEnd == at) {
                ctx.addText(ssdp, at, 2, "\\r\\n");
                at += 2;
                break;
            }
            String text = HttpDissector.latin1(data, at, lineEnd);
            String shown = WiresharkText.format(text) + "\\r\\n";
            int colon = text.indexOf(':');
            FieldDef def = colon < 0 ? null : headerField(text.substring(0, colon).toLowerCase(Locale.ROOT));
            if (def == null) {
                ctx.addText(ssdp, at, lineEnd + 2 - at, shown);
            } else {
                String value = text.substring(colon + 1).strip();
                ctx.addString(ssdp, def, at, lineEnd + 2 - at, value).text(shown);
                if (def == HttpDissector.HOST) {
                    host = value;
                }
            }
            at = lineEnd + 2;
        }
        if (!response && uri != null) {
            ctx.addString(ssdp, HttpDissector.FULL_URI, offset, 0, host != null ? "http://" + host + uri : uri).generated();
        }
        if (notification) {
            return;
        }
        ctx.add(ssdp, response ? HttpDissector.RESPONSE : HttpDissector.REQUEST, offset, 0, 1).hidden();
        ctx.add(ssdp, response ? HttpDissector.RESPONSE_NUMBER : HttpDissector.REQUEST_NUMBER, offset, 0, 1).generated()
                .text(response ? "HTTP response 1/1" : "HTTP request 1/1");
        if (at < end) {
            DataDissector.dissect(ctx, ctx.root, at, end - at);
        }
    }

    /** The headers HTTP names (the others are text lines, as in the HTTP dissector here). */
    private static FieldDef headerField(String name) {
        return switch (name) {
            case "host" -> HttpDissector.HOST;
            case "user-agent" -> HttpDissector.USER_AGENT;
            case "cache-control" -> HttpDissector.CACHE_CONTROL;
            case "location" -> HttpDissector.LOCATION;
            case "server" -> HttpDissector.SERVER;
            case "date" -> HttpDissector.DATE;
            case "content-type" -> HttpDissector.CONTENT_TYPE;
            default -> null;
        };
    }

    /** Where the line starting at {@code at} ends (its CR), or -1 when no CRLF ends it. */
    private static int lineEnd(byte[] data, int at, int end) {
        for (int i = at; i + 1 < end; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] data, int from, int end, byte value) {
        for (int i = end - 1; i >= from; i--) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static int parseCode(byte[] data, int at) {
        int code = 0;
        for (int i = at; i < at + 3; i++) {
            int digit = data[i] - '0';
            if (digit < 0 || digit > 9) {
                return 0;
            }
            code = code * 10 + digit;
        }
        return code;
    }
}
