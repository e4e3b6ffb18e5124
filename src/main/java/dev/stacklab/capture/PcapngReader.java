package dev.stacklab.capture;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each {@code type, total length, body,
 * total length}. A Section Header Block starts each section and fixes its byte order; Interface
 * Description Blocks give each interface's link type and timestamp resolution; Enhanced, Simple and
 * (obsolete) Packet Blocks carry frames. Every other block is skipped by its length.
 */
final class PcapngReader extends CaptureFileReader {
    // Block types (section 10.1). The SHB type reads the same in both byte orders.
    static final int SECTION_HEADER_BLOCK = 0x0A0D0D0A;
    private static final int INTERFACE_DESCRIPTION_BLOCK = 0x00000001;
    private static final int OBSOLETE_PACKET_BLOCK = 0x00000002;
    private static final int SIMPLE_PACKET_BLOCK = 0x00000003;
    private static final int ENHANCED_PACKET_BLOCK = 0x00000006;

    // Generic block layout (section 3.1).
    private static final int BLOCK_TYPE = 0;
    private static final int BLOCK_TOTAL_LENGTH = 4;
    private static final int BLOCK_HEADER_LENGTH = 8;
    private static final int BLOCK_TRAILER_LENGTH = 4;
    private static final int MIN_BLOCK_LENGTH = BLOCK_HEADER_LENGTH + BLOCK_TRAILER_LENGTH;

    // Section Header Block (section 4.1), offsets from the block start.
    private static final int SHB_BYTE_ORDER_MAGIC = 8;
    private static final int SHB_MAJOR_VERSION = 12;
    private static final int SHB_MINOR_VERSION = 14;
    private static final int SHB_SECTION_LENGTH = 16;
    private static final int SHB_FIXED_LENGTH = 24;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    // Interface Description Block (section 4.2).
    private static final int IDB_LINK_TYPE = 8;
    private static final int IDB_RESERVED = 10;
    private static final int IDB_SNAP_LENGTH = 12;
    private static final int IDB_FIXED_LENGTH = 16;

    // Enhanced Packet Block (section 4.3).
    private static final int EPB_INTERFACE_ID = 8;
    private static final int EPB_TIMESTAMP_HIGH = 12;
    private static final int EPB_TIMESTAMP_LOW = 16;
    private static final int EPB_CAPTURED_LENGTH = 20;
    private static final int EPB_ORIGINAL_LENGTH = 24;
    private static final int EPB_FIXED_LENGTH = 28;

    // Simple Packet Block (section 4.4).
    private static final int SPB_ORIGINAL_LENGTH = 8;
    private static final int SPB_FIXED_LENGTH = 12;

    // Packet Block, obsolete (appendix A): as the EPB but a 16-bit interface id and a drops count.
    private static final int OPB_INTERFACE_ID = 8;
    private static final int OPB_DROPS_COUNT = 10;
    private static final int OPB_TIMESTAMP_HIGH = 12;
    private static final int OPB_TIMESTAMP_LOW = 16;
    private static final int OPB_CAPTURED_LENGTH = 20;
    private static final int OPB_ORIGINAL_LENGTH = 24;
    private static final int OPB_FIXED_LENGTH = 28;

    // Options (section 3.5): code, length, value padded to 32 bits.
    private static final int OPTION_HEADER_LENGTH = 4;
    private static final int OPT_ENDOFOPT = 0;
    private static final int IF_TSRESOL = 9;
    private static final int IF_NAME = 2;
    private static final int IF_DESCRIPTION = 3;
    private static final int IF_TSOFFSET = 14;
    // Enhanced Packet Block options (section 4.3.1); the obsolete Packet Block's pack_flags and pack_hash have the
    // same codes (appendix A).
    private static final int OPT_COMMENT = 1;
    private static final int EPB_FLAGS = 2;
    private static final int EPB_DROPCOUNT = 4;
    private static final int EPB_PACKETID = 5;
    private static final int EPB_QUEUE = 6;
    /** At most this many comments are kept per frame: each costs a String, and a damaged block may hold thousands. */
    static final int MAX_COMMENTS = 256;
    /** if_tsresol default: microseconds. */
    private static final int DEFAULT_RESOLUTION_EXPONENT = 6;
    private static final int TSRESOL_BINARY_FLAG = 0x80;

