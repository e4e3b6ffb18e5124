package dev.stacklab.dissect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Every field the dissectors can produce, by name: what display filters may refer to, and what field output can list. */
public final class FieldRegistry {
    private static final Map<String, FieldDef> FIELDS_BY_NAME = build();

    private FieldRegistry() {
    }

    private static Map<String, FieldDef> build() {
        Map<String, FieldDef> byName = new LinkedHashMap<>();
        Stream.of(FrameDissector.FIELDS, EthernetDissector.FIELDS, SllDissector.FIELDS, ArpDissector.FIELDS, Ipv4Dissector.FIELDS,
                        Ipv6Dissector.FIELDS, Icmpv6Dissector.FIELDS,
                        IcmpDissector.FIELDS, UdpDissector.FIELDS, TcpDissector.FIELDS, TcpSequenceAnalysis.FIELDS, DataDissector.FIELDS, EchoDissector.FIELDS,
                        TcpPduReassembly.FIELDS, HttpDissector.FIELDS, HttpBodyDissector.FIELDS, TlsDissector.FIELDS, FtpDissector.FIELDS, SmtpDissector.FIELDS, ImfDissector.FIELDS,
                        DnsDissector.FIELDS, DhcpDissector.FIELDS, Dhcpv6Dissector.FIELDS, NtpDissector.FIELDS, SsdpDissector.FIELDS,
                        List.of(DissectionContext.MALFORMED, DissectionContext.EXPERT),
                        // Last, so a dissector that registers its own ip.addr, tcp.port, ... keeps its definition.
                        EitherDirectionFields.FIELDS)
                .flatMap(List::stream)
                .forEach(def -> byName.putIfAbsent(def.name(), def));
        return Collections.unmodifiableMap(byName);
    }

    /** The field or protocol with this name, or null. */
    public static FieldDef lookup(String name) {
        return FIELDS_BY_NAME.get(name);
    }

    public static boolean isKnown(String name) {
        return FIELDS_BY_NAME.containsKey(name);
    }

    /** All fields, in registration order (protocol by protocol, header order within each). */
    public static Map<String, FieldDef> all() {
        return FIELDS_BY_NAME;
    }
}
