package dev.stacklab.cli;

import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PcapWriter;
import dev.stacklab.testsupport.Prerequisites;
import dev.stacklab.testsupport.Processes;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Ipv4Address;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A UDP or TCP payload no dissector here claims is Data named after the protocol tshark hands its port to whatever the
 * payload: the Protocol column is tshark's for what programs of those protocols send (an SSH banner, a syslog line, a
 * TFTP read request, POP's greeting, telnet options), those whose dissectors take only payloads that look like theirs
 * (SNMP, SIP over UDP, IMAP) stay UDP or TCP, the Info column stays the transport's, {@code data} still filters, and the
 * table stacklab ships is what {@code scripts/make-port-protocols.sh} makes from the installed tshark.
 */
class UnclaimedPayloadsAgainstTsharkTest {
    private static final String TABLE = "/dev/stacklab/dissect/port-protocols.tsv";

    @TempDir
    Path directory;

    @BeforeAll
    static void requireTshark() {
        Prerequisites.requireCommand("tshark");
    }

    private record Payload(boolean tcp, int sourcePort, int destinationPort, byte[] bytes) {
        static Payload tcp(int sourcePort, int destinationPort, String text) {
            return new Payload(true, sourcePort, destinationPort, text.getBytes(StandardCharsets.ISO_8859_1));
        }

        static Payload udp(int sourcePort, int destinationPort, String text) {
            return new Payload(false, sourcePort, destinationPort, text.getBytes(StandardCharsets.ISO_8859_1));
        }

        static Payload udpHex(int sourcePort, int destinationPort, String hex) {
            return new Payload(false, sourcePort, destinationPort, HexFormat.of().parseHex(hex));
        }
    }

