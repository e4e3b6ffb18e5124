package dev.stacklab.dissect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The protocol tshark 4.0 hands a TCP or UDP payload to by port, for the payloads no dissector here claims: they stay
 * Data, shown under that protocol's name (SSH on 22, SNMP on 161, Syslog on 514) where tshark would dissect them.
 *
 * <p>The table is tshark's own, kept as the resource {@value #RESOURCE}, which {@code scripts/make-port-protocols.sh}
 * makes from {@code tshark -G decodes} (the dissector bound to each {@code tcp.port} and {@code udp.port}) and
 * {@code tshark -G protocols} (each dissector's short name), for ports 1 to 32767. As tshark does with its default
 * preferences, the lower of the two ports is tried first, then the higher; port 0 names nothing.
 */
final class PortProtocols {
    static final String RESOURCE = "port-protocols.tsv";
    /** Ports above are not in the table: Linux gives clients ports from 32768 on. */
    static final int HIGHEST_PORT = 32_767;

    /**
     * A port's protocol: its short name (tshark's Protocol column, mostly), its filter name ("SSH", "ssh"), and the
     * binding it comes from ("tcp.port", 22).
     */
    record Protocol(String name, String filterName, String table, int port) {
    }

    /** The protocols by port, one table per transport. */
    private final Protocol[] tcp = new Protocol[HIGHEST_PORT + 1];
    private final Protocol[] udp = new Protocol[HIGHEST_PORT + 1];

    private PortProtocols() {
    }

    private static final class Installed {
        static final PortProtocols TABLE = load();
    }

    /** The protocol tshark names a TCP payload between these ports after, or null. */
    static Protocol tcp(int sourcePort, int destinationPort) {
        return lookUp(Installed.TABLE.tcp, sourcePort, destinationPort);
    }

    /** The protocol tshark names a UDP payload between these ports after, or null. */
    static Protocol udp(int sourcePort, int destinationPort) {
        return lookUp(Installed.TABLE.udp, sourcePort, destinationPort);
    }

    private static Protocol lookUp(Protocol[] table, int sourcePort, int destinationPort) {
        int low = Math.min(sourcePort, destinationPort);
        int high = Math.max(sourcePort, destinationPort);
        if (low > 0 && low <= HIGHEST_PORT && table[low] != null) {
            return table[low];
        }
        return high > 0 && high <= HIGHEST_PORT ? table[high] : null;
    }

    /** Reads the resource: "tcp", port, name, filter name, tab-separated; lines starting with '#' are comments. */
    private static PortProtocols load() {
        PortProtocols table = new PortProtocols();
        try (InputStream in = PortProtocols.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the build");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] columns = line.split("\t");
                int port = Integer.parseInt(columns[1]);
                Protocol protocol = new Protocol(columns[2], columns[3], columns[0] + ".port", port);
                (columns[0].equals("tcp") ? table.tcp : table.udp)[port] = protocol;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return table;
    }
}
