package dev.stacklab.wire;

/**
 * The one exception every codec throws for bad input. It names the layer, the field and the byte
 * offset (from the start of the buffer the view was given) so that the stack can count the drop and
 * the dissector can say exactly what is wrong in its {@code [Malformed Packet]} node.
 */
public final class MalformedPacketException extends Exception {
    private final String layer;
    private final String field;
    private final int offset;

    public MalformedPacketException(String layer, String field, int offset, String problem) {
        super(layer + ": " + problem + " (" + field + " at offset " + offset + ")", null, false, false);
        this.layer = layer;
        this.field = field;
        this.offset = offset;
    }

    /** Protocol that rejected the bytes, e.g. {@code "IPv4"}. */
    public String layer() {
        return layer;
    }

    /** Wireshark-style name of the offending field, e.g. {@code "ip.hdr_len"}. */
    public String field() {
        return field;
    }

    /** Byte offset of the offending field within the buffer that was parsed. */
    public int offset() {
        return offset;
    }
}
