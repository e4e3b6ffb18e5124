package dev.stacklab.dissect;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IPv4 fragments held until their datagram is complete, for display: RFC 791 section 3.2
 * reassembly as Wireshark does it in one pass. A datagram is identified by source, destination,
 * protocol and identification (RFC 791: "the same identifier, source, destination and protocol");
 * it is complete once the fragments cover every byte from 0 to the end announced by the fragment
 * without MF. Duplicates and overlaps are accepted and flagged; where overlapping data differs, the
 * fragment later in offset order wins, as in Wireshark, and the conflict is flagged.
 *
 * <p>The table is bounded: at most {@link #MAX_DATAGRAMS} datagrams in progress holding at most
 * {@link #MAX_BYTES} bytes; beyond that the oldest datagram is dropped. A completed datagram leaves
 * the table, so a late duplicate starts a new, incomplete one (as in Wireshark).
 */
final class Ipv4Reassembly {
    static final int MAX_DATAGRAMS = 1024;
    static final int MAX_BYTES = 16 * 1024 * 1024;
    /** The largest datagram IPv4 can describe (RFC 791: total length is 16 bits). */
    static final int MAX_DATAGRAM_LENGTH = 65535;

    /** One fragment as it arrived. */
    static final class Fragment {
        final int frameNumber;
        final int offset;
        final int length;
        final byte[] bytes;
        boolean overlap;
        boolean overlapConflict;

        Fragment(int frameNumber, int offset, byte[] bytes) {
            this.frameNumber = frameNumber;
            this.offset = offset;
            this.length = bytes.length;
            this.bytes = bytes;
        }

        int end() {
            return offset + length;
        }
    }

    /** A datagram put together from its fragments, in offset order. */
    record Reassembled(byte[] bytes, List<Fragment> fragments) {
    }

    /** The fields under a reassembled datagram's fragment list, by protocol (ip.* or ipv6.*, named as tshark names them). */
    record FragmentFields(FieldDef fragment, FieldDef overlap, FieldDef overlapConflict, FieldDef count,
                          FieldDef reassembledLength, FieldDef reassembledData) {
    }

    /** The fragment list's heading as tshark shows it: "2 IPv4 Fragments (3008 bytes): #5(1480), #6(1480)". */
    static String fragmentsHeading(Reassembled whole, String protocolName) {
        List<Fragment> fragments = whole.fragments();
        StringBuilder heading = new StringBuilder(64).append(fragments.size()).append(' ').append(protocolName)
                .append(" Fragments (").append(whole.bytes().length).append(" bytes): ");
        for (int i = 0; i < fragments.size(); i++) {
            Fragment fragment = fragments.get(i);
            heading.append(i == 0 ? "#" : ", #").append(fragment.frameNumber).append('(').append(fragment.length).append(')');
        }
        return heading.toString();
    }

    /** Under the fragment list: one node per fragment (with its overlap notes), the count, the length and the data. */
    static void addFragments(DissectionContext ctx, FieldNode list, Reassembled whole, FragmentFields fields) {
        for (Fragment fragment : whole.fragments()) {
            FieldNode node = ctx.add(list, fields.fragment(), fragment.offset, fragment.length, fragment.frameNumber).generated()
                    .text("Frame: " + fragment.frameNumber + ", payload: " + fragment.offset + "-" + (fragment.end() - 1)
                            + " (" + fragment.length + " bytes)");
            if (fragment.overlap) {
                ctx.add(node, fields.overlap(), fragment.offset, 0, 1).generated().text("Fragment overlap: True");
            }
            if (fragment.overlapConflict) {
                ctx.add(node, fields.overlapConflict(), fragment.offset, 0, 1).generated()
                        .text("Conflicting data in fragment overlap: True");
            }
        }
        ctx.add(list, fields.count(), 0, 0, whole.fragments().size()).generated();
        ctx.add(list, fields.reassembledLength(), 0, 0, whole.bytes().length).generated();
        ctx.addBytes(list, fields.reassembledData(), 0, whole.bytes().length).generated();
    }

    private record Key(int source, int destination, int protocol, int identification) {
    }

    private static final class Pending {
        final List<Fragment> fragments = new ArrayList<>(4);
        /** End of the datagram, known once the fragment without MF has arrived; -1 until then. */
        int end = -1;
        int bytes;
    }

    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private int heldBytes;

    /**
     * Adds a fragment's payload (copied). Returns the datagram when this fragment completes it,
     * else null.
     */
    Reassembled add(int source, int destination, int protocol, int identification, int frameNumber, int fragmentOffset,
                    boolean moreFragments, byte[] data, int payloadOffset, int payloadLength) {
        if (fragmentOffset + payloadLength > MAX_DATAGRAM_LENGTH) {
            return null;
        }
        Key key = new Key(source, destination, protocol, identification);
        Pending datagram = pending.get(key);
        if (datagram == null) {
            datagram = new Pending();
            pending.put(key, datagram);
        }
        byte[] copy = new byte[payloadLength];
        System.arraycopy(data, payloadOffset, copy, 0, payloadLength);
        datagram.fragments.add(new Fragment(frameNumber, fragmentOffset, copy));
        datagram.bytes += payloadLength;
        heldBytes += payloadLength;
        if (!moreFragments) {
            datagram.end = fragmentOffset + payloadLength;
        }
        Reassembled done = tryComplete(datagram);
        if (done != null) {
            pending.remove(key);
            heldBytes -= datagram.bytes;
        } else {
            evictBeyondBounds();
        }
        return done;
    }

    int datagramsInProgress() {
        return pending.size();
    }

    int bytesHeld() {
        return heldBytes;
    }

    private static Reassembled tryComplete(Pending datagram) {
        if (datagram.end < 0) {
            return null;
        }
        List<Fragment> sorted = new ArrayList<>(datagram.fragments);
        // Stable: equal offsets stay in arrival order, so a duplicate is the one flagged.
        sorted.sort((a, b) -> Integer.compare(a.offset, b.offset));
        int covered = 0;
        for (Fragment fragment : sorted) {
            if (fragment.offset > covered) {
                return null;
            }
            covered = Math.max(covered, fragment.end());
        }
        if (covered < datagram.end) {
            return null;
        }
        byte[] bytes = new byte[datagram.end];
        int written = 0;
        for (Fragment fragment : sorted) {
            int copyLength = Math.min(fragment.length, datagram.end - fragment.offset);
            if (copyLength <= 0) {
                continue;
            }
            if (fragment.offset < written) {
                fragment.overlap = true;
                int overlapLength = Math.min(written, fragment.offset + copyLength) - fragment.offset;
                for (int i = 0; i < overlapLength; i++) {
                    if (bytes[fragment.offset + i] != fragment.bytes[i]) {
                        fragment.overlapConflict = true;
                        break;
                    }
                }
            }
            System.arraycopy(fragment.bytes, 0, bytes, fragment.offset, copyLength);
            written = Math.max(written, fragment.offset + copyLength);
        }
        return new Reassembled(bytes, sorted);
    }

    private void evictBeyondBounds() {
        Iterator<Map.Entry<Key, Pending>> oldest = pending.entrySet().iterator();
        while ((pending.size() > MAX_DATAGRAMS || heldBytes > MAX_BYTES) && oldest.hasNext()) {
            heldBytes -= oldest.next().getValue().bytes;
            oldest.remove();
        }
    }
}
