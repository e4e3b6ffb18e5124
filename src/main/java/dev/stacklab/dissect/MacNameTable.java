package dev.stacklab.dissect;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names Wireshark gives MAC addresses ("IntelCor_12:34:56", "IPv4mcast_01", "Broadcast"), from the same two
 * tables tshark reads: {@code manuf} (vendor OUIs, and the IEEE's smaller MA-M and MA-S blocks as /28 and /36
 * prefixes) and {@code wka} (well-known addresses and ranges: broadcast, multicast groups, protocol addresses).
 * They are read from the Wireshark data directory installed with tshark or Wireshark ({@value #DEFAULT_DIRECTORY},
 * or the directory in the system property {@value #DIRECTORY_PROPERTY}); stacklab ships no copy. Without them only
 * Broadcast and the zero OUI are named, and an address prints as itself, as tshark prints it without its tables.
 * manuf is looked up in place ({@link SortedMacTable}) rather than read, so a short capture starts quickly.
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
    private static final int VENDOR_LENGTH = 24;
    /** Names already looked up, so a busy address costs one map read; cleared when it reaches this size. */
    private static final int MAX_REMEMBERED = 1 << 16;
    /** Remembers that an address has no name. */
    private static final String NO_NAME = new String("");

    /** manuf: about 50,000 lines, looked up in place (see {@link SortedMacTable}). */
    private final SortedMacTable manuf;
    /** Exact addresses from wka (entries without a prefix length). */
    private final Map<Long, String> wkaExact = new HashMap<>();
    /** wka's prefixes with a length, indexed by that length (1-47); each map keys the address's top bits. */
    private final List<Map<Long, String>> wkaPrefixes = new ArrayList<>(Collections.nCopies(48, null));
    private final Map<Long, String> remembered = new ConcurrentHashMap<>();

    /** The tables tshark would use here, opened once; an empty table if they are not installed. */
    static MacNameTable installed() {
        return Installed.TABLE;
    }

    private static final class Installed {
        static final MacNameTable TABLE = load(Path.of(System.getProperty(DIRECTORY_PROPERTY, DEFAULT_DIRECTORY)));
    }

    /** Opens {@code manuf} and {@code wka} in a directory; a missing or unreadable file is an empty table. */
    static MacNameTable load(Path directory) {
        MacNameTable table = new MacNameTable(SortedMacTable.map(directory.resolve("manuf")));
        table.readWkaQuietly(directory.resolve("wka"));
        return table;
    }

    /** A table from text in the files' formats, for tests; manuf's entries must be in order, as Wireshark writes them. */
    static MacNameTable of(Reader manuf, Reader wka) throws IOException {
        MacNameTable table = new MacNameTable(new SortedMacTable(new MacTableText(ByteBuffer.wrap(utf8(manuf)))));
        table.readWka(new MacTableText(ByteBuffer.wrap(utf8(wka))));
        return table;
    }

    private static byte[] utf8(Reader reader) throws IOException {
        StringBuilder text = new StringBuilder();
        char[] chunk = new char[4096];
        for (int read; (read = reader.read(chunk)) > 0; ) {
            text.append(chunk, 0, read);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private MacNameTable(SortedMacTable manuf) {
        this.manuf = manuf;
    }

    private void readWkaQuietly(Path file) {
        if (!Files.isReadable(file)) {
            return;
        }
        try {
            readWka(new MacTableText(ByteBuffer.wrap(Files.readAllBytes(file))));
        } catch (IOException | RuntimeException e) {
            // Names only decorate the output; a damaged table leaves whatever was read before the damage.
        }
    }

    /** wka is small (a few hundred lines): read whole, first entry for an address or prefix winning. */
    private void readWka(MacTableText wka) {
        for (int line = 0; line < wka.size(); line = wka.nextLine(line)) {
            long key = wka.keyAt(line);
            if (key == MacTableText.NOT_AN_ENTRY) {
                continue;
            }
            long bits = MacTableText.bits(key);
            int length = MacTableText.length(key);
            String name = wka.nameAt(line);
            if (length == 48) {
                wkaExact.putIfAbsent(bits, name);
            } else {
                if (wkaPrefixes.get(length) == null) {
                    wkaPrefixes.set(length, new HashMap<>());
                }
                wkaPrefixes.get(length).putIfAbsent(bits >>> (48 - length), name);
            }
        }
    }

    /** Wireshark's name for the address, or null when no table names it (then it prints as itself). */
    String name(long mac) {
        String name = remembered.get(mac);
        if (name == null) {
            name = lookUp(mac);
            if (remembered.size() >= MAX_REMEMBERED) {
                remembered.clear();
            }
            remembered.put(mac, name == null ? NO_NAME : name);
        }
        return name == NO_NAME ? null : name;
    }

    private String lookUp(long mac) {
        if (mac == BROADCAST) {
            return "Broadcast";
        }
        SortedMacTable.Entry manufEntry = manuf.longestPrefix(mac, 48);
        int manufLength = manufEntry == null ? 0 : manufEntry.length();
        if (manufLength == 48) {
            return manufEntry.name();
        }
        String name = wkaExact.get(mac);
        if (name != null) {
            return name;
        }
        // The longest prefix wins (manuf's before wka's of the same length), but a vendor's OUI is more specific
        // than any range shorter than it.
        for (int length = 47; length >= 1; length--) {
            if (length == VENDOR_LENGTH - 1) {
                long oui = mac >>> VENDOR_LENGTH;
                // The zero OUI is named with or without the tables, as every Ethernet dissection meets it.
                String vendor = oui == 0 ? "00:00:00" : manufLength == VENDOR_LENGTH ? manufEntry.name() : null;
                if (vendor != null) {
                    return vendor + "_" + hexBytes(mac, 3);
                }
            }
            // A 24-bit manuf entry is a vendor's OUI (named above), not a range.
            String range = length == manufLength && length != VENDOR_LENGTH ? manufEntry.name() : null;
            if (range == null) {
                Map<Long, String> wkaRanges = wkaPrefixes.get(length);
                range = wkaRanges == null ? null : wkaRanges.get(mac >>> (48 - length));
            }
            if (range != null) {
                return range + "_" + minimalHex(mac & ((1L << (48 - length)) - 1));
            }
        }
        return null;
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
