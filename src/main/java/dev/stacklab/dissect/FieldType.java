package dev.stacklab.dissect;

/** The kind of value a field holds, which decides how it is printed (Wireshark's {@code ftenum}). */
public enum FieldType {
    /** A protocol layer ("ip", "tcp"); its node heads the layer's subtree. */
    PROTOCOL,
    /** A line of text with no value of its own (Wireshark FT_NONE), e.g. an option's heading. */
    NONE,
    /** An unsigned integer, printed in decimal or hex per the field's {@link FieldDef.Base}. */
    UINT,
    /** A signed integer, printed in decimal. */
    INT,
    /** A flag: printed {@code 1}/{@code 0} in field output, "Set"/"Not set" in the tree. */
    BOOLEAN,
    /** A 48-bit MAC address held in the node's value. */
    MAC,
    /** An IPv4 address held in the node's value (network order bits). */
    IPV4,
    /** An IPv6 address held in the node's object ({@link dev.stacklab.wire.Ipv6Address}), printed as RFC 5952 text. */
    IPV6,
    /** Raw bytes, printed as lower-case hex without separators, as tshark prints them. */
    BYTES,
    /** Text. */
    STRING,
    /** A reference to another frame's number. */
    FRAMENUM,
    /** A duration or time stamp in nanoseconds, printed as seconds with nine decimals. */
    TIME_NANOS,
}
