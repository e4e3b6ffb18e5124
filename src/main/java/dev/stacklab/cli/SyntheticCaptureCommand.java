package dev.stacklab.cli;

import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PcapWriter;
import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Ipv4Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * {@code stacklab bench synth-capture OUT}: writes a large capture for {@code bench decode} by
 * replaying a conversation the Linux kernel really had (ARP, ping, a TCP connection with options,
 * data and both FINs, a refused connection, UDP to a closed port and its ICMP error), each replay
 * with a new TCP client port and ICMP identifier and checksums recomputed, so every frame is valid
 * and every TCP connection distinct.
 */
@Command(name = "synth-capture", description = "Write a large pcap of real kernel frames for `bench decode`.")
final class SyntheticCaptureCommand implements Callable<Integer> {
    @Parameters(paramLabel = "OUT", description = "pcap file to write")
    Path output;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "1000000", description = "frames to write (default ${DEFAULT-VALUE})")
    long frames;

    @Option(names = "--replay", paramLabel = "CAPTURE", description = "replay this Ethernet capture's frames instead of the built-in "
            + "conversation (e.g. src/test/resources/dev/stacklab/dissect/http.pcap and tls.pcap, for a capture of HTTP and TLS), "
            + "each replay between addresses of its own; may be given more than once")
    java.util.List<Path> replay;

    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    // Captured on a veth between two namespaces (10.77.0.1 and 10.77.0.2), Linux 6.x, with tcpdump.
    private static final String[] CONVERSATION = {
        "ffffffffffff0e8e5fd9cfbb080600010800060400010e8e5fd9cfbb0a4d00010000000000000a4d0002",
        "0e8e5fd9cfbb765e6a904b8108060001080006040002765e6a904b810a4d00020e8e5fd9cfbb0a4d0001",
        "765e6a904b810e8e5fd9cfbb080045000054f7e9400040012e230a4d00010a4d000208006c9a0a9f0001674f026b000000005038080000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
        "0e8e5fd9cfbb765e6a904b810800450000540bc0000040015a4d0a4d00020a4d00010000749a0a9f0001674f026b000000005038080000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
        "765e6a904b810e8e5fd9cfbb08004500003c56e340004006cf3c0a4d00010a4d0002d5d01f9012d8d0f300000000a002faf02db80000020405b40402080a9085a105000000000103030a",
        "0e8e5fd9cfbb765e6a904b8108004500003c00004000400626200a4d00020a4d00011f90d5d07873809012d8d0f4a012fe88d5630000020405b40402080a243337749085a1050103030a",
        "765e6a904b810e8e5fd9cfbb08004500003456e440004006cf430a4d00010a4d0002d5d01f9012d8d0f4787380918010003f027d00000101080a9085a10524333774",
        "765e6a904b810e8e5fd9cfbb08004500003a56e540004006cf3c0a4d00010a4d0002d5d01f9012d8d0f4787380918018003fbe9200000101080a9085a1052433377468656c6c6f0a",
        "0e8e5fd9cfbb765e6a904b8108004500003413b14000400612770a4d00020a4d00011f90d5d07873809112d8d0fa80100040027600000101080a243337749085a105",
        "765e6a904b810e8e5fd9cfbb08004500003456e640004006cf410a4d00010a4d0002d5d01f9012d8d0fa787380918011003f027600000101080a9085a10524333774",
        "0e8e5fd9cfbb765e6a904b8108004500003413b24000400612760a4d00020a4d00011f90d5d07873809112d8d0fb80110040027400000101080a243337749085a105",
        "765e6a904b810e8e5fd9cfbb08004500003456e740004006cf400a4d00010a4d0002d5d01f9012d8d0fb787380928010003f027500000101080a9085a10524333774",
        "765e6a904b810e8e5fd9cfbb08004500003c686b40004006bdb40a4d00010a4d0002854e1f91d25522b100000000a002faf0bde20000020405b40402080a4eaa91fc000000000103030a",
        "0e8e5fd9cfbb765e6a904b8108004500002800004000400626340a4d00020a4d00011f91854e00000000d25522b250140000014d0000",
        "765e6a904b810e8e5fd9cfbb08004500001eda4d400040114be50a4d00010a4d00028c21270f000ac002780a",
        "0e8e5fd9cfbb765e6a904b81080045c0003a0bf20000400159750a4d00020a4d0001030311b5000000004500001eda4d400040114be50a4d00010a4d00028c21270f000ac002780a",
    };
    private static final int ETHERNET_HEADER = 14;
    private static final int CLIENT_PORT = 0xd5d0;
    private static final int REFUSED_CLIENT_PORT = 0x854e;

    @Override
    public Integer call() throws IOException {
        if (frames < 1) {
            spec.commandLine().getErr().println("bench synth-capture: --frames must be at least 1, not " + frames);
            return 2;
        }
        byte[][] templates;
        if (replay != null) {
            try {
                templates = readFrames(replay);
            } catch (IOException e) {
                spec.commandLine().getErr().println("bench synth-capture: --replay: " + e.getMessage());
                return 2;
            }
        } else {
            templates = new byte[CONVERSATION.length][];
            for (int i = 0; i < templates.length; i++) {
                templates[i] = HexFormat.of().parseHex(CONVERSATION[i]);
            }
        }
        long timestamp = 1_795_313_511_000_000_000L;
        try (PcapWriter writer = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(output), 1 << 20),
                LinkType.ETHERNET, 262144, false)) {
            for (long written = 0; written < frames; written++) {
                byte[] frame = templates[(int) (written % templates.length)].clone();
                if (replay != null) {
                    personaliseAddresses(frame, replayNumber(written, templates.length));
                } else {
                    personalise(frame, replayNumber(written, templates.length));
                }
                timestamp += 10_000;
                writer.write(timestamp, frame, 0, frame.length, frame.length);
            }
        }
        spec.commandLine().getOut().printf("wrote %,d frames to %s%n", frames, output);
        return 0;
    }

    private static int replayNumber(long written, int templates) {
        return (int) (written / templates);
    }

    /** The frames of the captures, in order; only Ethernet captures can be replayed. */
    private static byte[][] readFrames(java.util.List<Path> captures) throws IOException {
        java.util.List<byte[]> frames = new java.util.ArrayList<>();
        for (Path capture : captures) {
            try (CaptureReader reader = CaptureReader.open(capture)) {
                if (reader.linkType() != LinkType.ETHERNET) {
                    throw new IOException(capture + " is not an Ethernet capture (link type " + reader.linkType() + ")");
                }
                while (reader.next()) {
                    frames.add(java.util.Arrays.copyOf(reader.data(), reader.capturedLength()));
                }
            }
        }
        if (frames.isEmpty()) {
            throw new IOException("no frames in " + captures);
        }
        return frames.toArray(byte[][]::new);
    }

    /**
     * Replay {@code n} of a recorded capture: the IPv4 addresses' second and third bytes set from {@code n} in both
     * directions (10.79.0.1 becomes 10.n.n'.1), so each replay's connections are new ones on the same ports;
     * checksums recomputed.
     */
    private static void personaliseAddresses(byte[] frame, int replay) {
        if (frame.length < ETHERNET_HEADER + 20 || BigEndian.u16(frame, 12) != 0x0800) {
            return;
        }
        int ip = ETHERNET_HEADER;
        int headerLength = (frame[ip] & 0x0F) * 4;
        if (ip + headerLength > frame.length) {
            return;
        }
        for (int address = ip + 12; address <= ip + 16; address += 4) {
            frame[address + 1] = (byte) replay;
            frame[address + 2] = (byte) (replay >>> 8);
        }
        BigEndian.putU16(frame, ip + 10, 0);
        BigEndian.putU16(frame, ip + 10, Checksum.compute(frame, ip, headerLength));
        int transport = ip + headerLength;
        int transportLength = BigEndian.u16(frame, ip + 2) - headerLength;
        if (frame[ip + 9] != 6 || transport + 20 > frame.length || transport + transportLength > frame.length) {
            return;
        }
        BigEndian.putU16(frame, transport + 16, 0);
        int sum = Checksum.pseudoHeader(Ipv4Address.read(frame, ip + 12), Ipv4Address.read(frame, ip + 16), 6, transportLength);
        BigEndian.putU16(frame, transport + 16, Checksum.finish(Checksum.add(sum, frame, transport, transportLength)));
    }

    /** Gives replay {@code n} its own TCP client ports and ICMP identifier, and recomputes what they cover. */
    private static void personalise(byte[] frame, int replay) {
        if (BigEndian.u16(frame, 12) != 0x0800) {
            return;
        }
        int ip = ETHERNET_HEADER;
        int headerLength = (frame[ip] & 0x0F) * 4;
        int transport = ip + headerLength;
        int transportLength = BigEndian.u16(frame, ip + 2) - headerLength;
        switch (frame[ip + 9]) {
            case 6 -> {
                int newPort = 1024 + (replay * 2) % 60000;
                replacePort(frame, transport, CLIENT_PORT, newPort);
                replacePort(frame, transport, REFUSED_CLIENT_PORT, newPort + 1);
                BigEndian.putU16(frame, transport + 16, 0);
                int sum = Checksum.pseudoHeader(Ipv4Address.read(frame, ip + 12), Ipv4Address.read(frame, ip + 16), 6, transportLength);
                BigEndian.putU16(frame, transport + 16, Checksum.finish(Checksum.add(sum, frame, transport, transportLength)));
            }
            case 1 -> {
                if (frame[transport] == 0 || frame[transport] == 8) {
                    BigEndian.putU16(frame, transport + 4, replay & 0xFFFF);
                    BigEndian.putU16(frame, transport + 2, 0);
                    BigEndian.putU16(frame, transport + 2, Checksum.compute(frame, transport, transportLength));
                }
            }
            default -> {
            }
        }
    }

    private static void replacePort(byte[] frame, int transport, int oldPort, int newPort) {
        for (int field = transport; field <= transport + 2; field += 2) {
            if (BigEndian.u16(frame, field) == oldPort) {
                BigEndian.putU16(frame, field, newPort);
            }
        }
    }
}
