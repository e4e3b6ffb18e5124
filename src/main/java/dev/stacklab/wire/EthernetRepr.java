package dev.stacklab.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * The meaning of an Ethernet II header: addresses, VLAN tags (outermost first) and the payload's
 * EtherType. The payload is not part of the Repr: the caller emits it after {@link #headerLength()}.
 */
public record EthernetRepr(MacAddress destination, MacAddress source, List<VlanTag> tags, EtherType etherType) {

    public EthernetRepr {
        tags = List.copyOf(tags);
    }

    public EthernetRepr(MacAddress destination, MacAddress source, EtherType etherType) {
        this(destination, source, List.of(), etherType);
    }

    public static EthernetRepr parse(EthernetFrame frame) {
        List<VlanTag> tags = new ArrayList<>(frame.tagCount());
        for (int i = 0; i < frame.tagCount(); i++) {
            tags.add(frame.tag(i));
        }
        return new EthernetRepr(frame.destination(), frame.source(), tags, frame.etherType());
    }

    public int headerLength() {
        return EthernetFrame.HEADER_LENGTH + tags.size() * VlanTag.LENGTH;
    }

    /** Room the header needs; the payload follows it. */
    public int bufferLength() {
        return headerLength();
    }

    /** Writes the header at {@code offset}; returns the offset where the payload goes. */
    public int emit(byte[] buffer, int offset) {
        destination.write(buffer, offset + EthernetFrame.DESTINATION);
        source.write(buffer, offset + EthernetFrame.SOURCE);
        int at = offset + EthernetFrame.TYPE;
        for (VlanTag tag : tags) {
            BigEndian.putU16(buffer, at, tag.tpid());
            BigEndian.putU16(buffer, at + 2, tag.tci());
            at += VlanTag.LENGTH;
        }
        BigEndian.putU16(buffer, at, etherType.value());
        return at + 2;
    }
}
