package dev.stacklab.dissect;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Ipv6Address;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * DHCPv6 (RFC 8415) on UDP ports 546 and 547 as tshark 4.0 shows it: the message type and transaction ID, or for a
 * relay (Relay-forw, Relay-reply, section 9) the hop count, link and peer addresses, then the options, each a subtree
 * named after the option with its code and length: client and server identifiers with their DUID (LLT, EN, LL, UUID;
 * section 11), IA_NA, IA_TA and IA_PD with their IA Address and IA Prefix options inside (RFC 8415 21.4-21.6, 21.21,
 * 21.22), Option Request, Preference, Elapsed time, Status code, Rapid Commit, Reconfigure Message, Interface-Id, DNS
 * recursive name servers and the domain search list (RFC 3646), and the relayed message itself, dissected again
 * inside its Relay Message option. Other options show their code and length only, as in tshark, with their bytes as
 * the hidden field dhcpv6.option.value. Info:
 * "Solicit XID: 0x47473a CID: 0001000132a3cdd2020056000001 IAA: fd00:56::162 ", each piece followed by a space.
 *
 * <p>An option too short for what it must hold is an expert note under it ("IA_NA: malformed option"); one running past
 * the end of its message ends the option list with a note (tshark stops there without one).
 */
final class Dhcpv6Dissector {
    static final int CLIENT_PORT = 546;
    static final int SERVER_PORT = 547;
    // RFC 8415 section 7.3 and 7.4: message types; section 21: option codes.
    private static final int RELAY_FORW = 12;
    private static final int RELAY_REPL = 13;
    private static final int OPTION_CLIENTID = 1;
    private static final int OPTION_SERVERID = 2;
    private static final int OPTION_IA_NA = 3;
    private static final int OPTION_IA_TA = 4;
    private static final int OPTION_IAADDR = 5;
    private static final int OPTION_ORO = 6;
    private static final int OPTION_PREFERENCE = 7;
    private static final int OPTION_ELAPSED_TIME = 8;
    private static final int OPTION_RELAY_MSG = 9;
    private static final int OPTION_STATUS_CODE = 13;
    private static final int OPTION_INTERFACE_ID = 18;
    private static final int OPTION_RECONF_MSG = 19;
    private static final int OPTION_DNS_SERVERS = 23;
    private static final int OPTION_DOMAIN_LIST = 24;
    private static final int OPTION_IA_PD = 25;
    private static final int OPTION_IAPREFIX = 26;
    private static final int OPTION_ERO = 43;
    private static final int OPTION_RELAY_ID = 53;
    // Section 11: DUID types.
    private static final int DUID_LLT = 1;
    private static final int DUID_EN = 2;
    private static final int DUID_LL = 3;
    private static final int DUID_UUID = 4;
    private static final long INFINITY = 0xFFFF_FFFFL;
    /** Section 7.6: HOP_COUNT_LIMIT. */
    private static final int HOP_COUNT_LIMIT = 32;
    /** Section 11.2: DUID-LLT time counts seconds from midnight UTC, 1 January 2000. */
    private static final long DUID_EPOCH = 946_684_800L;
    private static final DateTimeFormatter DUID_TIME = DateTimeFormatter.ofPattern("MMM ppd, yyyy HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    static final FieldDef DHCPV6 = FieldDef.protocol("dhcpv6", "DHCPv6");
    /**
     * A relayed message inside a Relay Message option: the same name, but not a layer of its own (Wireshark dissects it
     * by a call within the option, so frame.protocols names dhcpv6 once).
     */
    private static final FieldDef RELAYED = FieldDef.none("dhcpv6", "DHCPv6");
    static final FieldDef MESSAGE_TYPE = FieldDef.uint("dhcpv6.msgtype", "Message type", Dhcpv6Dissector::unknownIfNull);
    static final FieldDef HOP_COUNT = FieldDef.uint("dhcpv6.hopcount", "Hopcount");
    static final FieldDef TRANSACTION_ID = FieldDef.hex("dhcpv6.xid", "Transaction ID", 6);
    static final FieldDef LINK_ADDRESS = FieldDef.ipv6("dhcpv6.linkaddr", "Link address");
    static final FieldDef PEER_ADDRESS = FieldDef.ipv6("dhcpv6.peeraddr", "Peer address");
    static final FieldDef OPTION = FieldDef.string("dhcpv6.option.type_str", "Option");
    static final FieldDef OPTION_TYPE = FieldDef.uint("dhcpv6.option.type", "Option", code -> {
        String name = optionName((int) code);
        return name != null ? name : "Unknown";
    });
    static final FieldDef OPTION_LENGTH = FieldDef.uint("dhcpv6.option.length", "Length");
    /** The bytes of an option not decoded here: stacklab's own field (tshark 4.0 has none), hidden as in tshark's tree. */
    static final FieldDef OPTION_VALUE = FieldDef.bytes("dhcpv6.option.value", "Value");
    static final FieldDef DUID = FieldDef.bytes("dhcpv6.duid.bytes", "DUID");
    static final FieldDef DUID_TYPE = FieldDef.uint("dhcpv6.duid.type", "DUID Type", Dhcpv6Dissector::duidTypeName);
    static final FieldDef DUID_LLT_HARDWARE_TYPE = FieldDef.uint("dhcpv6.duidllt.hwtype", "Hardware type", ArpDissector::hardwareTypeName);
    static final FieldDef DUID_LLT_TIME = FieldDef.string("dhcpv6.duidllt.time", "DUID Time");
    static final FieldDef DUID_LLT_ADDRESS = FieldDef.string("dhcpv6.duidllt.link_layer_addr", "Link-layer address");
    static final FieldDef DUID_EN_ENTERPRISE = FieldDef.uint("dhcpv6.duiden.enterprise", "Enterprise ID", Dhcpv6Dissector::enterpriseName);
    static final FieldDef DUID_EN_IDENTIFIER = FieldDef.bytes("dhcpv6.duiden.identifier", "Identifier");
    static final FieldDef DUID_LL_HARDWARE_TYPE = FieldDef.uint("dhcpv6.duidll.hwtype", "Hardware type", ArpDissector::hardwareTypeName);
    static final FieldDef DUID_LL_ADDRESS = FieldDef.string("dhcpv6.duidll.link_layer_addr", "Link-layer address");
    static final FieldDef DUID_UUID_FIELD = FieldDef.bytes("dhcpv6.duiduuid.bytes", "UUID");
    static final FieldDef IAID = FieldDef.string("dhcpv6.iaid", "IAID");
    static final FieldDef IATA = FieldDef.string("dhcpv6.iata", "IATA");
    static final FieldDef T1 = FieldDef.uint("dhcpv6.iaid.t1", "T1");
    static final FieldDef T2 = FieldDef.uint("dhcpv6.iaid.t2", "T2");
    static final FieldDef IA_ADDRESS = FieldDef.ipv6("dhcpv6.iaaddr.ip", "IPv6 address");
    static final FieldDef IA_ADDRESS_PREFERRED = FieldDef.uint("dhcpv6.iaaddr.pref_lifetime", "Preferred lifetime");
    static final FieldDef IA_ADDRESS_VALID = FieldDef.uint("dhcpv6.iaaddr.valid_lifetime", "Valid lifetime");
    static final FieldDef IA_PREFIX_PREFERRED = FieldDef.uint("dhcpv6.iaprefix.pref_lifetime", "Preferred lifetime");
    static final FieldDef IA_PREFIX_VALID = FieldDef.uint("dhcpv6.iaprefix.valid_lifetime", "Valid lifetime");
    static final FieldDef IA_PREFIX_LENGTH = FieldDef.uint("dhcpv6.iaprefix.pref_len", "Prefix length");
    static final FieldDef IA_PREFIX_ADDRESS = FieldDef.ipv6("dhcpv6.iaprefix.pref_addr", "Prefix address");
    static final FieldDef REQUESTED_OPTION = FieldDef.uint("dhcpv6.requested_option_code", "Requested Option code", code -> {
        String name = optionName((int) code);
        return name != null ? name : "Unknown";
    });
    static final FieldDef PREFERENCE = FieldDef.uint("dhcpv6.option_preference", "Pref-value");
    static final FieldDef ELAPSED_TIME = FieldDef.uint("dhcpv6.elapsed_time", "Elapsed time");
    static final FieldDef STATUS_CODE = FieldDef.uint("dhcpv6.status_code", "Status Code", Dhcpv6Dissector::statusCodeName);
    static final FieldDef STATUS_MESSAGE = FieldDef.string("dhcpv6.status_msg", "Status Message");
    static final FieldDef INTERFACE_ID = FieldDef.bytes("dhcpv6.interface_id", "Interface-ID");
    static final FieldDef RECONFIGURE_MESSAGE = FieldDef.uint("dhcpv6.reconf_msg", "Reconfigure message type", Dhcpv6Dissector::unknownIfNull);
    static final FieldDef DNS_SERVER = FieldDef.ipv6("dhcpv6.dns_server", "DNS server address");
    static final FieldDef SEARCH_LIST_ENTRY = FieldDef.string("dhcpv6.search_list_entry", "List entry");
    static final FieldDef TOP_LEVEL_DOMAIN = FieldDef.string("dhcpv6.tld", "Top Level Domain name");
    static final FieldDef ROOT_ONLY_NAME = FieldDef.string("dhcpv6.root_only_domain_name", "Root only domain name");
    static final FieldDef PARTIAL_AFTER_FQDN = FieldDef.string("dhcpv6.partial_name_preceded_by_fqdn", "Partial name preceded by FQDN");
    static final FieldDef BOGUS_LABEL_LENGTH = FieldDef.uint("dhcpv6.bogus_label_length", "Non-DNS encoded name. Label length exceeds 63");
    static final FieldDef DOMAIN_FIELD_EXCEEDED = FieldDef.uint("dhcpv6.domain_field_len_exceeded",
            "Remaining length in the domain name field exceeded");
    static final FieldDef FQDN_OVER_255 = FieldDef.uint("dhcpv6.encoded_fqdn_gt_255", "DNS-encoded labels of FQDN exceed 255 octets");
    static final FieldDef DECODED_PORTION = FieldDef.string("dhcpv6.decoded_portion", "Portion successfully decoded");
    static final FieldDef MALFORMED_OPTION = FieldDef.none("dhcpv6.malformed_option", "Malformed option");
    static final FieldDef HOP_COUNT_ERROR = FieldDef.none("dhcpv6.error_hopcount", "Detected error on hop-count");
    static final FieldDef NAME_NOT_DNS_ENCODED = FieldDef.none("dhcpv6.expert.name_not_dns_encoded", "ERROR: This name is not a DNS record encoded");
    static final FieldDef NAME_EXCEEDS_FIELD = FieldDef.none("dhcpv6.expert.domain_field_length_exceeded",
            "ERROR: FQDN exceeds length of the domain name field");
    static final FieldDef NAME_OVER_255 = FieldDef.none("dhcpv6.expert.encoded_fqdn_gt_255",
            "ERROR: FQDN's *encoded* length exceeds 255 octets [RFC 1035 3.1.]");
    static final FieldDef NAME_ROOT_ONLY = FieldDef.none("dhcpv6.expert.root_only_domain_name", "ERROR: A root-only domain name cannot be resolved.");
    static final FieldDef NAME_TLD = FieldDef.none("dhcpv6.expert.tld_lookup", "WARNING: TLDs are rarely resolvable ");
    static final FieldDef NAME_PARTIAL_AFTER_FQDN = FieldDef.none("dhcpv6.expert.partial_name_preceded_by_fqdn",
            "ERROR: Partial name is preceded by an FQDN");

    static final List<FieldDef> FIELDS = List.of(DHCPV6, MESSAGE_TYPE, HOP_COUNT, TRANSACTION_ID, LINK_ADDRESS, PEER_ADDRESS, OPTION,
            OPTION_TYPE, OPTION_LENGTH, OPTION_VALUE, DUID, DUID_TYPE, DUID_LLT_HARDWARE_TYPE, DUID_LLT_TIME, DUID_LLT_ADDRESS, DUID_EN_ENTERPRISE,
            DUID_EN_IDENTIFIER, DUID_LL_HARDWARE_TYPE, DUID_LL_ADDRESS, DUID_UUID_FIELD, IAID, IATA, T1, T2, IA_ADDRESS,
            IA_ADDRESS_PREFERRED, IA_ADDRESS_VALID, IA_PREFIX_PREFERRED, IA_PREFIX_VALID, IA_PREFIX_LENGTH, IA_PREFIX_ADDRESS,
            REQUESTED_OPTION, PREFERENCE, ELAPSED_TIME, STATUS_CODE, STATUS_MESSAGE, INTERFACE_ID, RECONFIGURE_MESSAGE, DNS_SERVER,
            SEARCH_LIST_ENTRY, TOP_LEVEL_DOMAIN, ROOT_ONLY_NAME, PARTIAL_AFTER_FQDN, BOGUS_LABEL_LENGTH, DOMAIN_FIELD_EXCEEDED,
            FQDN_OVER_255, DECODED_PORTION, MALFORMED_OPTION, HOP_COUNT_ERROR, NAME_NOT_DNS_ENCODED, NAME_EXCEEDS_FIELD,
            NAME_OVER_255, NAME_ROOT_ONLY, NAME_TLD, NAME_PARTIAL_AFTER_FQDN);

    /** What a relay message passes to the message it carries, to check hop counts as Wireshark does (section 19.1.1). */
    private record Hops(int hopCount, FieldNode hopCountNode, boolean relaySeen) {
        static final Hops NONE = new Hops(0, null, false);
    }

    private Dhcpv6Dissector() {
    }

    static boolean claims(int sourcePort, int destinationPort) {
        return sourcePort == CLIENT_PORT || destinationPort == CLIENT_PORT || sourcePort == SERVER_PORT || destinationPort == SERVER_PORT;
    }

    static void dissect(DissectionContext ctx, int offset, int length) {
        ctx.setProtocol("DHCPv6");
        ctx.setInfo();
        message(ctx, ctx.root, offset, offset + length, offset + length, Hops.NONE);
    }

    /**
     * One message in {@code [offset, end)}, its node under {@code parent}; {@code payloadEnd} is the end of the UDP
     * payload, which a field read past its option may still reach (as Wireshark reads from the whole datagram).
     */
    private static void message(DissectionContext ctx, FieldNode parent, int offset, int end, int payloadEnd, Hops hops) {
        byte[] data = ctx.data;
        int type = data[offset] & 0xFF;
        String typeName = messageTypeName(type);
        StringBuilder info = ctx.appendInfo();
        info.append(typeName != null ? typeName : "Message Type " + type).append(' ');
        FieldNode dhcpv6 = ctx.add(parent, hops.relaySeen() ? RELAYED : DHCPV6, offset, end - offset);
        ctx.add(dhcpv6, MESSAGE_TYPE, offset, 1, type);
        int at;
        if (type == RELAY_FORW || type == RELAY_REPL) {
            // Section 9: msg-type, hop-count, link-address, peer-address, then options.
            if (end - offset < 34) {
                if (end - offset >= 2) {
                    ctx.add(dhcpv6, HOP_COUNT, offset + 1, 1, data[offset + 1] & 0xFF);
                }
                if (end - offset >= 18) {
                    Ipv6Address link = Ipv6Address.read(data, offset + 2);
                    ctx.addIpv6(dhcpv6, LINK_ADDRESS, offset + 2, link);
                    ctx.appendInfo().append("L: ").append(link).append(' ');
                }
                ctx.malformed("DHCPv6: relay message of " + (end - offset) + " bytes is shorter than its 34-byte header", end);
                return;
            }
            int hopCount = data[offset + 1] & 0xFF;
            FieldNode hopCountNode = ctx.add(dhcpv6, HOP_COUNT, offset + 1, 1, hopCount);
            Ipv6Address link = Ipv6Address.read(data, offset + 2);
            ctx.addIpv6(dhcpv6, LINK_ADDRESS, offset + 2, link);
            ctx.addIpv6(dhcpv6, PEER_ADDRESS, offset + 18, Ipv6Address.read(data, offset + 18));
            if (hopCount > HOP_COUNT_LIMIT) {
                ctx.addExpert(hopCountNode, offset + 1, 1, "Warning/Protocol", "Hopcount (" + hopCount
                        + ") exceeds the maximum limit HOP_COUNT_LIMIT (" + HOP_COUNT_LIMIT + ")", HOP_COUNT_ERROR);
            }
            if (hops.relaySeen() && hopCount != hops.hopCount() - 1) {
                // Each relay adds one on its way to the server (section 19.1.1): the relay outside says one more.
                ctx.addExpert(hops.hopCountNode(), offset + 1, 1, "Warning/Protocol", "hopcount is not correctly incremented by 1 (expected : "
                        + (hopCount + 1) + ", actual : " + hops.hopCount() + ")", HOP_COUNT_ERROR);
            }
            hops = new Hops(hopCount, hopCountNode, true);
            ctx.appendInfo().append("L: ").append(link).append(' ');
            at = offset + 34;
        } else {
            if (hops.hopCount() != 0) {
                ctx.addExpert(hops.hopCountNode(), offset, 1, "Warning/Protocol", "Hopcount of most inner message has to equal 0 instead of "
                        + hops.hopCount(), HOP_COUNT_ERROR);
            }
            if (end - offset < 4) {
                ctx.malformed("DHCPv6: message of " + (end - offset) + " bytes is shorter than its type and transaction ID", end);
                return;
            }
            long transactionId = BigEndian.u24(data, offset + 1);
            ctx.add(dhcpv6, TRANSACTION_ID, offset + 1, 3, transactionId);
            String hex = Long.toHexString(transactionId);
            ctx.appendInfo().append("XID: 0x").append("0".repeat(6 - hex.length())).append(hex).append(' ');
            at = offset + 4;
        }
        options(ctx, dhcpv6, dhcpv6, at, end, payloadEnd, type, hops);
    }

    /** The options in {@code [at, end)} under {@code parent}; one running past {@code end} ends the list with a note under {@code noteParent}. */
    private static void options(DissectionContext ctx, FieldNode parent, FieldNode noteParent, int at, int end, int payloadEnd, int messageType,
                                Hops hops) {
        byte[] data = ctx.data;
        while (at < end) {
            if (end - at < 4 || end - at < 4 + BigEndian.u16(data, at + 2)) {
                String what = end - at < 4 ? "the option header" : "option " + BigEndian.u16(data, at) + " of " + BigEndian.u16(data, at + 2) + " bytes";
                ctx.addExpert(noteParent, at, end - at, "Error/Malformed", "DHCPv6: " + what + " runs past the end of its message ("
                        + (end - at) + " bytes left)", MALFORMED_OPTION);
                return;
            }
            at += option(ctx, parent, at, payloadEnd, messageType, hops);
        }
    }

    /** One option at {@code at} whose bytes all lie within its message; returns its length with its header. */
    private static int option(DissectionContext ctx, FieldNode parent, int at, int payloadEnd, int messageType, Hops hops) {
        byte[] data = ctx.data;
        int code = BigEndian.u16(data, at);
        int length = BigEndian.u16(data, at + 2);
        int value = at + 4;
        int end = value + length;
        String name = optionName(code);
        String shown = name != null ? name : "DHCP option " + code;
        FieldNode option = ctx.addString(parent, OPTION, at, 4 + length, shown);
        if (option != null) {
            option.text(shown);
        }
        ctx.add(option, OPTION_TYPE, at, 2, code);
        ctx.add(option, OPTION_LENGTH, at + 2, 2, length);
        switch (code) {
            case OPTION_CLIENTID, OPTION_SERVERID, OPTION_RELAY_ID -> {
                if (code == OPTION_CLIENTID) {
                    ctx.appendInfo().append("CID: ").append(new ByteSlice(data, value, length).toHex()).append(' ');
                }
                duid(ctx, option, value, length);
            }
            case OPTION_IA_NA, OPTION_IA_PD -> {
                if (length < 12) {
                    malformedOption(ctx, option, at, code == OPTION_IA_NA ? "IA_NA" : "IA_PD");
                    break;
                }
                ctx.addString(option, IAID, value, 4, new ByteSlice(data, value, 4).toHex());
                lifetime(ctx, option, T1, value + 4, null);
                lifetime(ctx, option, T2, value + 8, null);
                options(ctx, option, option, value + 12, end, payloadEnd, messageType, hops);
            }
            case OPTION_IA_TA -> {
                if (length < 4) {
                    malformedOption(ctx, option, at, "IA_TA");
                    break;
                }
                ctx.addString(option, IATA, value, 4, new ByteSlice(data, value, 4).toHex());
                options(ctx, option, option, value + 4, end, payloadEnd, messageType, hops);
            }
            case OPTION_IAADDR -> {
                if (length < 24) {
                    // Wireshark names IA_TA here, whichever IA holds the address.
                    malformedOption(ctx, option, at, "IA_TA");
                    break;
                }
                Ipv6Address address = Ipv6Address.read(data, value);
                ctx.addIpv6(option, IA_ADDRESS, value, address);
                ctx.appendInfo().append("IAA: ").append(address).append(' ');
                lifetime(ctx, option, IA_ADDRESS_PREFERRED, value + 16, null);
                // tshark 4.0 labels an infinite valid lifetime "Preferred lifetime: infinity".
                lifetime(ctx, option, IA_ADDRESS_VALID, value + 20, "Preferred lifetime: infinity");
                options(ctx, option, option, value + 24, end, payloadEnd, messageType, hops);
            }
            case OPTION_IAPREFIX -> {
                if (length < 25) {
                    malformedOption(ctx, option, at, "IAPREFIX");
                    break;
                }
                lifetime(ctx, option, IA_PREFIX_PREFERRED, value, null);
                lifetime(ctx, option, IA_PREFIX_VALID, value + 4, null);
                ctx.add(option, IA_PREFIX_LENGTH, value + 8, 1, data[value + 8] & 0xFF);
                ctx.addIpv6(option, IA_PREFIX_ADDRESS, value + 9, Ipv6Address.read(data, value + 9));
                options(ctx, option, option, value + 25, end, payloadEnd, messageType, hops);
            }
            case OPTION_ORO, OPTION_ERO -> {
                // An odd length leaves a last code of one byte and the next option's first: Wireshark reads it so (or fails at the end).
                for (int i = 0; i < length; i += 2) {
                    if (value + i + 2 > payloadEnd) {
                        ctx.malformed("DHCPv6: option request of odd length " + length + " at the end of the datagram", value + i);
                        break;
                    }
                    ctx.add(option, REQUESTED_OPTION, value + i, 2, BigEndian.u16(data, value + i));
                }
            }
            case OPTION_PREFERENCE -> {
                if (length != 1) {
                    malformedOption(ctx, option, at, "PREFERENCE");
                    break;
                }
                ctx.add(option, PREFERENCE, value, 1, data[value] & 0xFF);
            }
            case OPTION_ELAPSED_TIME -> {
                if (length != 2) {
                    malformedOption(ctx, option, at, "ELAPSED-TIME");
                    break;
                }
                // Section 21.9: hundredths of a second; Wireshark shows milliseconds.
                FieldNode elapsed = ctx.add(option, ELAPSED_TIME, value, 2, BigEndian.u16(data, value) * 10L);
                if (elapsed != null) {
                    elapsed.text(node -> "Elapsed time: " + node.value() + "ms");
                }
            }
            case OPTION_RELAY_MSG -> {
                if (length == 0) {
                    malformedOption(ctx, option, at, "RELAY-MSG");
                } else {
                    message(ctx, option, value, end, payloadEnd, hops);
                }
            }
            case OPTION_STATUS_CODE -> {
                // Wireshark reads the code whatever the length, past the option if need be, failing at the datagram's end.
                if (value + 2 > payloadEnd) {
                    ctx.malformed("DHCPv6: status code option of " + length + " bytes at the end of the datagram", value);
                    break;
                }
                ctx.add(option, STATUS_CODE, value, 2, BigEndian.u16(data, value));
                if (length > 2) {
                    ctx.addString(option, STATUS_MESSAGE, value + 2, length - 2, new String(data, value + 2, length - 2, StandardCharsets.US_ASCII));
                }
            }
            case OPTION_INTERFACE_ID -> {
                if (length == 0) {
                    malformedOption(ctx, option, at, "INTERFACE_ID");
                    break;
                }
                ctx.addBytes(option, INTERFACE_ID, value, length);
            }
            case OPTION_RECONF_MSG -> {
                if (length != 1) {
                    malformedOption(ctx, option, at, "RECONF_MSG");
                    break;
                }
                ctx.add(option, RECONFIGURE_MESSAGE, value, 1, data[value] & 0xFF);
            }
            case OPTION_DNS_SERVERS -> {
                if (length % 16 != 0) {
                    malformedOption(ctx, option, at, "DNS servers address");
                    break;
                }
                for (int i = 0; i < length; i += 16) {
                    FieldNode server = ctx.addIpv6(option, DNS_SERVER, value + i, Ipv6Address.read(data, value + i));
                    if (server != null) {
                        int number = i / 16 + 1;
                        server.text(node -> " " + number + " DNS server address: " + node.fieldValue());
                    }
                }
            }
            case OPTION_DOMAIN_LIST -> {
                if (length > 0) {
                    FieldNode list = ctx.addText(option, value, length, "Domain name suffix search list");
                    domainNames(ctx, list, SEARCH_LIST_ENTRY, value, length);
                }
            }
            default -> {
                // tshark shows an option it does not decode by its code and length; its bytes stay filterable, out of sight.
                if (length > 0) {
                    FieldNode raw = ctx.addBytes(option, OPTION_VALUE, value, length);
                    if (raw != null) {
                        raw.hidden();
                    }
                }
            }
        }
        return 4 + length;
    }

    /** Section 11: a DUID, its type and what that type holds. */
    private static void duid(DissectionContext ctx, FieldNode option, int value, int length) {
        byte[] data = ctx.data;
        if (length < 2) {
            malformedOption(ctx, option, value - 4, "DUID");
            return;
        }
        ctx.addBytes(option, DUID, value, length);
        int type = BigEndian.u16(data, value);
        ctx.add(option, DUID_TYPE, value, 2, type);
        switch (type) {
            case DUID_LLT -> {
                if (length < 8) {
                    malformedOption(ctx, option, value - 4, "DUID");
                    return;
                }
                int hardwareType = BigEndian.u16(data, value + 2);
                ctx.add(option, DUID_LLT_HARDWARE_TYPE, value + 2, 2, hardwareType);
                long seconds = BigEndian.u32(data, value + 4) + DUID_EPOCH;
                ctx.addString(option, DUID_LLT_TIME, value + 4, 4, DUID_TIME.format(Instant.ofEpochSecond(seconds)) + ".000000000 UTC");
                if (length > 8) {
                    ctx.addString(option, DUID_LLT_ADDRESS, value + 8, length - 8, hardwareAddress(data, value + 8, length - 8, hardwareType));
                }
            }
            case DUID_EN -> {
                if (length < 6) {
                    malformedOption(ctx, option, value - 4, "DUID");
                    return;
                }
                ctx.add(option, DUID_EN_ENTERPRISE, value + 2, 4, BigEndian.u32(data, value + 2));
                if (length > 6) {
                    ctx.addBytes(option, DUID_EN_IDENTIFIER, value + 6, length - 6);
                }
            }
            case DUID_LL -> {
                if (length < 4) {
                    malformedOption(ctx, option, value - 4, "DUID");
                    return;
                }
                int hardwareType = BigEndian.u16(data, value + 2);
                ctx.add(option, DUID_LL_HARDWARE_TYPE, value + 2, 2, hardwareType);
                if (length > 4) {
                    ctx.addString(option, DUID_LL_ADDRESS, value + 4, length - 4, hardwareAddress(data, value + 4, length - 4, hardwareType));
                }
            }
            case DUID_UUID -> {
                // RFC 6355: the type and a 16-byte UUID, nothing else.
                if (length != 18) {
                    malformedOption(ctx, option, value - 4, "DUID");
                    return;
                }
                ctx.addBytes(option, DUID_UUID_FIELD, value + 2, 16);
            }
            default -> {
            }
        }
    }

    /** Wireshark's tvb_arphrdaddr_to_str: six bytes of an Ethernet or IEEE 802 address as a MAC, anything else in hex. */
    private static String hardwareAddress(byte[] data, int offset, int length, int hardwareType) {
        if ((hardwareType == 1 || hardwareType == 6) && length == 6) {
            return new dev.stacklab.wire.MacAddress(BigEndian.u48(data, offset)).toString();
        }
        return new ByteSlice(data, offset, length).toHex();
    }

    /** A lifetime or T1/T2: 0xffffffff is infinity (section 7.7). */
    private static void lifetime(DissectionContext ctx, FieldNode option, FieldDef def, int offset, String infinityLine) {
        long seconds = BigEndian.u32(ctx.data, offset);
        FieldNode node = ctx.add(option, def, offset, 4, seconds);
        if (node != null && seconds == INFINITY) {
            node.text(infinityLine != null ? infinityLine : def.label() + ": infinity");
        }
    }

    private static void malformedOption(DissectionContext ctx, FieldNode option, int at, String what) {
        ctx.addExpert(option, at, 0, "Error/Malformed", what + ": malformed option", MALFORMED_OPTION);
    }

    /**
     * Domain names in DNS wire form without compression (RFC 8415 section 10, RFC 1035 3.1), one node of {@code def}
     * each, with Wireshark's notes: a single label (a TLD), the root alone, a partial name (not ending in the root
     * label, allowed only as the field's one name), a label that cannot be a length, a name running past the field,
     * and names longer than 255 bytes.
     */
    private static void domainNames(DissectionContext ctx, FieldNode list, FieldDef def, int offset, int length) {
        byte[] data = ctx.data;
        int at = offset;
        int last = offset + length - 1;
        int remaining = length;
        int labels = 0;
        int nameStart = offset;
        boolean fqdnSeen = false;
        StringBuilder name = new StringBuilder();
        while (remaining > 0) {
            int labelLength = data[at] & 0xFF;
            if (labelLength > 63) {
                String text = "Label Length: " + labelLength + "\n"
                        + "This is not a DNS record encoded domain name. The value in the first octet of\n"
                        + "a label is the length of the name that follows and must be 63 octets or less.\n"
                        + "However, in this case it is " + labelLength + " which typically means the name is not DNS encoded.\n";
                FieldNode bogus = ctx.add(list, BOGUS_LABEL_LENGTH, at, 1, labelLength);
                if (bogus != null) {
                    bogus.text(HttpBodyDissector.label(text));
                }
                if (labels > 0) {
                    addDecodedPortion(ctx, bogus, nameStart, name, "The decoded portion of this FQDN to this point is [");
                }
                expertLine(ctx, bogus, at, 1, "Error/Protocol", NAME_NOT_DNS_ENCODED);
                return;
            }
            if (name.isEmpty()) {
                nameStart = at;
            }
            at++;
            remaining--;
            if (labelLength > remaining) {
                ctx.appendInfo().append(" [DOMAIN FIELD LEN EXCEEDED]");
                FieldNode exceeded = ctx.add(list, DOMAIN_FIELD_EXCEEDED, at - 1, 1, labelLength);
                if (exceeded != null) {
                    exceeded.text("ERROR: The length of this name, " + labelLength + ", exceeds the remaining length, " + remaining
                            + ", in the\ndomain name field.\n");
                }
                if (labels > 0) {
                    addDecodedPortion(ctx, exceeded, nameStart, name, "The successfully decoded portion of this FQDN: [");
                }
                expertLine(ctx, exceeded, offset, length, "Error/Malformed", NAME_EXCEEDS_FIELD);
                return;
            }
            if (name.length() + labelLength + 2 > 255) {
                ctx.appendInfo().append(" [FQDN > 255]");
                name.append('.').append(new String(data, at, labelLength, StandardCharsets.ISO_8859_1));
                at += labelLength;
                boolean complete = at <= last && data[at] == 0;
                if (complete) {
                    name.append('.');
                }
                FieldNode tooLong = ctx.add(list, FQDN_OVER_255, nameStart, name.length() - 1, name.length());
                if (tooLong != null) {
                    tooLong.text("FQDN: " + name + (complete ? " " : "<incomplete>") + "\nERROR: The total length of DNS-encoded names of this FQDN, "
                            + name.length() + ", exceeds 255,\nthe maximum allowed.");
                }
                expertLine(ctx, tooLong, nameStart, name.length() - 1, "Error/Protocol", NAME_OVER_255);
                return;
            }
            if (labelLength == 0) {
                name.append('.');
                if (labels == 0) {
                    ctx.appendInfo().append(" [ROOT-ONLY DOMAIN NAME]");
                    FieldNode root = ctx.addString(list, ROOT_ONLY_NAME, at - 1, 1, "['.' (0)]");
                    expertLine(ctx, root, at - 1, 1, "Error/Protocol", NAME_ROOT_ONLY);
                    return;
                }
                String decoded = name.toString();
                if (labels == 1) {
                    FieldNode tld = ctx.addString(list, TOP_LEVEL_DOMAIN, nameStart, decoded.length() + 1, decoded);
                    if (tld != null) {
                        tld.text("Top Level Domain name (TLD): " + decoded);
                    }
                    expertLine(ctx, tld, nameStart, decoded.length() + 1, "Warning/Comment", NAME_TLD);
                } else {
                    ctx.addString(list, def, nameStart, decoded.length() + 1, decoded);
                }
                labels = 0;
                name.setLength(0);
                fqdnSeen = true;
                continue;
            }
            if (at + labelLength - 1 == last) {
                // The field ends without a root label: a partial name, which must be the field's only name.
                // Wireshark copies it from one byte past the name's first length octet, whatever labels came before.
                name.append(new String(data, nameStart + 1, labelLength, StandardCharsets.ISO_8859_1));
                labels++;
                String decoded = name.toString();
                if (fqdnSeen) {
                    ctx.appendInfo().append(" [PROTOCOL VIOLATION]");
                    FieldNode partial = ctx.addString(list, PARTIAL_AFTER_FQDN, nameStart, labelLength, decoded);
                    if (partial != null) {
                        partial.text("Partial name: " + decoded + "\nERROR: A single or multi-part partial name must be the only name in the domain field");
                    }
                    expertLine(ctx, partial, nameStart, labelLength, "Error/Protocol", NAME_PARTIAL_AFTER_FQDN);
                    return;
                }
                FieldNode partial = ctx.addString(list, def, nameStart, decoded.length() + 1, decoded);
                if (partial != null) {
                    partial.text((labels == 1 ? "Partial domain name: " : "Multi-part partially qualified Domain Name: ") + decoded);
                }
                return;
            }
            if (labels > 0) {
                name.append('.');
            }
            name.append(new String(data, at, labelLength, StandardCharsets.ISO_8859_1));
            at += labelLength;
            remaining -= labelLength;
            labels++;
        }
    }

    private static void addDecodedPortion(DissectionContext ctx, FieldNode parent, int nameStart, CharSequence name, String heading) {
        FieldNode portion = ctx.addString(parent, DECODED_PORTION, nameStart, name.length(), name.toString());
        if (portion != null) {
            portion.text(heading + name + "]\n");
        }
    }

    /** Wireshark's proto_tree_add_expert: a line with the note's text, the note below it. */
    private static void expertLine(DissectionContext ctx, FieldNode parent, int offset, int length, String severityAndGroup, FieldDef expert) {
        FieldNode line = ctx.addText(parent, offset, length, expert.label());
        ctx.addExpert(line, offset, length, severityAndGroup, expert.label(), expert);
    }

    private static String unknownIfNull(long type) {
        String name = messageTypeName(type);
        return name != null ? name : "Unknown";
    }

    /** RFC 8415 section 7.3, RFC 5007, 5460, 6977: the message types. */
    static String messageTypeName(long type) {
        return switch ((int) type) {
            case 1 -> "Solicit";
            case 2 -> "Advertise";
            case 3 -> "Request";
            case 4 -> "Confirm";
            case 5 -> "Renew";
            case 6 -> "Rebind";
            case 7 -> "Reply";
            case 8 -> "Release";
            case 9 -> "Decline";
            case 10 -> "Reconfigure";
            case 11 -> "Information-request";
            case 12 -> "Relay-forw";
            case 13 -> "Relay-reply";
            case 14 -> "Leasequery";
            case 15 -> "Leasequery-reply";
            case 16 -> "Leasequery-done";
            case 17 -> "Leasequery-data";
            case 18 -> "Reconfigure-request";
            case 19 -> "Reconfigure-reply";
            default -> null;
        };
    }

    /** Section 11 and RFC 6355. */
    private static String duidTypeName(long type) {
        return switch ((int) type) {
            case DUID_LLT -> "link-layer address plus time";
            case DUID_EN -> "assigned by vendor based on Enterprise number";
            case DUID_LL -> "link-layer address";
            case DUID_UUID -> "Universally Unique IDentifier (UUID)";
            default -> "Unknown";
        };
    }

    /** Section 21.13 and later RFCs: status codes. */
    private static String statusCodeName(long code) {
        return switch ((int) code) {
            case 0 -> "Success";
            case 1 -> "UnspecFail";
            case 2 -> "NoAddrAvail";
            case 3 -> "NoBinding";
            case 4 -> "NotOnLink";
            case 5 -> "UseMulticast";
            case 6 -> "NoPrefixAvail";
            case 7 -> "UnknownQueryType";
            case 8 -> "MalformedQuery";
            case 9 -> "NotConfigured";
            case 10 -> "NotAllowed";
            case 11 -> "QueryTerminated";
            case 12 -> "DataMissing";
            case 13 -> "CatchUpComplete";
            case 14 -> "NotSupported";
            case 15 -> "TLSConnectionRefused";
            default -> "Unknown";
        };
    }

    /** The IANA enterprise numbers DUID-EN identifiers commonly carry, named as Wireshark's enterprises file names them. */
    private static String enterpriseName(long number) {
        return switch ((int) number) {
            case 9 -> "ciscoSystems";
            case 11 -> "Hewlett-Packard";
            case 311 -> "Microsoft";
            case 343 -> "Intel Corporation";
            case 2011 -> "HUAWEI Technology Co.,Ltd";
            case 2636 -> "Juniper Networks, Inc.";
            case 4413 -> "Broadcom Limited";
            case 4491 -> "Cable Television Laboratories, Inc.";
            case 8072 -> "net-snmp";
            case 14988 -> "MikroTik";
            case 25506 -> "H3C";
            case 32473 -> "Example Enterprise Number for Documentation Use";
            case 43793 -> "Tom Gundersen (systemd)";
            default -> "Unknown";
        };
    }

    /** Option names as Wireshark's table has them (RFC 8415 section 24 and the IANA registry). */
    static String optionName(int code) {
        return switch (code) {
            case 139 -> "opttype_vals";
            case 1 -> "Client Identifier";
            case 2 -> "Server Identifier";
            case 3 -> "Identity Association for Non-temporary Address";
            case 4 -> "Identity Association for Temporary Address";
            case 5 -> "IA Address";
            case 6 -> "Option Request";
            case 7 -> "Preference";
            case 8 -> "Elapsed time";
            case 9 -> "Relay Message";
            case 11 -> "Authentication";
            case 12 -> "Server unicast";
            case 13 -> "Status code";
            case 14 -> "Rapid Commit";
            case 15 -> "User Class";
            case 16 -> "Vendor Class";
            case 17 -> "Vendor-specific Information";
            case 18 -> "Interface-Id";
            case 19 -> "Reconfigure Message";
            case 20 -> "Reconfigure Accept";
            case 21 -> "SIP Server Domain Name List";
            case 22 -> "SIP Servers IPv6 Address List";
            case 23 -> "DNS recursive name server";
            case 24 -> "Domain Search List";
            case 25 -> "Identity Association for Prefix Delegation";
            case 26 -> "IA Prefix";
            case 27 -> "Network Information Server";
            case 28 -> "Network Information Server V2";
            case 29 -> "Network Information Server Domain Name";
            case 30 -> "Network Information Server V2 Domain Name";
            case 31 -> "Simple Network Time Protocol Server";
            case 32 -> "Lifetime";
            case 33 -> "BCMCS Server Domain";
            case 34 -> "BCMCS Servers IPv6 Address List";
            case 36 -> "Geoconf Civic Address";
            case 37 -> "Remote Identifier";
            case 38 -> "Subscriber Identifier";
            case 39 -> "Client Fully Qualified Domain Name";
            case 40 -> "PANA Agents IPv6 Address List";
            case 41 -> "Time Zone";
            case 42 -> "Time Zone Database";
            case 43 -> "Echo Request Option";
            case 44 -> "Leasequery Query";
            case 45 -> "Leasequery Client Data";
            case 46 -> "Client Last Transaction Time";
            case 47 -> "Leasequery Relay Data";
            case 48 -> "Leasequery Client Link Address List";
            case 49 -> "Home Network Identifier FQDN";
            case 50 -> "Visited Home Network Information";
            case 51 -> "LoST Server";
            case 52 -> "CAPWAP Access Controllers";
            case 53 -> "Relay-ID";
            case 54 -> "MoS IPv6 Address";
            case 55 -> "MoS Domain Name List";
            case 56 -> "NTP Server";
            case 57 -> "Access Network Domain Name";
            case 58 -> "SIP User Agent Configuration Service Domains";
            case 59 -> "Boot File URL";
            case 60 -> "Boot File Parameters";
            case 61 -> "Client System Architecture Type";
            case 62 -> "Client Network Interface Identifier";
            case 63 -> "Geolocation";
            case 64 -> "Dual-Stack Lite AFTR Name";
            case 65 -> "ERP Local Domain Name";
            case 66 -> "Relay-Supplied Options";
            case 67 -> "Prefix Exclude";
            case 68 -> "Virtual Subnet Selection";
            case 69 -> "Identified Home Network Information";
            case 70 -> "Unrestricted Home Network Information";
            case 71 -> "Home Network Prefix";
            case 72 -> "Home Agent Address";
            case 73 -> "Home Agent FQDN";
            case 74 -> "RDNSS Selection";
            case 75 -> "Kerberos Principal Name";
            case 76 -> "Kerberos Realm Name";
            case 77 -> "Kerberos Default Realm Name";
            case 78 -> "Kerberos KDC";
            case 79 -> "Client Link-Layer Address";
            case 80 -> "Link Address";
            case 81 -> "RADIUS";
            case 82 -> "SOL_MAX_RT";
            case 83 -> "INF_MAX_RT";
            case 84 -> "Address Selection";
            case 85 -> "Address Selection table";
            case 86 -> "PCP Server";
            case 87 -> "DHCPv4 Message";
            case 88 -> "DHCP 4o6 Servers Address";
            case 89 -> "S46 Rule";
            case 90 -> "S46 BR";
            case 91 -> "S46 DMR";
            case 92 -> "S46 IPv4/IPv6 Address Binding";
            case 93 -> "S46 Port Parameters";
            case 94 -> "S46 MAP-E Container";
            case 95 -> "S46 MAP-T Container";
            case 96 -> "S46 Lightweight 4over6 Container";
            case 97 -> "4rd Options";
            case 98 -> "4rd Mapping Rule";
            case 99 -> "4rd Non-Mapping Rule";
            case 100 -> "LQ Server Base Time";
            case 101 -> "LQ Server Query Start Time";
            case 102 -> "LQ Server Query End Time";
            case 103 -> "Captive Portal";
            case 104 -> "MPL Parameter Configuration";
            case 105 -> "Access Technology Type";
            case 106 -> "Access Network Name";
            case 107 -> "Access Point Name";
            case 108 -> "Access Point BSSID";
            case 109 -> "Access Network Operator ID";
            case 110 -> "Access Network Operator Realm";
            case 111 -> "S46 Priority";
            case 112 -> "Manufacturer Usage Description";
            case 113 -> "IPv4/IPv6 Multicast Prefixes";
            case 114 -> "Failover Binding Status";
            case 115 -> "Failover Connect Flags";
            case 116 -> "Failover DNS Removal Info";
            case 117 -> "Failover DNS Hostname";
            case 118 -> "Failover DNS Zone Name";
            case 119 -> "Failover DNS Flags";
            case 120 -> "Failover Expiration Time";
            case 121 -> "Failover Maximum Number Unacked BNDUPD Messages";
            case 122 -> "Failover Maximum Client Lead Time (MCLT)";
            case 123 -> "Failover Partner Lifetime";
            case 124 -> "Failover Partner Lifetime Sent";
            case 125 -> "Failover Partner Down Time";
            case 126 -> "Failover Partner Raw Client Time";
            case 127 -> "Failover Protocol Version";
            case 128 -> "Failover Keepalive Time";
            case 129 -> "Failover Reconfigure Data";
            case 130 -> "Failover Relationship Name";
            case 131 -> "Failover Server Flags";
            case 132 -> "Failover Server State";
            case 133 -> "Failover Start Time of State";
            case 134 -> "Failover State Expiration Time";
            case 135 -> "Relay Source Port";
            case 136 -> "SZTP Redirect";
            case 137 -> "Softwire Source Binding Prefix Hint";
            case 143 -> "ANDSF IPv6 Address";
            case 165 -> "Mobile IPv6 Home Agent";
            case 166 -> "Mobile IPv6 Home Address";
            case 167 -> "Network Access Identifier";
            default -> null;
        };
    }
}
