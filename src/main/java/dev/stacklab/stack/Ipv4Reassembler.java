package dev.stacklab.stack;

import dev.stacklab.wire.BigEndian;
import dev.stacklab.wire.Checksum;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Packet;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IPv4 reassembly (RFC 791 section 3.2, with RFC 815's hole list). Fragments are grouped by source,
 * destination, protocol and identification; they may come in any order, twice, or overlapping. Data
 * only ever fills holes: a byte once received is kept, so overlapping fragments cannot rewrite what
 * an earlier one said (RFC 815 section 3, and the overlap attacks of RFC 1858). The timer starts with
 * the first fragment and is not restarted by later ones (RFC 1122 3.3.2); memory is capped
 * (Linux's ipfrag_high_thresh is 4 MiB), the oldest datagrams making room for new ones.
 */
final class Ipv4Reassembler {
    static final int DEFAULT_MEMORY_LIMIT = 4 * 1024 * 1024;
    static final int MAX_DATAGRAMS = 64;
    private static final int MAX_DATA = 0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH;

    private record Key(int source, int destination, int protocol, int identification) {
    }

    private static final class Datagram {
        final Key key;
        final long deadline;
        /** Fires at {@link #deadline} unless the datagram completed or was discarded first. */
        TimerQueue.Timer timer;
        /** The header of the fragment at offset 0, once it came (RFC 791: it becomes the datagram's header). */
        byte[] firstHeader;
        byte[] data = new byte[0];
        /** Received ranges [start, end) in data, sorted and merged: the complement is RFC 815's hole list. */
        int[] ranges = new int[8];
        int rangeCount;
        /** The data length, known once the last fragment (MF clear) came; -1 before. */
        int totalDataLength = -1;

        Datagram(Key key, long deadline) {
            this.key = key;
            this.deadline = deadline;
        }

        boolean complete() {
            return totalDataLength >= 0 && rangeCount == 1 && ranges[0] == 0 && ranges[1] == totalDataLength;
        }

        int highestEnd() {
            return rangeCount == 0 ? 0 : ranges[2 * rangeCount - 1];
        }
    }

    private final NetStack stack;
    private final long timeoutNanos;
    private int memoryLimit;
    private final Map<Key, Datagram> datagrams = new LinkedHashMap<>();
    private int memoryUsed;

    Ipv4Reassembler(NetStack stack) {
        this(stack, DEFAULT_MEMORY_LIMIT);
    }

    Ipv4Reassembler(NetStack stack, int memoryLimit) {
        this.stack = stack;
        this.timeoutNanos = stack.config().reassemblyTimeoutNanos();
        this.memoryLimit = memoryLimit;
    }

    /** Lowers or raises the memory cap (tests, and a future setting). */
    void limitMemory(int bytes) {
        this.memoryLimit = bytes;
    }

    int memoryUsed() {
        return memoryUsed;
    }

    int datagramsInProgress() {
        return datagrams.size();
    }

    /**
     * Adds one fragment (a checked datagram for us, the header already verified).
     *
     * @return the whole datagram, header first, when this fragment completed it; else null
     */
    byte[] add(byte[] buffer, int ipOffset, Ipv4Packet packet, long now) {
        int headerLength = packet.headerLength();
        int dataLength = packet.totalLength() - headerLength;
        int start = packet.fragmentOffset();
        int end = start + dataLength;
        boolean more = packet.moreFragments();
        if (more && dataLength % 8 != 0) {
            stack.dropReceived(now, DropReason.MALFORMED, "fragment with MF set carries " + dataLength + " bytes, not a multiple of 8 (RFC 791)");
            return null;
        }
        if (end > MAX_DATA || (more && dataLength == 0)) {
            stack.dropReceived(now, DropReason.MALFORMED, "fragment at " + start + " of " + dataLength + " bytes cannot be part of a datagram");
            return null;
        }
        Key key = new Key(packet.source().bits(), packet.destination().bits(), BigEndian.u8(buffer, ipOffset + Ipv4Packet.PROTOCOL),
                packet.identification());
        Datagram datagram = datagrams.get(key);
        if (datagram == null) {
            if (datagrams.size() >= MAX_DATAGRAMS) {
                evictOldest(now);
            }
            datagram = new Datagram(key, now + timeoutNanos);
            Datagram expiring = datagram;
            datagram.timer = stack.timers.newTimer(at -> expire(expiring, at));
            datagram.timer.schedule(datagram.deadline);
            datagrams.put(key, datagram);
        }
        // The last fragment fixes the length; every other fragment must agree with it.
        if (!more) {
            if ((datagram.totalDataLength >= 0 && datagram.totalDataLength != end) || datagram.highestEnd() > end) {
                discard(key, datagram);
                stack.dropReceived(now, DropReason.MALFORMED, "fragments disagree on the datagram's length");
                return null;
            }
            datagram.totalDataLength = end;
        } else if (datagram.totalDataLength >= 0 && end > datagram.totalDataLength) {
            discard(key, datagram);
            stack.dropReceived(now, DropReason.MALFORMED, "fragment runs past the end the last fragment gave");
            return null;
        }
        if (!reserve(key, datagram, end, now)) {
            return null;
        }
        if (start == 0 && datagram.firstHeader == null) {
            datagram.firstHeader = Arrays.copyOfRange(buffer, ipOffset, ipOffset + headerLength);
        }
        fillHoles(datagram, buffer, ipOffset + headerLength, start, end);
        if (!datagram.complete()) {
            return null;
        }
        discard(key, datagram);
        return assemble(datagram);
    }

    /** Grows the datagram's buffer to hold {@code end} bytes, within the memory cap. */
    private boolean reserve(Key key, Datagram datagram, int end, long now) {
        int capacity = datagram.data.length;
        if (end <= capacity) {
            return true;
        }
        int wanted = datagram.totalDataLength >= 0 ? datagram.totalDataLength : Math.min(MAX_DATA, Math.max(end, capacity * 2));
        int growth = wanted - capacity;
        while (memoryUsed + growth > memoryLimit && evictOldestExcept(key, now)) {
            // Linux's frag evictor, in miniature: the oldest incomplete datagrams go first.
        }
        if (memoryUsed + growth > memoryLimit) {
            discard(key, datagram);
            stack.dropReceived(now, DropReason.REASSEMBLY_MEMORY, "reassembly needs " + (memoryUsed + growth)
                    + " bytes, the limit is " + memoryLimit);
            return false;
        }
        datagram.data = Arrays.copyOf(datagram.data, wanted);
        memoryUsed += growth;
        return true;
    }

    /** Copies only the parts of [start, end) that are still holes, then merges the range in. */
    private static void fillHoles(Datagram datagram, byte[] buffer, int dataOffset, int start, int end) {
        int cursor = start;
        int[] ranges = datagram.ranges;
        for (int i = 0; i < datagram.rangeCount && cursor < end; i++) {
            int rangeStart = ranges[2 * i];
            int rangeEnd = ranges[2 * i + 1];
            if (rangeEnd <= cursor) {
                continue;
            }
            if (rangeStart > cursor) {
                int holeEnd = Math.min(rangeStart, end);
                System.arraycopy(buffer, dataOffset + cursor - start, datagram.data, cursor, holeEnd - cursor);
            }
            cursor = Math.max(cursor, rangeEnd);
        }
        if (cursor < end) {
            System.arraycopy(buffer, dataOffset + cursor - start, datagram.data, cursor, end - cursor);
        }
        insertRange(datagram, start, end);
    }

    private static void insertRange(Datagram datagram, int start, int end) {
        if (start == end) {
            return;
        }
        int[] ranges = datagram.ranges;
        int count = datagram.rangeCount;
        int[] merged = new int[2 * count + 2];
        int out = 0;
        boolean placed = false;
        for (int i = 0; i < count; i++) {
            int rangeStart = ranges[2 * i];
            int rangeEnd = ranges[2 * i + 1];
            if (rangeEnd < start) {
                merged[out++] = rangeStart;
                merged[out++] = rangeEnd;
            } else if (rangeStart > end) {
                if (!placed) {
                    merged[out++] = start;
                    merged[out++] = end;
                    placed = true;
                }
                merged[out++] = rangeStart;
                merged[out++] = rangeEnd;
            } else {
                start = Math.min(start, rangeStart);
                end = Math.max(end, rangeEnd);
            }
        }
        if (!placed) {
            merged[out++] = start;
            merged[out++] = end;
        }
        datagram.ranges = merged;
        datagram.rangeCount = out / 2;
    }

    private static byte[] assemble(Datagram datagram) {
        byte[] header = datagram.firstHeader;
        int headerLength = header.length;
        byte[] whole = new byte[headerLength + datagram.totalDataLength];
        System.arraycopy(header, 0, whole, 0, headerLength);
        System.arraycopy(datagram.data, 0, whole, headerLength, datagram.totalDataLength);
        BigEndian.putU16(whole, Ipv4Packet.TOTAL_LENGTH, whole.length);
        int flags = BigEndian.u16(whole, Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET) & (Ipv4Packet.FLAG_RESERVED | Ipv4Packet.FLAG_DONT_FRAGMENT);
        BigEndian.putU16(whole, Ipv4Packet.FLAGS_AND_FRAGMENT_OFFSET, flags);
        BigEndian.putU16(whole, Ipv4Packet.HEADER_CHECKSUM, 0);
        BigEndian.putU16(whole, Ipv4Packet.HEADER_CHECKSUM, Checksum.compute(whole, 0, headerLength));
        return whole;
    }

    private void discard(Key key, Datagram datagram) {
        datagrams.remove(key);
        datagram.timer.cancel();
        memoryUsed -= datagram.data.length;
    }

    private void evictOldest(long now) {
        evictOldestExcept(null, now);
    }

    private boolean evictOldestExcept(Key keep, long now) {
        Iterator<Map.Entry<Key, Datagram>> it = datagrams.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Datagram> oldest = it.next();
            if (oldest.getKey().equals(keep)) {
                continue;
            }
            it.remove();
            oldest.getValue().timer.cancel();
            memoryUsed -= oldest.getValue().data.length;
            stack.dropOutgoing(now, DropReason.REASSEMBLY_MEMORY, "incomplete datagram id 0x"
                    + Integer.toHexString(oldest.getKey().identification()) + " evicted to make room", null);
            return true;
        }
        return false;
    }

    /**
     * A datagram's timer fired: it is dropped. RFC 1122 3.3.2: when fragment zero had come, a host SHOULD send Time
     * Exceeded code 1 ("fragment reassembly time exceeded") quoting it.
     */
    private void expire(Datagram datagram, long now) {
        Key key = datagram.key;
        datagrams.remove(key);
        memoryUsed -= datagram.data.length;
        stack.dropOutgoing(now, DropReason.REASSEMBLY_TIMEOUT, "datagram id 0x" + Integer.toHexString(key.identification())
                + " from " + new Ipv4Address(key.source()) + " incomplete after " + timeoutNanos / 1_000_000_000L + " s", null);
        if (datagram.firstHeader != null) {
            int quotedData = Math.min(8, datagram.highestEnd() == 0 ? 0 : datagram.ranges[1]);
            byte[] quote = new byte[datagram.firstHeader.length + quotedData];
            System.arraycopy(datagram.firstHeader, 0, quote, 0, datagram.firstHeader.length);
            System.arraycopy(datagram.data, 0, quote, datagram.firstHeader.length, quotedData);
            stack.icmp.sendTimeExceeded(IcmpLayer.CODE_REASSEMBLY_TIME_EXCEEDED, quote, now);
        }
    }
}
