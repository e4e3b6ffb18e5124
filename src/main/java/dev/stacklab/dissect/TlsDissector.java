package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;

import java.util.List;

/**
 * TLS (RFC 5246, RFC 8446) as tshark 4.0 shows it without keys: the record layer, each record reassembled across
 * TCP segments, the handshake messages by name (ClientHello's server name and ALPN protocols, ServerHello's version
 * and cipher suite), Change Cipher Spec, and application data, alerts and handshake messages after it as encrypted.
 * The Protocol column is the connection's version once ServerHello named it ("TLSv1.3" from its supported_versions
 * extension), the record's version before.
 */
final class TlsDissector implements TcpPduReassembly.PduDissector {
    static final TlsDissector INSTANCE = new TlsDissector();
    /** tshark 4.0's TLS ports among its defaults: HTTPS, SMTPS, LDAPS, DNS over TLS, FTPS, IMAPS, POP3S, SIPS. */
    private static final int[] PORTS = {443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 5061};

    static final int CHANGE_CIPHER_SPEC = 20;
    static final int ALERT = 21;
    static final int HANDSHAKE = 22;
    static final int APPLICATION_DATA = 23;
    static final int HEARTBEAT = 24;
    private static final int RECORD_HEADER_LENGTH = 5;
    /** RFC 8446 section 5.1: a record's fragment is at most 2^14 bytes, plus 2048 of expansion once protected. */
    private static final int MAX_RECORD_LENGTH = (1 << 14) + 2048;
    private static final int EXTENSION_SERVER_NAME = 0;
    private static final int EXTENSION_ALPN = 16;
    private static final int EXTENSION_SUPPORTED_VERSIONS = 43;

    static final FieldDef TLS = FieldDef.protocol("tls", "Transport Layer Security");
    static final FieldDef RECORD = FieldDef.none("tls.record", "Record Layer");
    static final FieldDef CONTENT_TYPE = FieldDef.uint("tls.record.content_type", "Content Type", TlsDissector::contentTypeName);
    /** RFC 8446 section 5.2: a TLS 1.3 record's outer type, which hides the real one. */
    static final FieldDef OPAQUE_TYPE = FieldDef.uint("tls.record.opaque_type", "Opaque Type", TlsDissector::contentTypeName);
    static final FieldDef RECORD_VERSION = FieldDef.hex("tls.record.version", "Version", 4, TlsDissector::versionName);
    static final FieldDef RECORD_LENGTH = FieldDef.uint("tls.record.length", "Length");
    static final FieldDef HANDSHAKE_PROTOCOL = FieldDef.none("tls.handshake", "Handshake Protocol");
    static final FieldDef HANDSHAKE_TYPE = FieldDef.uint("tls.handshake.type", "Handshake Type", TlsDissector::handshakeName);
    static final FieldDef HANDSHAKE_LENGTH = FieldDef.uint("tls.handshake.length", "Length");
    static final FieldDef HANDSHAKE_VERSION = FieldDef.hex("tls.handshake.version", "Version", 4, TlsDissector::versionName);
    static final FieldDef SERVER_NAME = FieldDef.string("tls.handshake.extensions_server_name", "Server Name");
    static final FieldDef ALPN_PROTOCOL = FieldDef.string("tls.handshake.extensions_alpn_str", "ALPN Next Protocol");
    static final FieldDef SUPPORTED_VERSION = FieldDef.hex("tls.handshake.extensions.supported_version", "Supported Version", 4,
            TlsDissector::versionName);
    static final FieldDef CHANGE_CIPHER_SPEC_MESSAGE = FieldDef.none("tls.change_cipher_spec", "Change Cipher Spec Message");
    static final FieldDef APPLICATION_DATA_BYTES = FieldDef.bytes("tls.app_data", "Encrypted Application Data");

    static final List<FieldDef> FIELDS = List.of(TLS, RECORD, CONTENT_TYPE, OPAQUE_TYPE, RECORD_VERSION, RECORD_LENGTH, HANDSHAKE_PROTOCOL, HANDSHAKE_TYPE,
            HANDSHAKE_LENGTH, HANDSHAKE_VERSION, SERVER_NAME, ALPN_PROTOCOL, SUPPORTED_VERSION, CHANGE_CIPHER_SPEC_MESSAGE,
            APPLICATION_DATA_BYTES);