    /** 1 for the first section, as Wireshark counts them. */
    private int sectionNumber;
    /** The interface of the current frame. */
    private CaptureInterface frameInterface;
    /** Interfaces of the current section, by interface id. */
    private final List<PcapngInterface> interfaces = new ArrayList<>();
    private boolean bigEndian;

    private int linkType;
    private int timestampPrecision = 6;
    /** The current frame's block options, or null when it has none. */
    private PacketBlockOptions packetOptions;
    private boolean ended;

    PcapngReader(CaptureInput input) throws IOException {
        super(input);
        readSectionHeader(input.offset());
    }

    @Override
    public boolean next() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (ended) {
            return false;
        }
        while (true) {
            long blockOffset = input.offset();
            if (!input.request(BLOCK_HEADER_LENGTH)) {
                int left = input.available();
                if (left == 0) {
                    ended = true;
                    return false;
                }
                throw fail(blockOffset, "truncated block header: the file ends " + left + " bytes into the "
                        + BLOCK_HEADER_LENGTH + "-byte block type and length");
            }
            int type = input.int32(BLOCK_TYPE, bigEndian);
            switch (type) {
                case SECTION_HEADER_BLOCK -> readSectionHeader(blockOffset);
                case INTERFACE_DESCRIPTION_BLOCK -> readInterfaceDescription(blockOffset);
                case ENHANCED_PACKET_BLOCK -> {
                    readEnhancedPacket(blockOffset);
                    return true;
                }
                case SIMPLE_PACKET_BLOCK -> {
                    readSimplePacket(blockOffset);
                    return true;
                }
                case OBSOLETE_PACKET_BLOCK -> {
                    readObsoletePacket(blockOffset);
                    return true;
                }
                default -> {
                    long length = blockLength(blockOffset, MIN_BLOCK_LENGTH, "block of type 0x" + Integer.toHexString(type));
                    input.advance(BLOCK_HEADER_LENGTH);
                    skipRestOfBlock(blockOffset, length, BLOCK_HEADER_LENGTH);
                }
            }
        }
    }

    private void readSectionHeader(long blockOffset) throws IOException {
        if (!input.request(SHB_BYTE_ORDER_MAGIC + 4)) {
            throw truncated(blockOffset, "Section Header Block");
        }
        int magic = input.int32(SHB_BYTE_ORDER_MAGIC, true);
        if (magic == BYTE_ORDER_MAGIC) {
            bigEndian = true;
        } else if (magic == Integer.reverseBytes(BYTE_ORDER_MAGIC)) {
            bigEndian = false;
        } else {
            throw fail(blockOffset + SHB_BYTE_ORDER_MAGIC, String.format(
                    "Section Header Block byte-order magic is 0x%08x, not 1a2b3c4d in either byte order", magic));
        }
        long length = blockLength(blockOffset, SHB_FIXED_LENGTH + BLOCK_TRAILER_LENGTH, "Section Header Block");
        if (!input.request(SHB_FIXED_LENGTH)) {
            throw truncated(blockOffset, "Section Header Block");
        }
        int majorVersion = input.uint16(SHB_MAJOR_VERSION, bigEndian);
        int minorVersion = input.uint16(SHB_MINOR_VERSION, bigEndian);
        // Only major version 1 exists; a different one means the layout of everything after may differ.
        if (majorVersion != 1) {
            throw fail(blockOffset + SHB_MAJOR_VERSION, "unsupported pcapng version " + majorVersion + "." + minorVersion);
        }
        // SHB_SECTION_LENGTH may be -1 ("not known"); sections are found by their SHBs, so it is not needed.
        interfaces.clear();
        sectionNumber++;
        input.advance(SHB_FIXED_LENGTH);
        skipRestOfBlock(blockOffset, length, SHB_FIXED_LENGTH);
    }

    private void readInterfaceDescription(long blockOffset) throws IOException {
        long length = blockLength(blockOffset, IDB_FIXED_LENGTH + BLOCK_TRAILER_LENGTH, "Interface Description Block");
        if (!input.request(IDB_FIXED_LENGTH)) {
            throw truncated(blockOffset, "Interface Description Block");
        }
        int interfaceLinkType = input.uint16(IDB_LINK_TYPE, bigEndian);
        long snapLength = input.uint32(IDB_SNAP_LENGTH, bigEndian);
        input.advance(IDB_FIXED_LENGTH);

        int resolutionExponent = DEFAULT_RESOLUTION_EXPONENT;
        boolean binaryResolution = false;
        long offsetSeconds = 0;
        String name = null;
        String description = null;
        long optionsLeft = length - IDB_FIXED_LENGTH - BLOCK_TRAILER_LENGTH;
        while (optionsLeft >= OPTION_HEADER_LENGTH) {
            long optionOffset = input.offset();
            if (!input.request(OPTION_HEADER_LENGTH)) {
                throw truncated(blockOffset, "Interface Description Block");
            }
            int code = input.uint16(0, bigEndian);
            int valueLength = input.uint16(2, bigEndian);
            input.advance(OPTION_HEADER_LENGTH);
            optionsLeft -= OPTION_HEADER_LENGTH;
            if (code == OPT_ENDOFOPT) {
                break;
            }
            long paddedLength = (valueLength + 3) & ~3L;
            if (paddedLength > optionsLeft) {
                throw fail(optionOffset, "option " + code + " of the Interface Description Block at offset " + blockOffset
                        + " is " + valueLength + " bytes long, past the end of the block");
            }
            if (code == IF_TSRESOL && valueLength == 1) {
                if (!input.request(1)) {
                    throw truncated(blockOffset, "Interface Description Block");
                }
                int resolution = input.uint8(0);
                binaryResolution = (resolution & TSRESOL_BINARY_FLAG) != 0;
                resolutionExponent = resolution & ~TSRESOL_BINARY_FLAG;
            } else if (code == IF_TSOFFSET && valueLength == 8) {
                if (!input.request(8)) {
                    throw truncated(blockOffset, "Interface Description Block");
                }
                offsetSeconds = input.int64(0, bigEndian);
            } else if (code == IF_NAME || code == IF_DESCRIPTION) {
                byte[] text = new byte[valueLength];
                if (input.read(text, 0, valueLength) < valueLength) {
                    throw truncated(blockOffset, "Interface Description Block");
                }
                paddedLength -= valueLength;
                optionsLeft -= valueLength;
                if (code == IF_NAME) {
                    name = optionText(text);
                } else {
                    description = optionText(text);
                }
            }
            skipOrFail(paddedLength, blockOffset, "Interface Description Block");
            optionsLeft -= paddedLength;
        }
        skipOrFail(optionsLeft, blockOffset, "Interface Description Block");
        readTrailer(blockOffset, length);
        interfaces.add(new PcapngInterface(interfaceLinkType, snapLength, resolutionExponent, binaryResolution, offsetSeconds,
                name, description));
    }

    /** A string option's UTF-8 (section 3.5), without the NUL padding some writers put at its end. */
    private static String optionText(byte[] text) {
        int end = text.length;
        while (end > 0 && text[end - 1] == 0) {
            end--;
        }
        return new String(text, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void readEnhancedPacket(long blockOffset) throws IOException {
        long length = blockLength(blockOffset, EPB_FIXED_LENGTH + BLOCK_TRAILER_LENGTH, "Enhanced Packet Block");
        if (!input.request(EPB_FIXED_LENGTH)) {
            throw truncated(blockOffset, "Enhanced Packet Block");
        }
        readPacket(blockOffset, length, "Enhanced Packet Block", EPB_FIXED_LENGTH, EPB_INTERFACE_ID,
                input.uint32(EPB_INTERFACE_ID, bigEndian), EPB_TIMESTAMP_HIGH, EPB_TIMESTAMP_LOW, EPB_CAPTURED_LENGTH,
                EPB_ORIGINAL_LENGTH);
    }

    private void readObsoletePacket(long blockOffset) throws IOException {
        // OPB_DROPS_COUNT is of no use to a reader of frames.
        long length = blockLength(blockOffset, OPB_FIXED_LENGTH + BLOCK_TRAILER_LENGTH, "Packet Block");
        if (!input.request(OPB_FIXED_LENGTH)) {
            throw truncated(blockOffset, "Packet Block");
        }
        readPacket(blockOffset, length, "Packet Block", OPB_FIXED_LENGTH, OPB_INTERFACE_ID,
                input.uint16(OPB_INTERFACE_ID, bigEndian), OPB_TIMESTAMP_HIGH, OPB_TIMESTAMP_LOW, OPB_CAPTURED_LENGTH,
                OPB_ORIGINAL_LENGTH);
    }

    /**
     * EPB and the obsolete Packet Block differ only in the width of the interface id (32 and 16 bits);
     * the block's fixed part must have been requested.
     */
    private void readPacket(long blockOffset, long length, String blockName, int fixedLength, int interfaceIdField,
                            long interfaceId, int timestampHigh, int timestampLow, int capturedLengthField,
                            int originalLengthField) throws IOException {
        PcapngInterface captureInterface = interfaceOf(interfaceId, blockOffset + interfaceIdField, blockName);
        long units = (input.uint32(timestampHigh, bigEndian) << 32) | input.uint32(timestampLow, bigEndian);
        long captured = input.uint32(capturedLengthField, bigEndian);
        long original = input.uint32(originalLengthField, bigEndian);
        long room = length - fixedLength - BLOCK_TRAILER_LENGTH;
        if (captured > room) {
            throw fail(blockOffset + capturedLengthField, blockName + " claims " + captured
                    + " captured bytes but its length of " + length + " leaves room for " + room);
        }
        checkCapturedLength(blockOffset + capturedLengthField, captured);
        input.advance(fixedLength);
        readFrame(blockOffset, blockName, (int) captured);
        packetOptions = readPacketOptions(blockOffset, blockName, room - captured);
        readTrailer(blockOffset, length);
        originalLength = (int) Math.min(original, Integer.MAX_VALUE);
        timestampNanos = captureInterface.nanos(units);
        timestampPrecision = captureInterface.timestampPrecision();
        linkType = captureInterface.linkType();
        frameInterface = describe(captureInterface, (int) interfaceId);
    }

    /**
     * Reads the {@code left} bytes after a packet's data (its padding, then options to the end of the block's body):
     * the options Wireshark shows, or null when there are none. An option that cannot be read is a problem the
     * options name (the frame is sound, so it is still returned); the rest of the block is skipped, to its trailer.
     */
    private PacketBlockOptions readPacketOptions(long blockOffset, String blockName, long left) throws IOException {
        long padding = Math.min(left, (-capturedLength) & 3);
        skipOrFail(padding, blockOffset, blockName);
        left -= padding;
        if (left < OPTION_HEADER_LENGTH) {
            skipOrFail(left, blockOffset, blockName);
            return null;
        }
        Long flags = null;
        Long dropCount = null;
        Long packetId = null;
        Long queue = null;
        List<String> comments = List.of();
        List<String> problems = List.of();
        int commentsLeftOut = 0;
        while (left >= OPTION_HEADER_LENGTH) {
            if (!input.request(OPTION_HEADER_LENGTH)) {
                throw truncated(blockOffset, blockName);
            }
            int code = input.uint16(0, bigEndian);
            int valueLength = input.uint16(2, bigEndian);
            input.advance(OPTION_HEADER_LENGTH);
            left -= OPTION_HEADER_LENGTH;
            if (code == OPT_ENDOFOPT) {
                break;
            }
            long paddedLength = (valueLength + 3) & ~3L;
            if (valueLength > left) {
                problems = adding(problems, optionName(code) + " is " + valueLength + " bytes long, but only " + left
                        + " bytes of the block are left");
                break;
            }
            paddedLength = Math.min(paddedLength, left);
            String wrongLength = null;
            if (code == OPT_COMMENT) {
                byte[] text = new byte[valueLength];
                if (input.read(text, 0, valueLength) < valueLength) {
                    throw truncated(blockOffset, blockName);
                }
                paddedLength -= valueLength;
                left -= valueLength;
                if (comments.size() < MAX_COMMENTS) {
                    comments = adding(comments, optionText(text));
                } else {
                    commentsLeftOut++;
                }
            } else if (code == EPB_FLAGS || code == EPB_QUEUE) {
                if (valueLength == 4) {
                    requestOrFail(4, blockOffset, blockName);
                    if (code == EPB_FLAGS) {
                        flags = input.uint32(0, bigEndian);
                    } else {
                        queue = input.uint32(0, bigEndian);
                    }
                } else {
                    wrongLength = "4";
                }
            } else if (code == EPB_DROPCOUNT || code == EPB_PACKETID) {
                if (valueLength == 8) {
                    requestOrFail(8, blockOffset, blockName);
                    long value = input.int64(0, bigEndian);
                    if (code == EPB_DROPCOUNT) {
                        dropCount = value;
                    } else {
                        packetId = value;
                    }
                } else {
                    wrongLength = "8";
                }
            }
            if (wrongLength != null) {
                problems = adding(problems, optionName(code) + " is " + valueLength + " bytes long, not " + wrongLength);
            }
            skipOrFail(paddedLength, blockOffset, blockName);
            left -= paddedLength;
        }
        skipOrFail(left, blockOffset, blockName);
        if (commentsLeftOut > 0) {
            problems = adding(problems, commentsLeftOut + " more comments than the " + MAX_COMMENTS + " shown");
        }
        if (flags == null && dropCount == null && packetId == null && queue == null && comments.isEmpty() && problems.isEmpty()) {
            return null;
        }
        return new PacketBlockOptions(flags, dropCount, packetId, queue, comments, problems);
    }

    /** {@code list} with {@code item} added: a list made only for the frames that have options. */
    private static List<String> adding(List<String> list, String item) {
        List<String> grown = list.isEmpty() ? new ArrayList<>(2) : list;
        grown.add(item);
        return grown;
    }

    private static String optionName(int code) {
        return switch (code) {
            case OPT_COMMENT -> "option opt_comment (1)";
            case EPB_FLAGS -> "option epb_flags (2)";
            case EPB_DROPCOUNT -> "option epb_dropcount (4)";
            case EPB_PACKETID -> "option epb_packetid (5)";
            case EPB_QUEUE -> "option epb_queue (6)";
            default -> "option " + code;
        };
    }

    private CaptureInterface describe(PcapngInterface captureInterface, int interfaceId) {
        return new CaptureInterface(sectionNumber, interfaceId, captureInterface.name(), captureInterface.description());
    }

    private void readSimplePacket(long blockOffset) throws IOException {
        String blockName = "Simple Packet Block";
        long length = blockLength(blockOffset, SPB_FIXED_LENGTH + BLOCK_TRAILER_LENGTH, blockName);
        if (!input.request(SPB_FIXED_LENGTH)) {
            throw truncated(blockOffset, blockName);
        }
        // An SPB belongs to the section's first interface (section 4.4).
        PcapngInterface captureInterface = interfaceOf(0, blockOffset, blockName);
        long original = input.uint32(SPB_ORIGINAL_LENGTH, bigEndian);
        long room = length - SPB_FIXED_LENGTH - BLOCK_TRAILER_LENGTH;
        // The SPB has no captured length: it is the original length cut to the snap length and to the block.
        long captured = Math.min(original, room);
        if (captureInterface.snapLength() != 0) {
            captured = Math.min(captured, captureInterface.snapLength());
        }
        checkCapturedLength(blockOffset + SPB_ORIGINAL_LENGTH, captured);
        input.advance(SPB_FIXED_LENGTH);
        readFrame(blockOffset, blockName, (int) captured);
        // An SPB has no options (section 4.4).
        packetOptions = null;
        skipOrFail(room - captured, blockOffset, blockName);
        readTrailer(blockOffset, length);
        originalLength = (int) Math.min(original, Integer.MAX_VALUE);
        timestampNanos = 0;
        timestampPrecision = captureInterface.timestampPrecision();
        linkType = captureInterface.linkType();
        frameInterface = describe(captureInterface, 0);
    }

    private PcapngInterface interfaceOf(long interfaceId, long fieldOffset, String blockName) throws CaptureFormatException {
        if (interfaceId >= interfaces.size()) {
            throw fail(fieldOffset, blockName + " refers to interface " + interfaceId + " but the section describes "
                    + interfaces.size() + (interfaces.size() == 1 ? " interface" : " interfaces"));
        }
        return interfaces.get((int) interfaceId);
    }

    private void checkCapturedLength(long fieldOffset, long captured) throws CaptureFormatException {
        if (captured > MAX_CAPTURED_LENGTH) {
            throw fail(fieldOffset, "frame of " + captured + " captured bytes is more than the maximum of " + MAX_CAPTURED_LENGTH);
        }
    }

    private void readFrame(long blockOffset, String blockName, int length) throws IOException {
        int copied = input.read(frame.forLength(length), 0, length);
        if (copied < length) {
            throw truncated(blockOffset, blockName);
        }
        capturedLength = length;
    }

    /**
     * The block's total length, checked before anything else of the block is read: a multiple of 4
     * and at least {@code minimum}. The block header must have been requested.
     */
    private long blockLength(long blockOffset, int minimum, String blockName) throws CaptureFormatException {
        long length = input.uint32(BLOCK_TOTAL_LENGTH, bigEndian);
        if (length % 4 != 0) {
            throw fail(blockOffset + BLOCK_TOTAL_LENGTH, blockName + " length " + length + " is not a multiple of 4");
        }
        if (length < minimum) {
            throw fail(blockOffset + BLOCK_TOTAL_LENGTH, blockName + " length " + length
                    + " is less than the minimum of " + minimum);
        }
        return length;
    }

    private void skipRestOfBlock(long blockOffset, long length, int consumed) throws IOException {
        skipOrFail(length - consumed - BLOCK_TRAILER_LENGTH, blockOffset, "block");
        readTrailer(blockOffset, length);
    }

    private void requestOrFail(int count, long blockOffset, String blockName) throws IOException {
        if (!input.request(count)) {
            throw truncated(blockOffset, blockName);
        }
    }

    private void skipOrFail(long count, long blockOffset, String blockName) throws IOException {
        if (input.skip(count) < count) {
            throw truncated(blockOffset, blockName);
        }
    }

    /** The total length is repeated at the end of every block, so that a damaged length is noticed. */
    private void readTrailer(long blockOffset, long length) throws IOException {
        long trailerOffset = input.offset();
        if (!input.request(BLOCK_TRAILER_LENGTH)) {
            throw truncated(blockOffset, "block");
        }
        long repeated = input.uint32(0, bigEndian);
        if (repeated != length) {
            throw fail(trailerOffset, "the block at offset " + blockOffset + " starts with total length " + length
                    + " but ends with " + repeated);
        }
        input.advance(BLOCK_TRAILER_LENGTH);
    }

    private CaptureFormatException truncated(long blockOffset, String blockName) {
        return fail(blockOffset, "truncated " + blockName + ": the file ends at offset " + (input.offset() + input.available())
                + ", inside the block");
    }

    @Override
    public CaptureInterface captureInterface() {
        return frameInterface;
    }

    @Override
    public PacketBlockOptions packetOptions() {
        return packetOptions;
    }

    @Override
    public int timestampPrecision() {
        return timestampPrecision;
    }

    @Override
    public int linkType() {
        return linkType;
    }

    @Override
    public String format() {
        return "pcapng";
    }
}
