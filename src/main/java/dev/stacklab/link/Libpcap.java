package dev.stacklab.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.pcap4j.core.PcapHandle;

import java.lang.reflect.Field;

/**
 * libpcap's two data-path calls, {@code pcap_next_ex} and {@code pcap_sendpacket}, bound with JNA direct mapping on
 * the {@code pcap_t} of a handle pcap4j opened. pcap4j's own calls allocate native memory with a cleaner, a header
 * object and a {@code Timestamp} for every frame, and copy every sent frame into fresh native memory: at a hundred
 * thousand frames a second that was a large share of the stack's CPU. Opening, options, filters and closing stay
 * with pcap4j.
 */
final class Libpcap {
    static {
        Native.register(Libpcap.class, NativeLibrary.getInstance("pcap"));
    }

    /** {@code struct pcap_pkthdr} on LP64: a 16-byte {@code struct timeval}, then caplen and len (pcap/pcap.h). */
    static final int HEADER_SECONDS = 0;
    static final int HEADER_SUBSECONDS = 8;
    static final int HEADER_CAPTURED_LENGTH = 16;
    /** pcap_next_ex: 1 a frame, 0 the timeout expired, -1 an error, -2 pcap_breakloop was called. */
    static final int NEXT_FRAME = 1;
    static final int NEXT_TIMEOUT = 0;
    static final int NEXT_BREAK = -2;

    private Libpcap() {
    }

    static native int pcap_next_ex(Pointer pcap, Pointer header, Pointer data);

    static native int pcap_sendpacket(Pointer pcap, Pointer buffer, int size);

    static native String pcap_geterr(Pointer pcap);

    /** The {@code pcap_t} behind a pcap4j handle (its private field {@code handle}); null when it cannot be read. */
    static Pointer pcapOf(PcapHandle handle) {
        try {
            Field field = PcapHandle.class.getDeclaredField("handle");
            field.setAccessible(true);
            return (Pointer) field.get(handle);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Two pointer-sized slots pcap_next_ex writes its header and data pointers into, reused for every frame. */
    static Memory pointerSlots() {
        return new Memory(2L * Native.POINTER_SIZE);
    }

    static boolean lp64() {
        return Native.POINTER_SIZE == 8 && Native.LONG_SIZE == 8;
    }
}
