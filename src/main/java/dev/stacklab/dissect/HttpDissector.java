package dev.stacklab.dissect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.x (RFC 9112) as tshark 4.0 shows it with its default preferences: the request or status line, the headers
 * (the common ones under their own field names), the body delimited by Content-Length or chunked transfer coding and
 * reassembled across TCP segments (headers and body both, Wireshark's http.desegment_headers and
 * http.desegment_body), handed on by its media type; and each response linked to its request on the connection
 * ({@code http.request_in}, {@code http.time}), as a single pass knows them.
 */
final class HttpDissector implements TcpPduReassembly.PduDissector {
    static final HttpDissector INSTANCE = new HttpDissector();
    /** tshark 4.0's http.tcp.port range that stacklab's captures use; 1900 and 2869 are UPnP's, 3128 a proxy's. */
    private static final int[] PORTS = {80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710};

    static final FieldDef HTTP = FieldDef.protocol("http", "Hypertext Transfer Protocol");
    static final FieldDef CHAT = FieldDef.none("http.chat", "Chat");
    static final FieldDef REQUEST_METHOD = FieldDef.string("http.request.method", "Request Method");
    static final FieldDef REQUEST_URI = FieldDef.string("http.request.uri", "Request URI");
    static final FieldDef REQUEST_VERSION = FieldDef.string("http.request.version", "Request Version");
    static final FieldDef RESPONSE_VERSION = FieldDef.string("http.response.version", "Response Version");
    static final FieldDef RESPONSE_CODE = FieldDef.uint("http.response.code", "Status Code");
    static final FieldDef RESPONSE_CODE_DESCRIPTION = FieldDef.string("http.response.code.desc", "Status Code Description");
    static final FieldDef RESPONSE_PHRASE = FieldDef.string("http.response.phrase", "Response Phrase");
    static final FieldDef HOST = FieldDef.string("http.host", "Host");
    static final FieldDef USER_AGENT = FieldDef.string("http.user_agent", "User-Agent");
    static final FieldDef ACCEPT = FieldDef.string("http.accept", "Accept");
    static final FieldDef ACCEPT_ENCODING = FieldDef.string("http.accept_encoding", "Accept Encoding");
    static final FieldDef ACCEPT_LANGUAGE = FieldDef.string("http.accept_language", "Accept-Language");
    static final FieldDef AUTHORIZATION = FieldDef.string("http.authorization", "Authorization");
    static final FieldDef CACHE_CONTROL = FieldDef.string("http.cache_control", "Cache-Control");
    static final FieldDef CONNECTION = FieldDef.string("http.connection", "Connection");
    static final FieldDef CONTENT_ENCODING = FieldDef.string("http.content_encoding", "Content-Encoding");
    static final FieldDef CONTENT_LENGTH_HEADER = FieldDef.string("http.content_length_header", "Content-Length");
    static final FieldDef CONTENT_LENGTH = FieldDef.uint("http.content_length", "Content length");
    static final FieldDef CONTENT_TYPE = FieldDef.string("http.content_type", "Content-Type");
    static final FieldDef COOKIE = FieldDef.string("http.cookie", "Cookie");
    static final FieldDef DATE = FieldDef.string("http.date", "Date");
    static final FieldDef LAST_MODIFIED = FieldDef.string("http.last_modified", "Last-Modified");
    static final FieldDef LOCATION = FieldDef.string("http.location", "Location");
    static final FieldDef REFERER = FieldDef.string("http.referer", "Referer");
    static final FieldDef SERVER = FieldDef.string("http.server", "Server");
    static final FieldDef SET_COOKIE = FieldDef.string("http.set_cookie", "Set-Cookie");
    static final FieldDef TRANSFER_ENCODING = FieldDef.string("http.transfer_encoding", "Transfer-Encoding");
    static final FieldDef REQUEST = FieldDef.bool("http.request", "Request");
    static final FieldDef RESPONSE = FieldDef.bool("http.response", "Response");
    static final FieldDef FULL_URI = FieldDef.string("http.request.full_uri", "Full request URI");
    static final FieldDef REQUEST_NUMBER = FieldDef.uint("http.request_number", "HTTP request");
    static final FieldDef RESPONSE_NUMBER = FieldDef.uint("http.response_number", "HTTP response");
    static final FieldDef TIME = FieldDef.timeNanos("http.time", "Time since request");
    static final FieldDef PREVIOUS_REQUEST_IN = FieldDef.frameNumber("http.prev_request_in", "Prev request in frame");
    static final FieldDef PREVIOUS_RESPONSE_IN = FieldDef.frameNumber("http.prev_response_in", "Prev response in frame");
    static final FieldDef REQUEST_IN = FieldDef.frameNumber("http.request_in", "Request in frame");
    static final FieldDef RESPONSE_FOR_URI = FieldDef.string("http.response_for.uri", "Request URI");
    /** The body; a NONE field here since tshark's string value holds the body's own line breaks. */
    static final FieldDef FILE_DATA = FieldDef.none("http.file_data", "File Data");
    static final FieldDef CHUNKED_RESPONSE = FieldDef.none("http.chunked_response", "HTTP chunked response");
    static final FieldDef CHUNK_SIZE = FieldDef.uint("http.chunk_size", "Chunk size");
    static final FieldDef CHUNK_DATA = FieldDef.bytes("http.chunk_data", "Chunk data");
    static final FieldDef CHUNK_BOUNDARY = FieldDef.bytes("http.chunk_boundary", "Chunk boundary");

