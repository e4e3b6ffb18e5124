package dev.stacklab.dissect;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The Internet Message Format (RFC 5322) as tshark 4.0 shows a mail reassembled from SMTP's DATA: each header field
 * under its imf.* name (address fields with their items, display names and addresses, section 3.4), unknown fields
 * as Unknown-Extension with their type and value, then the body as Message-Text, one line each. Protocol "SMTP/IMF";
 * Info the From and Subject fields ("from: alice@example.org, subject: hi, ") then the body's lines after ", ".
 * Not yet: Content-Type's parameters and the MIME parts it announces (tshark hands those to their media types).
 */
final class ImfDissector {
    static final FieldDef IMF = FieldDef.protocol("imf", "Internet Message Format");
    static final FieldDef DATE = FieldDef.string("imf.date", "Date");
    static final FieldDef FROM = FieldDef.string("imf.from", "From");
    static final FieldDef SENDER = FieldDef.string("imf.sender", "Sender");
    static final FieldDef REPLY_TO = FieldDef.string("imf.reply_to", "Reply-To");
    static final FieldDef TO = FieldDef.string("imf.to", "To");
    static final FieldDef CC = FieldDef.string("imf.cc", "Cc");
    static final FieldDef BCC = FieldDef.string("imf.bcc", "Bcc");
    static final FieldDef MESSAGE_ID = FieldDef.string("imf.message_id", "Message-ID");
    static final FieldDef IN_REPLY_TO = FieldDef.string("imf.in_reply_to", "In-Reply-To");
    static final FieldDef REFERENCES = FieldDef.string("imf.references", "References");
    static final FieldDef SUBJECT = FieldDef.string("imf.subject", "Subject");
    static final FieldDef COMMENTS = FieldDef.string("imf.comments", "Comments");
    static final FieldDef USER_AGENT = FieldDef.string("imf.user_agent", "User-Agent");
    static final FieldDef KEYWORDS = FieldDef.string("imf.keywords", "Keywords");
    static final FieldDef RETURN_PATH = FieldDef.string("imf.return_path", "Return-Path");
    static final FieldDef RECEIVED = FieldDef.string("imf.received", "Received");
    static final FieldDef CONTENT_TRANSFER_ENCODING = FieldDef.string("imf.content.transfer_encoding", "Content-Transfer-Encoding");
    static final FieldDef MIME_VERSION = FieldDef.string("imf.mime_version", "MIME-Version");
    static final FieldDef DELIVERED_TO = FieldDef.string("imf.delivered_to", "Delivered-To");
    static final FieldDef MAILER = FieldDef.string("imf.ext.mailer", "X-Mailer");
    static final FieldDef EXTENSION = FieldDef.string("imf.extension", "Unknown-Extension");
    static final FieldDef EXTENSION_TYPE = FieldDef.string("imf.extension.type", "Type");
    static final FieldDef EXTENSION_VALUE = FieldDef.string("imf.extension.value", "Value");
    static final FieldDef DISPLAY_NAME = FieldDef.string("imf.display_name", "Display-Name");
    static final FieldDef ADDRESS = FieldDef.string("imf.address", "Address");
    static final FieldDef ADDRESS_LIST_ITEM = FieldDef.string("imf.address_list.item", "Item");
    static final FieldDef MAILBOX_LIST_ITEM = FieldDef.string("imf.mailbox_list.item", "Item");
    static final FieldDef MESSAGE_TEXT = FieldDef.none("imf.message_text", "Message-Text");

    static final List<FieldDef> FIELDS = List.of(IMF, DATE, FROM, SENDER, REPLY_TO, TO, CC, BCC, MESSAGE_ID, IN_REPLY_TO, REFERENCES,
            SUBJECT, COMMENTS, USER_AGENT, KEYWORDS, RETURN_PATH, RECEIVED, CONTENT_TRANSFER_ENCODING, MIME_VERSION, DELIVERED_TO,
            MAILER, EXTENSION, EXTENSION_TYPE, EXTENSION_VALUE, DISPLAY_NAME, ADDRESS, ADDRESS_LIST_ITEM, MAILBOX_LIST_ITEM,
            MESSAGE_TEXT);

    /** How a header field's value is read further: not at all, as a list of mailboxes, or as a list of addresses. */
    private enum Items { NONE, MAILBOXES, ADDRESSES }

    private ImfDissector() {
    }

