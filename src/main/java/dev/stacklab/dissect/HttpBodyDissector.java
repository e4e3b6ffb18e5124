package dev.stacklab.dissect;

import java.util.List;

/**
 * What tshark 4.0 hands an HTTP body to by its media type: text as "Line-based text data" (data-text-lines), a form
 * as "HTML Form URL Encoded" (urlencoded-form), any other named type as "Media Type", and a body without a type as
 * Data inside the HTTP tree.
 */
final class HttpBodyDissector {
    static final FieldDef TEXT_LINES = FieldDef.protocol("data-text-lines", "Line-based text data");
    static final FieldDef FORM = FieldDef.protocol("urlencoded-form", "HTML Form URL Encoded");
    static final FieldDef FORM_KEY = FieldDef.string("urlencoded-form.key", "Key");
    static final FieldDef FORM_VALUE = FieldDef.string("urlencoded-form.value", "Value");
    static final FieldDef MEDIA = FieldDef.protocol("media", "Media Type");
    static final FieldDef MEDIA_TYPE = FieldDef.string("media_type", "Media type");

    static final List<FieldDef> FIELDS = List.of(TEXT_LINES, FORM, FORM_KEY, FORM_VALUE, MEDIA, MEDIA_TYPE);

    /** Wireshark's ITEM_LABEL_LENGTH: a longer line is cut and marked. */
    private static final int LABEL_LENGTH = 240;

    private HttpBodyDissector() {
    }

    static void dissect(DissectionContext ctx, FieldNode parent, FieldNode http, int offset, int length, String contentType) {
        if (contentType == null) {
            DataDissector.dissect(ctx, http, offset, length);
        } else if (isText(contentType)) {
            dissectTextLines(ctx, parent, offset, length, contentType);
        } else if (contentType.equals("application/x-www-form-urlencoded")) {
            dissectForm(ctx, parent, offset, length, contentType);
        } else {
            FieldNode media = ctx.add(parent, MEDIA, offset, length);
            if (media != null) {
                ctx.addString(media, MEDIA_TYPE, offset, length, contentType)
                        .text("Media type: " + contentType + " (" + length + " byte" + (length == 1 ? "" : "s") + ")");
            }
        }
    }

    private static boolean isText(String contentType) {
        return switch (contentType) {
            case "text/plain", "text/html", "text/css", "text/javascript", "application/javascript", "text/csv", "text/x-python",
                 "message/http", "text/vnd.wap.wml", "text/x-sh" -> true;
            default -> false;
        };
    }

    /** One text node per line, each with its line end, as data-text-lines shows them. */
    static void dissectTextLines(DissectionContext ctx, FieldNode parent, int offset, int length, String contentType) {
        byte[] data = ctx.data;
        int end = offset + length;
        int lines = 0;
        for (int at = offset; at < end; lines++) {
            int newline = HttpDissector.indexOf(data, at, end, (byte) '\n');
            at = newline < 0 ? end : newline + 1;
        }
        FieldNode text = ctx.add(parent, TEXT_LINES, offset, length);
        if (text == null) {
            return;
        }
        text.text("Line-based text data" + (contentType == null ? "" : ": " + contentType) + " (" + lines + " lines)");
        for (int at = offset; at < end; ) {
            int newline = HttpDissector.indexOf(data, at, end, (byte) '\n');
            int lineEnd = newline < 0 ? end : newline + 1;
            FieldNode line = ctx.add(text, DissectionContext.TEXT, at, lineEnd - at, 0);
            if (line != null) {
                line.text(new TextLine(data, at, lineEnd));
            }
            at = lineEnd;
        }
    }

    /**
     * One line of a text body, formatted only when shown: a 43 kB body has a thousand lines, and making each one's
     * String while dissecting (decoded, escaped, cut) cost more than the rest of its frame's tree. The bytes belong to
     * the tree (the frame's copy or a reassembled buffer) and never change.
     */
    private record TextLine(byte[] data, int from, int to) implements NodeText {
        @Override
        public String line(FieldNode node) {
            return label(WiresharkText.format(utf8(data, from, to)));
        }
    }

    private static void dissectForm(DissectionContext ctx, FieldNode parent, int offset, int length, String contentType) {
        FieldNode form = ctx.add(parent, FORM, offset, length);
        if (form == null) {
            return;
        }
        form.text("HTML Form URL Encoded: " + contentType);
        byte[] data = ctx.data;
        int end = offset + length;
        for (int at = offset; at < end; ) {
            int ampersand = HttpDissector.indexOf(data, at, end, (byte) '&');
            int itemEnd = ampersand < 0 ? end : ampersand;
            int equals = HttpDissector.indexOf(data, at, itemEnd, (byte) '=');
            int keyEnd = equals < 0 ? itemEnd : equals;
            String key = urlDecode(data, at, keyEnd);
            FieldNode item = ctx.addText(form, at, itemEnd - at, "Form item: \"" + key + "\""
                    + (equals < 0 ? "" : " = \"" + urlDecode(data, equals + 1, itemEnd) + "\""));
            ctx.addString(item, FORM_KEY, at, keyEnd - at, key);
            if (equals >= 0) {
                ctx.addString(item, FORM_VALUE, equals + 1, itemEnd - equals - 1, urlDecode(data, equals + 1, itemEnd));
            }
            at = itemEnd + 1;
        }
    }

    private static String urlDecode(byte[] data, int from, int to) {
        byte[] out = new byte[to - from];
        int length = 0;
        for (int i = from; i < to; i++) {
            byte b = data[i];
            if (b == '+') {
                out[length++] = ' ';
            } else if (b == '%' && i + 2 < to && Character.digit(data[i + 1], 16) >= 0 && Character.digit(data[i + 2], 16) >= 0) {
                out[length++] = (byte) (Character.digit(data[i + 1], 16) * 16 + Character.digit(data[i + 2], 16));
                i += 2;
            } else {
                out[length++] = b;
            }
        }
        return WiresharkText.format(utf8(out, 0, length));
    }

    private static String utf8(byte[] data, int from, int to) {
        return new String(data, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A label longer than Wireshark keeps: cut, and marked " [truncated]" before it. */
    static String label(String text) {
        if (text.length() < LABEL_LENGTH - 1) {
            return text;
        }
        return " [truncated]" + text.substring(0, LABEL_LENGTH - 2 - " [truncated]".length());
    }
}
