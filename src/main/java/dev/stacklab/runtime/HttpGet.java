package dev.stacklab.runtime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 GET over a {@link TcpSocket} (RFC 9112): the request asks the server to close afterwards, and
 * the body is read as the response frames it (section 6.3): chunked, by Content-Length, or until the server
 * closes. The body goes to a stream as it arrives, so a transfer of any size needs no memory for it.
 */
public final class HttpGet {
    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 200;

    /** How the body's end was found. */
    public enum Framing {
        CONTENT_LENGTH("Content-Length"), CHUNKED("chunked"), CLOSE_DELIMITED("close-delimited"), NONE("no body");

        private final String label;

        Framing(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The status line, the headers (names in lower case, the last of repeated ones) and what the body was. */
    public record Response(int status, String reason, Map<String, String> headers, long bodyBytes, Framing framing) {
    }

    private HttpGet() {
    }

    /**
     * Sends {@code GET target} with {@code Host: hostHeader} and writes the response body to {@code body}.
     *
     * @throws ProtocolException when the response is not HTTP or its framing is broken
     */
    public static Response fetch(TcpSocket socket, String hostHeader, String target, OutputStream body) throws IOException {
        String request = "GET " + target + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: stacklab\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(socket.getInputStream(), TcpSocket.MAX_READ);
        String statusLine = readLine(in);
        if (statusLine == null) {
            throw new ProtocolException("the server closed the connection without a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new ProtocolException("not an HTTP/1.x status line: " + printable(statusLine));
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            String line = readLine(in);
            if (line == null) {
                throw new ProtocolException("the server closed the connection in the response's headers");
            }
            if (line.isEmpty()) {
                break;
            }
            if (i >= MAX_HEADERS) {
                throw new ProtocolException("more than " + MAX_HEADERS + " header lines");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String reason = parts.length > 2 ? parts[2] : "";
        // RFC 9112 6.3: 1xx, 204 and 304 have no body; then chunked beats Content-Length; else until close.
        if (status / 100 == 1 || status == 204 || status == 304) {
            return new Response(status, reason, headers, 0, Framing.NONE);
        }
        String transferEncoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        if (transferEncoding.endsWith("chunked")) {
            return new Response(status, reason, headers, readChunked(in, body), Framing.CHUNKED);
        }
        String contentLength = headers.get("content-length");
        if (contentLength != null) {
            long length;
            try {
                length = Long.parseLong(contentLength);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad Content-Length: " + printable(contentLength));
            }
            if (length < 0) {
                throw new ProtocolException("bad Content-Length: " + length);
            }
            copy(in, body, length);
            return new Response(status, reason, headers, length, Framing.CONTENT_LENGTH);
        }
        return new Response(status, reason, headers, copy(in, body, Long.MAX_VALUE), Framing.CLOSE_DELIMITED);
    }

    /** RFC 9112 7.1: size lines in hex (extensions ignored), data, CRLF; a zero size, then trailers. */
    private static long readChunked(InputStream in, OutputStream body) throws IOException {
        long total = 0;
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new ProtocolException("the server closed the connection inside a chunked body after " + total + " bytes");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size line: " + printable(sizeLine));
            }
            if (size < 0) {
                throw new ProtocolException("bad chunk size: " + hex);
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine(in);
                } while (trailer != null && !trailer.isEmpty());
                return total;
            }
            copy(in, body, size);
            total += size;
            String end = readLine(in);
            if (end == null || !end.isEmpty()) {
                throw new ProtocolException("a chunk of " + size + " bytes is not followed by CRLF");
            }
        }
    }

    /** Copies {@code count} bytes, or to the end of the stream when {@code count} is Long.MAX_VALUE; says how many. */
    private static long copy(InputStream in, OutputStream out, long count) throws IOException {
        byte[] buffer = new byte[TcpSocket.MAX_READ];
        long copied = 0;
        while (copied < count) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, count - copied));
            if (n < 0) {
                if (count == Long.MAX_VALUE) {
                    return copied;
                }
                throw new ProtocolException("the server closed the connection after " + copied + " of " + count
                        + " body bytes");
            }
            out.write(buffer, 0, n);
            copied += n;
        }
        return copied;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            if (line.size() >= MAX_LINE) {
                throw new ProtocolException("a response line over " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