    /** The message in {@code [offset, offset + length)} of the current data source (the reassembled DATA). */
    static void dissect(DissectionContext ctx, int offset, int length) {
        byte[] data = ctx.data;
        int end = offset + length;
        ctx.setProtocol("SMTP/IMF");
        StringBuilder info = ctx.setInfo();
        FieldNode imf = ctx.add(ctx.root, IMF, offset, length);
        int at = offset;
        // Section 2.1: header fields, an empty line, the body.
        while (at < end) {
            int lineEnd = HttpDissector.lineEnd(data, at, end);
            if (lineEnd == at) {
                at += 2;
                break;
            }
            int colon = HttpDissector.indexOf(data, at, lineEnd < 0 ? end : lineEnd, (byte) ':');
            if (colon < 0) {
                break;
            }
            int fieldEnd = fieldEnd(data, at, end);
            int valueStart = colon + 1;
            while (valueStart < fieldEnd && (data[valueStart] == ' ' || data[valueStart] == '\t')) {
                valueStart++;
            }
            // The value without the CRLF that ends the field (section 2.2).
            int valueEnd = Math.max(valueStart, fieldEnd >= 2 && data[fieldEnd - 1] == '\n' && data[fieldEnd - 2] == '\r' ? fieldEnd - 2 : fieldEnd);
            String name = latin1(data, at, colon);
            String value = WiresharkText.format(latin1(data, valueStart, valueEnd));
            String lowerName = name.toLowerCase(Locale.ROOT);
            FieldDef def = fieldNamed(lowerName);
            if (def == null) {
                FieldNode extension = ctx.addString(imf, EXTENSION, at, valueEnd - at, WiresharkText.format(latin1(data, at, valueEnd)));
                if (extension != null) {
                    extension.text(node -> "Unknown-Extension: " + node.fieldValue() + " (Contact Wireshark developers if you want this supported.)");
                }
                ctx.addString(extension, EXTENSION_TYPE, at, colon - at, WiresharkText.format(name));
                ctx.addString(extension, EXTENSION_VALUE, valueStart, valueEnd - valueStart, value);
            } else {
                FieldNode field = ctx.addString(imf, def, valueStart, valueEnd - valueStart, value);
                if (def == FROM || def == SUBJECT) {
                    info.append(lowerName).append(": ").append(value).append(", ");
                }
                Items items = items(def);
                if (items != Items.NONE && field != null) {
                    int count = addressItems(ctx, field, items == Items.MAILBOXES ? MAILBOX_LIST_ITEM : ADDRESS_LIST_ITEM, valueStart, fieldEnd);
                    field.text(node -> node.def().label() + ": " + node.fieldValue() + ", " + count + " item" + (count == 1 ? "" : "s"));
                }
            }
            at = fieldEnd;
        }
        at = Math.min(at, end);
        FieldNode text = ctx.add(imf, MESSAGE_TEXT, at, end - at);
        while (at < end) {
            int newline = HttpDissector.indexOf(data, at, end, (byte) '\n');
            int lineEnd = newline < 0 ? end : newline + 1;
            // Wireshark's format_text_wsp: the line end and tabs become spaces.
            String line = WiresharkText.format(latin1(data, at, lineEnd).replace('\r', ' ').replace('\n', ' ').replace('\t', ' '));
            ctx.addText(text, at, lineEnd - at, line);
            if (info.length() > 0) {
                info.append(", ");
            }
            info.append(line);
            at = lineEnd;
        }
    }

    /** Section 2.2.3: a field goes on over lines that start with a space or tab; returns the offset past its last CRLF. */
    private static int fieldEnd(byte[] data, int at, int end) {
        while (at < end) {
            int lineEnd = HttpDissector.lineEnd(data, at, end);
            if (lineEnd < 0) {
                return end;
            }
            at = lineEnd + 2;
            if (at >= end || (data[at] != ' ' && data[at] != '\t')) {
                return at;
            }
        }
        return end;
    }

    /** The comma-separated items of an address field (section 3.4), each with its display name and address; returns how many. */
    private static int addressItems(DissectionContext ctx, FieldNode field, FieldDef itemDef, int start, int end) {
        byte[] data = ctx.data;
        int count = 0;
        int at = start;
        do {
            int comma = HttpDissector.indexOf(data, at, end, (byte) ',');
            int itemEnd = comma < 0 ? end : comma;
            FieldNode item = ctx.addString(field, itemDef, at, itemEnd - at, WiresharkText.format(latin1(data, at, itemEnd)));
            mailbox(ctx, item, at, itemEnd);
            count++;
            at = itemEnd + 1;
        } while (at < end);
        return count;
    }

    /** Section 3.4: "Name <address>", or the address alone. */
    private static void mailbox(DissectionContext ctx, FieldNode item, int start, int end) {
        byte[] data = ctx.data;
        int open = HttpDissector.indexOf(data, start, end, (byte) '<');
        if (open < 0) {
            ctx.addString(item, ADDRESS, start, end - start, WiresharkText.format(latin1(data, start, end)));
            return;
        }
        int nameStart = start;
        while (nameStart < open && Character.isWhitespace(data[nameStart])) {
            nameStart++;
        }
        if (nameStart < open) {
            int nameEnd = Math.max(nameStart, open - 1);
            ctx.addString(item, DISPLAY_NAME, nameStart, nameEnd - nameStart, WiresharkText.format(latin1(data, nameStart, nameEnd)));
        }
        int close = HttpDissector.indexOf(data, open + 1, end, (byte) '>');
        if (close >= 0) {
            ctx.addString(item, ADDRESS, open + 1, close - open - 1, WiresharkText.format(latin1(data, open + 1, close)));
        }
    }

    private static Items items(FieldDef def) {
        if (def == FROM || def == SENDER) {
            return Items.MAILBOXES;
        }
        if (def == TO || def == CC || def == BCC || def == REPLY_TO) {
            return Items.ADDRESSES;
        }
        return Items.NONE;
    }

    private static FieldDef fieldNamed(String lowerName) {
        return switch (lowerName) {
            case "date" -> DATE;
            case "from" -> FROM;
            case "sender" -> SENDER;
            case "reply-to" -> REPLY_TO;
            case "to" -> TO;
            case "cc" -> CC;
            case "bcc" -> BCC;
            case "message-id" -> MESSAGE_ID;
            case "in-reply-to" -> IN_REPLY_TO;
            case "references" -> REFERENCES;
            case "subject" -> SUBJECT;
            case "comments" -> COMMENTS;
            case "user-agent" -> USER_AGENT;
            case "keywords" -> KEYWORDS;
            case "return-path" -> RETURN_PATH;
            case "received" -> RECEIVED;
            case "content-transfer-encoding" -> CONTENT_TRANSFER_ENCODING;
            case "mime-version" -> MIME_VERSION;
            case "delivered-to" -> DELIVERED_TO;
            case "x-mailer" -> MAILER;
            default -> null;
        };
    }

    private static String latin1(byte[] data, int from, int to) {
        return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
