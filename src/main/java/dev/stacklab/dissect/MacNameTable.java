package dev.stacklab.dissect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names Wireshark gives MAC addresses ("IntelCor_12:34:56", "IPv4mcast_01", "Broadcast"), from the same two
 * tables tshark reads: {@code manuf} (vendor OUIs, and the IEEE's smaller MA-M and MA-S blocks as /28 and /36
 * prefixes) and {@code wka} (well-known addresses and ranges: broadcast, multicast groups, protocol addresses).
 * They are read from the Wireshark data directory installed with tshark or Wireshark ({@value #DEFAULT_DIRECTORY},
 * or the directory in the system property {@value #DIRECTORY_PROPERTY}); stacklab ships no copy. Without them only
 * the few names below are known, and an address prints as itself, as tshark prints it without its tables.
 *
 * <p>The rules, as tshark 4.0 applies them: an exact well-known address prints its name alone; otherwise the
 * longest matching prefix wins, printed as NAME_ followed by the bits after the prefix. A vendor's 24-bit OUI keeps
 * all three remaining bytes ("IntelCor_00:00:00"); any other prefix (a /25 multicast range, a /36 block) prints its
 * remaining value in as few bytes as it takes, at least one ("IPv4mcast_01", "Convergi_00").
 */
final class MacNameTable {
    static final String DEFAULT_DIRECTORY = "/usr/share/wireshark";
    static final String DIRECTORY_PROPERTY = "stacklab.wireshark.datadir";

    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    /** Exact addresses (wka entries without a prefix length). */
    private final Map<Long, String> exact = new HashMap<>();
    /** Vendor OUIs: manuf entries without a prefix length. */
    private final Map<Long, String> vendors = new HashMap<>();
    /** Prefixes with a length, indexed by that length (1-47); each map keys the address's top bits. */
    @SuppressWarnings("unchecked")
    private final Map<Long, String>[] prefixes = (Map<Long, String>[]) new Map<?, ?>[48];
    /** The prefix lengths in use, longest first. */
    private int[] lengthsInUse = new int[0];

    /** The tables tshark would use here, read once; an empty table if they are not installed. */
    static MacNameTable installed() {
        return Installed.TABLE;
    }

    private static final class Installed {
        static final MacNameTable TABLE = load(Path.of(System.getProperty(DIRECTORY_PROPERTY, DEFAULT_DIRECTORY)));
    }

    /** Reads {@code manuf} and {@code wka} from a directory; a missing or unreadable file is an empty table. */
    static MacNameTable load(Path directory) {
        MacNameTable table = new MacNameTable();
        table.readQuietly(directory.resolve("manuf"), true);
        table.readQuietly(directory.resolve("wka"), false);
        table.finish();
        return table;
    }

    /** A table from text in the files' formats, for tests. */
    static MacNameTable of(Reader manuf, Reader wka) throws IOException {
        MacNameTable table = new MacNameTable();
        table.read(new BufferedReader(manuf), true);
        table.read(new BufferedReader(wka), false);
        table.finish();
        return table;
    }

    private MacNameTable() {
        // The two names every Ethernet dissection meets, known with or without the tables.
        exact.put(BROADCAST, "Broadcast");
        vendors.put(0L, "00:00:00");
    }

    private void readQuietly(Path file, boolean isManuf) {
        if (!Files.isReadable(file)) {
            return;
        }
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            read(lines, isManuf);
        } catch (IOException | RuntimeException e) {
            // Names only decorate the output; a damaged table leaves whatever was read before the damage.
        }
    }

    /**
     * One entry per line: an address or prefix ({@code 00:1B:21}, {@code 01-00-5E/25},
     * {@code 00:55:DA:00:00:00/28}), whitespace, the short name, then an optional long name and comment.
     */
    private void read(BufferedReader lines, boolean isManuf) throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+", 3);
            if (fields.length < 2) {
                continue;
            }
            addEntry(fields[0], fields[1], isManuf);
        }
    }

    private void addEntry(String addressField, String name, boolean isManuf) {
        int slash = addressField.indexOf('/');
        String bytesText = slash >= 0 ? addressField.substring(0, slash) : addressField;
        String[] octets = bytesText.split("[:.-]");
        if (octets.length == 0 || octets.length > 6) {
            return;
        }
        long address = 0;
        for (int i = 0; i < 6; i++) {
            int octet = i < octets.length ? parseOctet(octets[i]) : 0;
            if (octet < 0) {
                return;
            }
            address = (address << 8) | octet;
        }
        int length;
        if (slash >= 0) {
            length = parseLength(addressField.substring(slash + 1));
            if (length < 1 || length > 48) {
                return;
            }
        } else {
            // Without a length, an entry is as long as the bytes it gives: an OUI in manuf, an address in wka.
            length = octets.length * 8;
        }
        if (length == 48) {
            exact.putIfAbsent(address, name);
        } else if (length == 24 && isManuf && slash < 0) {
            vendors.putIfAbsent(address >>> 24, name);
        } else {
            if (prefixes[length] == null) {
                prefixes[length] = new HashMap<>();
            }
            prefixes[length].putIfAbsent(address >>> (48 - length), name);
        }
    }

    private static int parseOctet(String text) {
        if (text.isEmpty() || text.length() > 2) {
            return -1;
        }
        try {
            return Integer.parseInt(text, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int parseLength(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void finish() {
        List<Integer> lengths = new ArrayList<>();
        for (int length = 47; length >= 1; length--) {
            if (prefixes[length] != null) {
                lengths.add(length);
            }
        }
        lengthsInUse = lengths.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Wireshark's name for the address, or null when no table names it (then it prints as itself). */
    String name(long mac) {
        String name = exact.get(mac);
        if (name != null) {
            return name;
        }
        for (int length : lengthsInUse) {
            if (length < 24) {
                // A vendor's OUI is more specific than any shorter range.
                String vendor = vendorName(mac);
                if (vendor != null) {
                    return vendor;
                }
            }
            String range = prefixes[length].get(mac >>> (48 - length));
            if (range != null) {
                return range + "_" + minimalHex(mac & ((1L << (48 - length)) - 1));
            }
        }
        return vendorName(mac);
    }

    private String vendorName(long mac) {
        String vendor = vendors.get(mac >>> 24);
        if (vendor == null) {
            return null;
        }
        return vendor + "_" + hexBytes(mac, 3);
    }

    /** The value in as few colon-separated bytes as it takes, at least one ("01", "0a:bc"). */
    private static String minimalHex(long value) {
        int bytes = 1;
        while (bytes < 6 && (value >>> (8 * bytes)) != 0) {
            bytes++;
        }
        return hexBytes(value, bytes);
    }

    /** The low {@code count} bytes of the value, as lower-case hex separated by colons. */
    private static String hexBytes(long value, int count) {
        StringBuilder text = new StringBuilder(count * 3);
        for (int i = count - 1; i >= 0; i--) {
            int octet = (int) (value >>> (8 * i)) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (i > 0) {
                text.append(':');
            }
        }
        return text.toString();
    }
}