    /** What one connection has shown of its handshake. */
    static final class Session {
        /** The version ServerHello chose, 0 until then. */
        int version;
        /** Each side has sent Change Cipher Spec: what it sends after is protected. */
        boolean clientChangedCipher;
        boolean serverChangedCipher;
    }

    private TlsDissector() {
    }

    static boolean claims(int port) {
        for (int known : PORTS) {
            if (known == port) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void dissect(DissectionContext ctx, FieldNode parent, int offset, int length, TcpConversations.Conversation tcp,
                        boolean fromClient) {
        Session session = tcp.applicationState(Session.class, Session::new);
        byte[] data = ctx.data;
        int end = offset + length;
        StringBuilder info = ctx.setInfo();
        FieldNode tls = null;
        int at = offset;
        while (at < end) {
            if (end - at < RECORD_HEADER_LENGTH) {
                ctx.desegmentOffset = at - offset;
                ctx.desegmentLength = TcpPduReassembly.ONE_MORE_SEGMENT;
                return;
            }
            int contentType = BigEndian.u8(data, at);
            int version = BigEndian.u16(data, at + 1);
            int recordLength = BigEndian.u16(data, at + 3);
            if (contentType < CHANGE_CIPHER_SPEC || contentType > HEARTBEAT || (version >> 8) != 3 || recordLength > MAX_RECORD_LENGTH) {
                // Not a record header: what tshark calls continuation data.
                ctx.setProtocol(shortVersion(session.version != 0 ? session.version : version));
                appendName(info, "Continuation Data");
                if (tls == null) {
                    tls = ctx.add(parent, TLS, at, end - at);
                }
                DataDissector.dissect(ctx, tls, at, end - at);
                return;
            }
            if (end - at < RECORD_HEADER_LENGTH + recordLength) {
                if (tls == null) {
                    // tshark counts TLS among the frame's protocols even when it only asks for more.
                    FieldNode waiting = ctx.add(parent, TLS, at, end - at);
                    if (waiting != null) {
                        waiting.hidden();
                    }
                }
                ctx.desegmentOffset = at - offset;
                ctx.desegmentLength = RECORD_HEADER_LENGTH + recordLength - (end - at);
                return;
            }
            if (tls == null) {
                tls = ctx.add(parent, TLS, at, end - at);
            }
            ctx.setProtocol(shortVersion(session.version != 0 ? session.version : version));
            dissectRecord(ctx, tls, info, session, fromClient, at, contentType, version, recordLength);
            // The version ServerHello chose names the records from here on, the rest of this frame's included.
            ctx.setProtocol(shortVersion(session.version != 0 ? session.version : version));
            at += RECORD_HEADER_LENGTH + recordLength;
        }
    }

    private static void dissectRecord(DissectionContext ctx, FieldNode tls, StringBuilder info, Session session, boolean fromClient,
                                      int at, int contentType, int version, int recordLength) {
        int body = at + RECORD_HEADER_LENGTH;
        boolean protectedBySender = fromClient ? session.clientChangedCipher : session.serverChangedCipher;
        String shownVersion = shortVersion(session.version != 0 ? session.version : version);
        FieldNode record = ctx.add(tls, RECORD, at, RECORD_HEADER_LENGTH + recordLength);
        boolean opaque = session.version == 0x0304 && contentType == APPLICATION_DATA;
        ctx.add(record, opaque ? OPAQUE_TYPE : CONTENT_TYPE, at, 1, contentType);
        ctx.add(record, RECORD_VERSION, at + 1, 2, version);
        ctx.add(record, RECORD_LENGTH, at + 3, 2, recordLength);
        String what;
        switch (contentType) {
            case CHANGE_CIPHER_SPEC -> {
                what = "Change Cipher Spec Protocol: Change Cipher Spec";
                appendName(info, "Change Cipher Spec");
                if (fromClient) {
                    session.clientChangedCipher = true;
                } else {
                    session.serverChangedCipher = true;
                }
            }
            case ALERT -> {
                boolean encrypted = protectedBySender || recordLength != 2;
                what = encrypted ? "Encrypted Alert" : "Alert";
                appendName(info, encrypted ? "Encrypted Alert" : "Alert");
            }
            case HANDSHAKE -> {
                if (protectedBySender) {
                    what = "Handshake Protocol: Encrypted Handshake Message";
                    appendName(info, "Encrypted Handshake Message");
                } else {
                    what = "Handshake Protocol: " + dissectHandshakes(ctx, record, info, session, body, recordLength);
                }
            }
            case APPLICATION_DATA -> {
                what = "Application Data Protocol: Application Data";
                appendName(info, "Application Data");
            }
            default -> {
                what = "Heartbeat";
                appendName(info, "Heartbeat");
            }
        }
        if (record == null) {
            return;
        }
        record.text(shownVersion + " Record Layer: " + what);
        if (contentType == APPLICATION_DATA) {
            ctx.addBytes(record, APPLICATION_DATA_BYTES, body, recordLength);
        } else if (contentType == CHANGE_CIPHER_SPEC) {
            ctx.add(record, CHANGE_CIPHER_SPEC_MESSAGE, body, recordLength);
        }
    }

    /** The handshake messages of one record; returns how the record line names them. */
    private static String dissectHandshakes(DissectionContext ctx, FieldNode record, StringBuilder info, Session session, int at,
                                            int length) {
        byte[] data = ctx.data;
        int end = at + length;
        int messages = 0;
        String firstName = null;
        while (end - at >= 4) {
            int type = BigEndian.u8(data, at);
            int messageLength = (BigEndian.u8(data, at + 1) << 16) | BigEndian.u16(data, at + 2);
            String name = handshakeName(type);
            String shown = name == null ? "Encrypted Handshake Message" : name;
            appendName(info, shown);
            messages++;
            if (firstName == null) {
                firstName = shown;
            }
            if (name == null) {
                break;
            }
            int bodyLength = Math.min(messageLength, end - at - 4);
            FieldNode handshake = ctx.add(record, HANDSHAKE_PROTOCOL, at, 4 + bodyLength);
            if (handshake != null) {
                handshake.text("Handshake Protocol: " + name);
            }
            ctx.add(handshake, HANDSHAKE_TYPE, at, 1, type);
            ctx.add(handshake, HANDSHAKE_LENGTH, at + 1, 3, messageLength);
            if (type == 1 || type == 2) {
                dissectHello(ctx, handshake, session, at + 4, bodyLength, type == 2);
            }
            if (messageLength > end - at - 4) {
                break;
            }
            at += 4 + messageLength;
        }
        if (messages == 0) {
            appendName(info, "Encrypted Handshake Message");
            return "Encrypted Handshake Message";
        }
        return messages == 1 ? firstName : "Multiple Handshake Messages";
    }

    /** ClientHello or ServerHello (RFC 8446 section 4.1.2, 4.1.3): version, then the extensions stacklab reads. */
    private static void dissectHello(DissectionContext ctx, FieldNode handshake, Session session, int at, int length, boolean server) {
        byte[] data = ctx.data;
        int end = at + length;
        if (length < 2 + 32 + 1) {
            return;
        }
        int version = BigEndian.u16(data, at);
        ctx.add(handshake, HANDSHAKE_VERSION, at, 2, version);
        int cursor = at + 2 + 32;
        int sessionIdLength = BigEndian.u8(data, cursor);
        cursor += 1 + sessionIdLength;
        if (server) {
            cursor += 2 + 1; // cipher suite, compression method
            if (cursor <= end) {
                session.version = version;
            }
        } else {
            if (cursor + 2 > end) {
                return;
            }
            cursor += 2 + BigEndian.u16(data, cursor);
            if (cursor + 1 > end) {
                return;
            }
            cursor += 1 + BigEndian.u8(data, cursor);
        }
        if (cursor + 2 > end) {
            return;
        }
        int extensionsEnd = Math.min(end, cursor + 2 + BigEndian.u16(data, cursor));
        cursor += 2;
        while (cursor + 4 <= extensionsEnd) {
            int type = BigEndian.u16(data, cursor);
            int extensionLength = BigEndian.u16(data, cursor + 2);
            int body = cursor + 4;
            int bodyEnd = Math.min(extensionsEnd, body + extensionLength);
            switch (type) {
                case EXTENSION_SERVER_NAME -> {
                    // server_name_list: type (1), length (2), name; after the list's own length (2).
                    int name = body + 2;
                    while (name + 3 <= bodyEnd) {
                        int nameLength = BigEndian.u16(data, name + 1);
                        if (name + 3 + nameLength > bodyEnd) {
                            break;
                        }
                        if (BigEndian.u8(data, name) == 0) {
                            ctx.addString(handshake, SERVER_NAME, name + 3, nameLength, HttpDissector.latin1(data, name + 3, name + 3 + nameLength));
                        }
                        name += 3 + nameLength;
                    }
                }
                case EXTENSION_ALPN -> {
                    int protocol = body + 2;
                    while (protocol + 1 <= bodyEnd) {
                        int protocolLength = BigEndian.u8(data, protocol);
                        if (protocol + 1 + protocolLength > bodyEnd) {
                            break;
                        }
                        ctx.addString(handshake, ALPN_PROTOCOL, protocol + 1, protocolLength,
                                HttpDissector.latin1(data, protocol + 1, protocol + 1 + protocolLength));
                        protocol += 1 + protocolLength;
                    }
                }
                case EXTENSION_SUPPORTED_VERSIONS -> {
                    if (server && extensionLength == 2 && body + 2 <= bodyEnd) {
                        int chosen = BigEndian.u16(data, body);
                        ctx.add(handshake, SUPPORTED_VERSION, body, 2, chosen);
                        session.version = chosen;
                    } else if (!server && body + 1 <= bodyEnd) {
                        int listEnd = Math.min(bodyEnd, body + 1 + BigEndian.u8(data, body));
                        for (int v = body + 1; v + 2 <= listEnd; v += 2) {
                            ctx.add(handshake, SUPPORTED_VERSION, v, 2, BigEndian.u16(data, v));
                        }
                    }
                }
                default -> {
                }
            }
            cursor = body + extensionLength;
        }
    }

    private static void appendName(StringBuilder info, String name) {
        if (info.length() > 0) {
            info.append(", ");
        }
        info.append(name);
    }

    /** The Protocol column's name for a version: "TLSv1.2". */
    static String shortVersion(int version) {
        return switch (version) {
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1";
            case 0x0302 -> "TLSv1.1";
            case 0x0303 -> "TLSv1.2";
            case 0x0304 -> "TLSv1.3";
            default -> "TLS";
        };
    }

    static String versionName(long version) {
        return switch ((int) version) {
            case 0x0300 -> "SSL 3.0";
            case 0x0301 -> "TLS 1.0";
            case 0x0302 -> "TLS 1.1";
            case 0x0303 -> "TLS 1.2";
            case 0x0304 -> "TLS 1.3";
            default -> null;
        };
    }

    static String contentTypeName(long type) {
        return switch ((int) type) {
            case CHANGE_CIPHER_SPEC -> "Change Cipher Spec";
            case ALERT -> "Alert";
            case HANDSHAKE -> "Handshake";
            case APPLICATION_DATA -> "Application Data";
            case HEARTBEAT -> "Heartbeat";
            default -> null;
        };
    }

    /** RFC 8446 section 4 and RFC 5246 section 7.4 handshake types, as Wireshark names them; null for unknown. */
    static String handshakeName(long type) {
        return switch ((int) type) {
            case 0 -> "Hello Request";
            case 1 -> "Client Hello";
            case 2 -> "Server Hello";
            case 4 -> "New Session Ticket";
            case 5 -> "End of Early Data";
            case 8 -> "Encrypted Extensions";
            case 11 -> "Certificate";
            case 12 -> "Server Key Exchange";
            case 13 -> "Certificate Request";
            case 14 -> "Server Hello Done";
            case 15 -> "Certificate Verify";
            case 16 -> "Client Key Exchange";
            case 20 -> "Finished";
            case 24 -> "Key Update";
            default -> null;
        };
    }
}
