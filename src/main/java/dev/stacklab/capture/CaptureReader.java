package dev.stacklab.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the frames of a classic pcap or pcapng capture one at a time:
 * <pre>{@code
 * try (CaptureReader reader = CaptureReader.open(path)) {
 *     while (reader.next()) {
 *         handle(reader.data(), reader.capturedLength(), reader.timestampNanos());
 *     }
 * }
 * }</pre>
 * The accessors describe the frame the last successful {@link #next()} moved to.
 */
public interface CaptureReader extends Closeable {
    /**
     * The most bytes one frame may claim to hold, as in Wireshark ({@code WTAP_MAX_PACKET_SIZE_STANDARD}).
     * A larger captured length is taken for a corrupt length field and rejected before anything is allocated.
     */
    int MAX_CAPTURED_LENGTH = 262_144;

    /** The pcapng interface of the current frame; null for classic pcap, which has none. */
    default CaptureInterface captureInterface() {
        return null;
    }

    /** Opens a classic pcap or pcapng file, detected by its magic number; CaptureFormatException if neither. */
    static CaptureReader open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return open(channel, CaptureInput.bufferSizeFor(channel.size()));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Reads a capture from a stream (for example standard input); the reader closes the stream. */
    static CaptureReader open(InputStream in) throws IOException {
        ReadableByteChannel channel = Channels.newChannel(in);
        try {
            return open(channel, CaptureInput.STREAM_BUFFER_SIZE);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static CaptureReader open(ReadableByteChannel channel, int bufferSize) throws IOException {
        CaptureInput input = new CaptureInput(channel, bufferSize);
        if (!input.request(4)) {
            throw new CaptureFormatException(0, input.available() == 0
                    ? "the file is empty, not a pcap or pcapng capture"
                    : "the file is only " + input.available() + " bytes long, too short for a pcap or pcapng capture");
        }
        int magic = input.int32(0, true);
        if (PcapReader.isMagic(magic)) {
            return new PcapReader(input);
        }
        if (magic == PcapngReader.SECTION_HEADER_BLOCK) {
            return new PcapngReader(input);
        }
        throw new CaptureFormatException(0, String.format(
                "magic number 0x%08x is neither classic pcap (a1b2c3d4 / a1b23c4d, either byte order) nor pcapng (0a0d0d0a)",
                magic));
    }

    /** Advances to the next frame. false at a clean end of file. On damage throws CaptureFormatException (after all good frames were returned). */
    boolean next() throws IOException;

    /** The frame bytes, valid from index 0 to {@link #capturedLength()}; a reused buffer that the next {@link #next()} overwrites. */
    byte[] data();

    /** Bytes of the frame that were captured and are valid in {@link #data()}. */
    int capturedLength();

    /** Length of the frame on the wire; larger than {@link #capturedLength()} when the capture cut it short. */
    int originalLength();

    /** Time the frame was captured, in nanoseconds since the Unix epoch (0 when the file records no time, as in a pcapng Simple Packet Block). */
    long timestampNanos();

    /**
     * How many decimals of the current frame's time the file records, as tshark's Time column shows them: 9 for
     * nanoseconds (pcap's nanosecond magic, a pcapng {@code if_tsresol} of 9), 6 for microseconds, else 3, 2, 1 or 0.
     * A resolution between two of these counts as the coarser one (units of 10^-7 s are shown to the microsecond,
     * 2^-10 s to the millisecond), as Wireshark's pcapng reader rounds it.
     */
    default int timestampPrecision() {
        return 6;
    }

    /**
     * What the current frame's pcapng Enhanced Packet Block options say (direction and other flags, drops, comments),
     * or null when it has none (and always in classic pcap).
     */
    default PacketBlockOptions packetOptions() {
        return null;
    }

    /** The frame's {@link LinkType} (in pcapng, the link type of the interface it was captured on). */
    int linkType();

    /** The file's format for people, e.g. {@code "pcap (microsecond, little-endian)"} or {@code "pcapng"}. */
    String format();
}