    static final List<FieldDef> FIELDS = List.of(HTTP, CHAT, REQUEST_METHOD, REQUEST_URI, REQUEST_VERSION, RESPONSE_VERSION, RESPONSE_CODE,
            RESPONSE_CODE_DESCRIPTION, RESPONSE_PHRASE, HOST, USER_AGENT, ACCEPT, ACCEPT_ENCODING, ACCEPT_LANGUAGE, AUTHORIZATION,
            CACHE_CONTROL, CONNECTION, CONTENT_ENCODING, CONTENT_LENGTH_HEADER, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, DATE, LAST_MODIFIED,
            LOCATION, REFERER, SERVER, SET_COOKIE, TRANSFER_ENCODING, REQUEST, RESPONSE, FULL_URI, REQUEST_NUMBER, RESPONSE_NUMBER, TIME,
            PREVIOUS_REQUEST_IN, PREVIOUS_RESPONSE_IN, REQUEST_IN, RESPONSE_FOR_URI, FILE_DATA, CHUNK_SIZE, CHUNK_DATA, CHUNK_BOUNDARY);

    /** Headers with a field of their own, by lower-case name. */
    private static final Map<String, FieldDef> HEADER_FIELDS = Map.ofEntries(Map.entry("host", HOST), Map.entry("user-agent", USER_AGENT),
            Map.entry("accept", ACCEPT), Map.entry("accept-encoding", ACCEPT_ENCODING), Map.entry("accept-language", ACCEPT_LANGUAGE),
            Map.entry("authorization", AUTHORIZATION), Map.entry("cache-control", CACHE_CONTROL), Map.entry("connection", CONNECTION),
            Map.entry("content-encoding", CONTENT_ENCODING), Map.entry("content-length", CONTENT_LENGTH_HEADER),
            Map.entry("content-type", CONTENT_TYPE), Map.entry("cookie", COOKIE), Map.entry("date", DATE),
            Map.entry("last-modified", LAST_MODIFIED), Map.entry("location", LOCATION), Map.entry("referer", REFERER),
            Map.entry("server", SERVER), Map.entry("set-cookie", SET_COOKIE), Map.entry("transfer-encoding", TRANSFER_ENCODING));
    /** The request methods Wireshark recognises a request line by (is_http_request_or_reply). */
    private static final List<String> METHODS = List.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH",
            "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT", "NOTIFY", "SUBSCRIBE",
            "UNSUBSCRIBE", "M-SEARCH");
    /** Longest line or header block looked at before giving up on reassembly of the headers. */
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    /**
     * Requests and responses seen on one connection, for the links between them, as Wireshark 4.0 pairs them
     * (push_req, push_res): a response belongs to the latest request when that has none yet, a request starts a new
     * pair unless the latest pair is a response without one. Only the latest two pairs are kept: nothing older is shown.
     */
    static final class Conversation {
        Pair latest;
        int pairs;
        /** The method of the latest request, for a response to HEAD (it has no body). */
        String lastMethod;
    }

    /** One request and its response (Wireshark's http_req_res_t); frames 0 while not seen. */
    static final class Pair {
        final int number;
        Pair previous;
        int requestFrame;
        long requestTimeNanos;
        String fullUri;
        int responseFrame;

        Pair(int number, Pair previous) {
            this.number = number;
            this.previous = previous;
        }
    }

    private HttpDissector() {
    }

    /** Whether tshark hands a segment between these ports to HTTP. */
    static boolean claims(int sourcePort, int destinationPort) {
        for (int port : PORTS) {
            if (port == sourcePort || port == destinationPort) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void dissect(DissectionContext ctx, FieldNode parent, int offset, int length, TcpConversations.Conversation tcp,
                        boolean fromClient) {
        int end = offset + length;
        int at = offset;
        boolean first = true;
        while (at < end) {
            int used = dissectMessage(ctx, parent, at, end - at, tcp, first);
            if (used < 0) {
                // Cut short: the rest from this message on waits for more of the stream.
                ctx.desegmentOffset = at - offset;
                return;
            }
            at += used;
            first = false;
        }
    }

    /** One request or response from {@code offset}; its length, or -1 after asking for more bytes ({@code ctx.desegmentLength}). */
    private int dissectMessage(DissectionContext ctx, FieldNode parent, int offset, int length, TcpConversations.Conversation tcp,
                               boolean firstInFrame) {
        byte[] data = ctx.data;
        int end = offset + length;
        int firstLineEnd = lineEnd(data, offset, end);
        boolean request = firstLineEnd >= 0 && isRequestLine(data, offset, firstLineEnd);
        boolean response = firstLineEnd >= 0 && !request && isStatusLine(data, offset, firstLineEnd);
        if (!request && !response) {
            if (firstLineEnd < 0 && length < MAX_HEADER_BYTES && looksLikeStartOfMessage(data, offset, end)) {
                ctx.setProtocol("HTTP");
                ctx.desegmentLength = TcpPduReassembly.ONE_MORE_SEGMENT;
                return -1;
            }
            Conversation seen = tcp.applicationState instanceof Conversation known ? known : null;
            if (seen == null) {
                // Nothing of HTTP on this connection yet: not HTTP at all, as tshark leaves it to TCP.
                DataDissector.dissect(ctx, parent, offset, length);
                return length;
            }
            // Not a message's start: the rest of a body tshark did not reassemble.
            ctx.setProtocol("HTTP");
            if (firstInFrame) {
                ctx.setInfo().append("Continuation");
            }
            FieldNode http = ctx.add(parent, HTTP, offset, length);
            DataDissector.dissect(ctx, http, offset, length);
            return length;
        }
        ctx.setProtocol("HTTP");
        String firstLine = latin1(data, offset, firstLineEnd);
        if (firstInFrame) {
            ctx.setInfo().append(WiresharkText.format(firstLine)).append(' ');
        }
        // The headers end at an empty line; until it is here, ask for more (http.desegment_headers).
        int headersEnd = headersEnd(data, offset, end);
        if (headersEnd < 0) {
            if (length < MAX_HEADER_BYTES) {
                ctx.desegmentLength = TcpPduReassembly.ONE_MORE_SEGMENT;
                return -1;
            }
            headersEnd = end;
        }
        Conversation state = state(tcp);
        Headers headers = parseHeaders(data, lineAfter(data, firstLineEnd, end), headersEnd);
        int statusCode = response ? statusCode(data, offset, firstLineEnd) : 0;
        boolean noBody = response && ("HEAD".equals(state.lastMethod) || statusCode / 100 == 1 || statusCode == 204
                || statusCode == 304);
        // The body (http.desegment_body): by Content-Length, or chunk by chunk.
        int bodyStart = headersEnd;
        int bodyLength = 0;
        int messageEnd = headersEnd;
        int[] chunks = null;
        if (!noBody && headers.chunked) {
            chunks = parseChunks(data, bodyStart, end);
            if (chunks == null) {
                ctx.desegmentLength = TcpPduReassembly.ONE_MORE_SEGMENT;
                return -1;
            }
            messageEnd = chunks[chunks.length - 1];
            bodyLength = messageEnd - bodyStart;
        } else if (!noBody && headers.contentLength > 0) {
            long available = end - bodyStart;
            if (available < headers.contentLength) {
                long missing = headers.contentLength - available;
                ctx.desegmentLength = (int) Math.min(missing, Integer.MAX_VALUE);
                return -1;
            }
            bodyLength = (int) headers.contentLength;
            messageEnd = bodyStart + bodyLength;
        } else if (!noBody && headers.contentLength < 0 && response) {
            // No length: the body runs to the end of what is here.
            bodyLength = end - bodyStart;
            messageEnd = end;
        }

        FieldNode http = ctx.add(parent, HTTP, offset, messageEnd - offset);
        FieldNode line = ctx.addText(http, offset, firstLineEnd - offset + 2, WiresharkText.format(firstLine) + "\\r\\n");
        ctx.addExpert(line, offset, 0, "Chat/Sequence", WiresharkText.format(firstLine) + "\\r\\n", CHAT);
        String fullUri = null;
        if (request) {
            int methodEnd = indexOf(data, offset, firstLineEnd, (byte) ' ');
            int uriEnd = lastIndexOf(data, methodEnd + 1, firstLineEnd, (byte) ' ');
            String method = latin1(data, offset, methodEnd);
            String uri = latin1(data, methodEnd + 1, uriEnd);
            ctx.addString(line, REQUEST_METHOD, offset, methodEnd - offset, method);
            ctx.addString(line, REQUEST_URI, methodEnd + 1, uriEnd - methodEnd - 1, uri);
            ctx.addString(line, REQUEST_VERSION, uriEnd + 1, firstLineEnd - uriEnd - 1, latin1(data, uriEnd + 1, firstLineEnd));
            fullUri = uri.startsWith("/") && headers.host != null ? "http://" + headers.host + uri : uri;
            Pair pair = state.latest;
            if (pair == null || pair.requestFrame > 0) {
                pair = newPair(state);
            }
            pair.requestFrame = ctx.frameNumber;
            pair.requestTimeNanos = ctx.timestampNanos;
            pair.fullUri = fullUri;
            state.lastMethod = method;
            addHeaders(ctx, http, data, headers, true);
            ctx.addText(http, headersEnd - 2, 2, "\\r\\n");
            generated(ctx.addString(http, FULL_URI, offset, 0, fullUri));
            hide(ctx.add(http, REQUEST, offset, 0, 1));
            FieldNode number = ctx.add(http, REQUEST_NUMBER, offset, 0, pair.number);
            if (number != null) {
                number.generated().text("HTTP request " + pair.number + "/" + state.pairs);
            }
            if (pair.previous != null && pair.previous.requestFrame != 0) {
                generated(ctx.add(http, PREVIOUS_REQUEST_IN, offset, 0, pair.previous.requestFrame));
            }
        } else {
            int versionEnd = indexOf(data, offset, firstLineEnd, (byte) ' ');
            int codeEnd = Math.min(versionEnd + 4, firstLineEnd);
            ctx.addString(line, RESPONSE_VERSION, offset, versionEnd - offset, latin1(data, offset, versionEnd));
            ctx.add(line, RESPONSE_CODE, versionEnd + 1, 3, statusCode);
            String description = statusDescription(statusCode);
            if (description != null) {
                generated(ctx.addString(line, RESPONSE_CODE_DESCRIPTION, versionEnd + 1, 3, description));
            }
            if (codeEnd < firstLineEnd) {
                ctx.addString(line, RESPONSE_PHRASE, codeEnd + 1, firstLineEnd - codeEnd - 1, latin1(data, codeEnd + 1, firstLineEnd));
            }
            addHeaders(ctx, http, data, headers, false);
            ctx.addText(http, headersEnd - 2, 2, "\\r\\n");
            hide(ctx.add(http, RESPONSE, offset, 0, 1));
            Pair pair = state.latest;
            if (pair == null || pair.responseFrame > 0) {
                pair = newPair(state);
            }
            pair.responseFrame = ctx.frameNumber;
            FieldNode number = ctx.add(http, RESPONSE_NUMBER, offset, 0, pair.number);
            if (number != null) {
                number.generated().text("HTTP response " + pair.number + "/" + state.pairs);
            }
            if (pair.requestFrame != 0) {
                FieldNode time = generated(ctx.add(http, TIME, offset, 0, ctx.timestampNanos - pair.requestTimeNanos));
                if (time != null) {
                    time.text(FrameDissector.SECONDS_LINE);
                }
            }
            Pair previous = pair.previous;
            if (previous != null && previous.requestFrame != 0) {
                generated(ctx.add(http, PREVIOUS_REQUEST_IN, offset, 0, previous.requestFrame));
            }
            if (previous != null && previous.responseFrame != 0) {
                generated(ctx.add(http, PREVIOUS_RESPONSE_IN, offset, 0, previous.responseFrame));
            }
            if (pair.requestFrame != 0) {
                generated(ctx.add(http, REQUEST_IN, offset, 0, pair.requestFrame));
                generated(ctx.addString(http, RESPONSE_FOR_URI, offset, 0, pair.fullUri));
            }
        }

        if (bodyLength > 0) {
            if (firstInFrame && headers.contentType != null) {
                ctx.appendInfo().append(" (").append(headers.contentType).append(')');
            }
            if (chunks != null) {
                dissectChunkedBody(ctx, parent, http, bodyStart, chunks, headers, request);
            } else {
                ctx.addText(http, bodyStart, bodyLength, "File Data: " + bodyLength + " byte" + (bodyLength == 1 ? "" : "s"));
                HttpBodyDissector.dissect(ctx, parent, http, bodyStart, bodyLength, headers.contentType);
            }
        }
        return messageEnd - offset;
    }

    /** Wireshark's push_req_res: a new pair after the latest, of which only the one before is kept. */
    private static Pair newPair(Conversation state) {
        Pair latest = state.latest;
        if (latest != null) {
            latest.previous = null;
        }
        state.latest = new Pair(++state.pairs, latest);
        return state.latest;
    }

    /** "HTTP chunked response": each chunk, then the de-chunked body from a data source of its own. */
    private static void dissectChunkedBody(DissectionContext ctx, FieldNode parent, FieldNode http, int bodyStart, int[] chunks,
                                           Headers headers, boolean request) {
        byte[] data = ctx.data;
        int bodyEnd = chunks[chunks.length - 1];
        FieldNode list = ctx.add(http, CHUNKED_RESPONSE, bodyStart, bodyEnd - bodyStart);
        if (list != null) {
            list.text(request ? "HTTP chunked request" : "HTTP chunked response");
        }
        int total = 0;
        for (int i = 0; i + 3 < chunks.length; i += 3) {
            total += chunks[i + 2];
        }
        byte[] body = new byte[total];
        int written = 0;
        for (int i = 0; i + 3 < chunks.length; i += 3) {
            int lineStart = chunks[i];
            int dataStart = chunks[i + 1];
            int size = chunks[i + 2];
            if (size == 0) {
                FieldNode last = ctx.add(list, DissectionContext.TEXT, lineStart, dataStart - lineStart);
                if (last != null) {
                    last.text("End of chunked encoding");
                }
                text(ctx.add(last, CHUNK_SIZE, lineStart, dataStart - lineStart, 0), "Chunk size: 0 octets");
                int trailerEnd = bodyEnd;
                ctx.addText(list, trailerEnd - 2, 2, "\\r\\n");
                continue;
            }
            FieldNode chunk = ctx.add(list, DissectionContext.TEXT, lineStart, dataStart + size + 2 - lineStart);
            if (chunk != null) {
                chunk.text("Data chunk (" + size + " octets)");
            }
            text(ctx.add(chunk, CHUNK_SIZE, lineStart, dataStart - lineStart, size), "Chunk size: " + size + " octets");
            ctx.addBytes(chunk, CHUNK_DATA, dataStart, size);
            ctx.addBytes(chunk, CHUNK_BOUNDARY, dataStart + size, 2);
            System.arraycopy(data, dataStart, body, written, size);
            written += size;
        }
        ctx.addText(http, bodyStart, bodyEnd - bodyStart, "File Data: " + total + " byte" + (total == 1 ? "" : "s"));
        if (total > 0) {
            byte[] frameData = ctx.data;
            int previous = ctx.pushDataSource("De-chunked entity body (" + total + " bytes)", body, total);
            HttpBodyDissector.dissect(ctx, parent, http, 0, total, headers.contentType);
            ctx.popDataSource(previous, frameData);
        }
    }

    /**
     * The chunks from {@code at}: triples of (line start, data start, size) then the offset just past the last CRLF,
     * or null when the bytes end before the last chunk (RFC 9112 section 7.1).
     */
    private static int[] parseChunks(byte[] data, int at, int end) {
        int[] chunks = new int[16];
        int count = 0;
        while (true) {
            int lineEnd = lineEnd(data, at, end);
            if (lineEnd < 0) {
                return null;
            }
            long size = 0;
            int digits = 0;
            for (int i = at; i < lineEnd; i++) {
                int digit = Character.digit(data[i], 16);
                if (digit < 0) {
                    break;
                }
                size = size * 16 + digit;
                digits++;
                if (size > Integer.MAX_VALUE / 2) {
                    return null;
                }
            }
            if (digits == 0) {
                return null;
            }
            int dataStart = lineEnd + 2;
            if (count + 4 > chunks.length) {
                chunks = java.util.Arrays.copyOf(chunks, chunks.length * 2);
            }
            chunks[count++] = at;
            chunks[count++] = dataStart;
            chunks[count++] = (int) size;
            if (size == 0) {
                // Trailer fields, then the empty line.
                int trailer = dataStart;
                while (true) {
                    int trailerEnd = lineEnd(data, trailer, end);
                    if (trailerEnd < 0) {
                        return null;
                    }
                    boolean empty = trailerEnd == trailer;
                    trailer = trailerEnd + 2;
                    if (empty) {
                        break;
                    }
                }
                chunks[count++] = trailer;
                return java.util.Arrays.copyOf(chunks, count);
            }
            if ((long) dataStart + size + 2 > end) {
                return null;
            }
            at = dataStart + (int) size + 2;
        }
    }

    private static void addHeaders(DissectionContext ctx, FieldNode http, byte[] data, Headers headers, boolean request) {
        if (http == null) {
            return;
        }
        for (int i = 0; i < headers.count; i++) {
            int start = headers.starts[i];
            int lineEnd = headers.ends[i];
            int colon = indexOf(data, start, lineEnd, (byte) ':');
            String line = latin1(data, start, lineEnd);
            String name = colon < 0 ? line : latin1(data, start, colon).toLowerCase(Locale.ROOT);
            FieldDef def = colon < 0 ? null : HEADER_FIELDS.get(name);
            String shown = WiresharkText.format(line) + "\\r\\n";
            if (def == null) {
                ctx.addText(http, start, lineEnd + 2 - start, shown);
                continue;
            }
            String value = latin1(data, valueStart(data, colon + 1, lineEnd), lineEnd);
            FieldNode node = ctx.addString(http, def, start, lineEnd + 2 - start, value).text(shown);
            if (def == CONTENT_LENGTH_HEADER && headers.contentLength >= 0) {
                generated(ctx.add(node, CONTENT_LENGTH, start, lineEnd + 2 - start, headers.contentLength));
            }
        }
    }

    /** What the body's handling needs from the headers. */
    static final class Headers {
        int[] starts = new int[16];
        int[] ends = new int[16];
        int count;
        long contentLength = -1;
        boolean chunked;
        String contentType;
        String host;
    }

    private static Headers parseHeaders(byte[] data, int at, int headersEnd) {
        Headers headers = new Headers();
        int limit = headersEnd - 2;
        while (at < limit) {
            int lineEnd = lineEnd(data, at, headersEnd);
            if (lineEnd < 0 || lineEnd == at) {
                break;
            }
            if (headers.count == headers.starts.length) {
                headers.starts = java.util.Arrays.copyOf(headers.starts, headers.count * 2);
                headers.ends = java.util.Arrays.copyOf(headers.ends, headers.count * 2);
            }
            headers.starts[headers.count] = at;
            headers.ends[headers.count] = lineEnd;
            headers.count++;
            int colon = indexOf(data, at, lineEnd, (byte) ':');
            if (colon > 0) {
                String name = latin1(data, at, colon).toLowerCase(Locale.ROOT);
                String value = latin1(data, valueStart(data, colon + 1, lineEnd), lineEnd).strip();
                switch (name) {
                    case "content-length" -> headers.contentLength = parseLength(value);
                    case "transfer-encoding" -> headers.chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "content-type" -> {
                        int semicolon = value.indexOf(';');
                        headers.contentType = (semicolon < 0 ? value : value.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
                    }
                    case "host" -> headers.host = value;
                    default -> {
                    }
                }
            }
            at = lineEnd + 2;
        }
        return headers;
    }

    private static long parseLength(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length * 10 + (c - '0');
        }
        return length;
    }

    private static int valueStart(byte[] data, int at, int end) {
        while (at < end && (data[at] == ' ' || data[at] == '\t')) {
            at++;
        }
        return at;
    }

    private static Conversation state(TcpConversations.Conversation tcp) {
        return tcp.applicationState(Conversation.class, Conversation::new);
    }

    private static boolean isRequestLine(byte[] data, int start, int end) {
        int space = indexOf(data, start, end, (byte) ' ');
        if (space <= start) {
            return false;
        }
        String method = latin1(data, start, space);
        if (!METHODS.contains(method)) {
            return false;
        }
        int last = lastIndexOf(data, space + 1, end, (byte) ' ');
        return last > space && startsWith(data, last + 1, end, "HTTP/");
    }

    private static boolean isStatusLine(byte[] data, int start, int end) {
        if (!startsWith(data, start, end, "HTTP/") || end - start < 12) {
            return false;
        }
        int space = indexOf(data, start, end, (byte) ' ');
        if (space < 0 || space + 4 > end) {
            return false;
        }
        for (int i = space + 1; i < space + 4; i++) {
            if (data[i] < '0' || data[i] > '9') {
                return false;
            }
        }
        return space + 4 == end || data[space + 4] == ' ';
    }

    /** Whether bytes without a line end yet may be the start of a request or status line (so worth waiting for). */
    private static boolean looksLikeStartOfMessage(byte[] data, int start, int end) {
        if (startsWith(data, start, end, "HTTP/") || "HTTP/".startsWith(latin1(data, start, Math.min(end, start + 5)))) {
            return end > start;
        }
        int space = indexOf(data, start, end, (byte) ' ');
        String word = latin1(data, start, space < 0 ? Math.min(end, start + 12) : space);
        for (String method : METHODS) {
            if (space < 0 ? method.startsWith(word) && !word.isEmpty() : method.equals(word)) {
                return true;
            }
        }
        return false;
    }

    private static int statusCode(byte[] data, int start, int end) {
        int space = indexOf(data, start, end, (byte) ' ');
        return (data[space + 1] - '0') * 100 + (data[space + 2] - '0') * 10 + (data[space + 3] - '0');
    }

    /** Wireshark's vals_http_status_code. */
    static String statusDescription(int code) {
        return switch (code) {
            case 100 -> "Continue";
            case 101 -> "Switching Protocols";
            case 102 -> "Processing";
            case 103 -> "Early Hints";
            case 199 -> "Informational - Others";
            case 200 -> "OK";
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 203 -> "Non-authoritative Information";
            case 204 -> "No Content";
            case 205 -> "Reset Content";
            case 206 -> "Partial Content";
            case 207 -> "Multi-Status";
            case 208 -> "Already Reported";
            case 226 -> "IM Used";
            case 299 -> "Success - Others";
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 305 -> "Use Proxy";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 399 -> "Redirection - Others";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Time-out";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Request Entity Too Large";
            case 414 -> "Request-URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Requested Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 418 -> "I'm a teapot";
            case 421 -> "Misdirected Request";
            case 422 -> "Unprocessable Entity";
            case 423 -> "Locked";
            case 424 -> "Failed Dependency";
            case 425 -> "Too Early";
            case 426 -> "Upgrade Required";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 451 -> "Unavailable For Legal Reasons";
            case 499 -> "Client Error - Others";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Time-out";
            case 505 -> "HTTP Version not supported";
            case 506 -> "Variant Also Negotiates";
            case 507 -> "Insufficient Storage";
            case 508 -> "Loop Detected";
            case 510 -> "Not Extended";
            case 511 -> "Network Authentication Required";
            case 599 -> "Server Error - Others";
            default -> null;
        };
    }

    // ---- bytes ----

    /** Offset of the CR of the first CRLF at or after {@code at}, or -1. */
    static int lineEnd(byte[] data, int at, int end) {
        for (int i = at; i + 1 < end; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lineAfter(byte[] data, int lineEnd, int end) {
        return Math.min(lineEnd + 2, end);
    }

    /** Offset just past the empty line that ends the headers, or -1. */
    private static int headersEnd(byte[] data, int at, int end) {
        for (int i = at; i + 3 < end; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n' && data[i + 2] == '\r' && data[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }

    static int indexOf(byte[] data, int from, int end, byte value) {
        for (int i = from; i < end; i++) {
            if (data[i] == value) {
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

    static boolean startsWith(byte[] data, int at, int end, String prefix) {
        if (end - at < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (data[at + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static String latin1(byte[] data, int from, int to) {
        return to <= from ? "" : new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static FieldNode generated(FieldNode node) {
        return node == null ? null : node.generated();
    }

    private static void text(FieldNode node, String text) {
        if (node != null) {
            node.text(text);
        }
    }

    private static void hide(FieldNode node) {
        if (node != null) {
            node.hidden();
        }
    }
}