    /** What clients and servers of protocols stacklab does not dissect send first, and payloads on ports nobody has. */
    private static final List<Payload> PAYLOADS = List.of(
            Payload.tcp(40022, 22, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
            Payload.tcp(22, 40022, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"),
            Payload.udp(40514, 514, "<34>Oct 11 22:14:15 mymachine su: su root failed\n"),
            Payload.udp(40069, 69, "\0\u0001boot.img\0octet\0"),
            Payload.udpHex(40161, 161, "302602010104067075626c6963a019020101020100020100300e300c06082b060102010101000500"),
            Payload.tcp(110, 40110, "+OK POP3 server ready\r\n"),
            Payload.udp(40060, 5060, "OPTIONS sip:a@10.0.0.2 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:40060;branch=z9hG4bK1\r\n"
                    + "Max-Forwards: 70\r\nTo: <sip:a@10.0.0.2>\r\nFrom: <sip:b@10.0.0.1>;tag=1\r\nCall-ID: 1@10.0.0.1\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"),
            Payload.tcp(40023, 23, "\u00ff\u00fd\u0018\u00ff\u00fd\u0020"),
            Payload.tcp(143, 40143, "* OK [CAPABILITY IMAP4rev1] ready\r\n"),
            Payload.udp(40000, 40001, "hello"),
            Payload.tcp(40002, 40003, "hello"));

    /** Protocols whose tshark dissector takes a payload only when it looks like theirs: not in the table, so not named. */
    private static final List<String> LEFT_UNNAMED = List.of("SNMP", "SIP", "IMAP");

    @Test
    void theProtocolColumnIsTsharksAndTheRestStaysData() throws IOException {
        Path file = directory.resolve("ports.pcap");
        try (PcapWriter writer = PcapWriter.create(file, LinkType.ETHERNET)) {
            long time = 1_700_000_000_000_000_000L;
            for (int i = 0; i < PAYLOADS.size(); i++) {
                byte[] frame = frame(PAYLOADS.get(i), i);
                writer.write(time + i * 1_000_000L, frame, 0, frame.length, frame.length);
            }
        }
        List<String> theirs = Processes.run(List.of("tshark", "-r", file.toString(), "-T", "fields", "-e", "_ws.col.Protocol"), 60)
                .orThrow(List.of("tshark")).stdout().lines().toList();
        List<String> ours = decode(file.toString());
        assertThat(ours).hasSameSizeAs(PAYLOADS);
        List<String> protocols = ours.stream().map(line -> line.trim().split(" +")[5]).toList();
        for (int i = 0; i < PAYLOADS.size(); i++) {
            if (LEFT_UNNAMED.contains(theirs.get(i))) {
                // tshark's dissector looked at the payload and took it; by port alone that cannot be known.
                assertThat(protocols.get(i)).isEqualTo(PAYLOADS.get(i).tcp() ? "TCP" : "UDP");
            } else {
                assertThat(protocols.get(i)).as("frame %d", i + 1).isEqualTo(theirs.get(i));
            }
        }
        assertThat(protocols).contains("SSH", "Syslog", "TFTP", "POP", "TELNET", "UDP", "TCP");
        assertThat(theirs).containsAll(LEFT_UNNAMED);
        // The Info column is the transport's: "40022 → 22 [PSH, ACK] Seq=1 ...", "40514 → 514 Len=49".
        assertThat(ours.get(0)).contains(" SSH 86 40022 → 22 [PSH, ACK] Seq=1 Ack=1 ");
        assertThat(ours.get(2)).endsWith(" Syslog 91 40514 → 514 Len=49");
        // Still Data: every one of them passes the filter data, and the tree says where the name comes from.
        assertThat(decode("-Y", "data && data.len > 0", file.toString())).hasSameSizeAs(PAYLOADS);
        assertThat(decode("-V", "-c", "1", file.toString())).contains("    [tcp.port 22 is SSH in tshark: not dissected by stacklab]");
        assertThat(decode("-V", "-Y", "udp.port == 40000", file.toString())).noneMatch(line -> line.contains("in tshark"));
    }

    /** The shipped table is what scripts/make-port-protocols.sh makes from the installed tshark, binding by binding. */
    @Test
    void theTableIsTsharks() throws IOException {
        Prerequisites.requireCommand("python3");
        Path made = directory.resolve("port-protocols.tsv");
        List<String> script = List.of("scripts/make-port-protocols.sh", made.toString());
        Processes.run(script, 300).orThrow(script);
        List<String> shipped;
        try (InputStream in = UnclaimedPayloadsAgainstTsharkTest.class.getResourceAsStream(TABLE)) {
            assertThat(in).as(TABLE).isNotNull();
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(line -> !line.startsWith("#")).toList();
        }
        assertThat(shipped).hasSizeGreaterThan(100).contains("tcp\t22\tSSH\tssh", "udp\t514\tSyslog\tsyslog")
                .noneMatch(line -> line.startsWith("udp\t9999\t"));
        assertThat(Files.readAllLines(made).stream().filter(line -> !line.startsWith("#")).toList()).containsExactlyElementsOf(shipped);
    }

    /** An Ethernet frame from 10.0.0.1 to 10.0.0.2 with the payload over UDP or TCP (a PSH, ACK segment), checksums right. */
    private static byte[] frame(Payload payload, int id) {
        int transportLength = (payload.tcp() ? 20 : 8) + payload.bytes().length;
        ByteBuffer frame = ByteBuffer.allocate(14 + 20 + transportLength);
        frame.put(HexFormat.of().parseHex("020000000002" + "020000000001" + "0800"));
        Ipv4Address source = Ipv4Address.parse("10.0.0.1");
        Ipv4Address destination = Ipv4Address.parse("10.0.0.2");
        int protocol = payload.tcp() ? 6 : 17;
        frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + transportLength)).putShort((short) id).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(source.bits()).putInt(destination.bits());
        frame.putShort(24, (short) Checksum.compute(frame.array(), 14, 20));
        int transport = frame.position();
        if (payload.tcp()) {
            frame.putShort((short) payload.sourcePort()).putShort((short) payload.destinationPort()).putInt(1000).putInt(2000)
                    .put((byte) 0x50).put((byte) 0x18).putShort((short) 64240).putShort((short) 0).putShort((short) 0);
        } else {
            frame.putShort((short) payload.sourcePort()).putShort((short) payload.destinationPort()).putShort((short) transportLength)
                    .putShort((short) 0);
        }
        frame.put(payload.bytes());
        int sum = Checksum.add(Checksum.pseudoHeader(source, destination, protocol, transportLength), frame.array(), transport,
                transportLength);
        frame.putShort(transport + (payload.tcp() ? 16 : 6), (short) Checksum.finish(sum));
        return frame.array();
    }

    private static List<String> decode(String... args) {
        List<String> command = new ArrayList<>(List.of("decode"));
        command.addAll(List.of(args));
        CommandRun run = CommandRun.of(command.toArray(String[]::new));
        assertThat(run.exitCode()).as("decode exit code; stderr: %s", run.err()).isZero();
        return run.out().lines().toList();
    }
}
