/**
 * Bytes to meaning and back, one file per protocol, after smoltcp's {@code wire} module.
 *
 * <p>Rules every codec here follows:
 * <ul>
 *   <li>Two levels. A <em>view</em> ({@code Ipv4Packet.wrapChecked(bytes, offset, length)}) checks
 *       every length once; after that each accessor is a plain absolute big-endian read, with no
 *       copies. A <em>Repr</em> record holds only the meaningful fields: {@code parse(view)} validates
 *       meaning, {@code bufferLength()} says how much room {@code emit} needs, and {@code emit}
 *       writes the header, computing lengths and checksums.</li>
 *   <li>Header layouts are named offset constants, one per field, in RFC order.</li>
 *   <li>Wire codes are open ({@link dev.stacklab.wire.EtherType}, {@link dev.stacklab.wire.IpProtocol}):
 *       unknown values are kept, so parse then emit reproduces the input byte for byte.</li>
 *   <li>Addresses are small records over primitives, never over arrays.</li>
 *   <li>Bad input throws {@link dev.stacklab.wire.MalformedPacketException} naming layer, field and
 *       offset, and nothing else: no {@code IndexOutOfBoundsException} may escape a view.</li>
 *   <li>No state, no threads, no I/O, no logging.</li>
 * </ul>
 */
package dev.stacklab.wire;
