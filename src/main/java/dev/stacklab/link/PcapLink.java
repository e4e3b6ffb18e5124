package dev.stacklab.link;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.stacklab.wire.MacAddress;
import java.io.EOFException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.Pcaps;

/**
 * A link over a live interface through libpcap (pcap4j): the stack sends and receives raw Ethernet frames
 * beside the kernel, using its own MAC and IP addresses.
 *
 * <p>How the handle is opened, and why:
 * <ul>
 *   <li>immediate mode: frames are delivered as they arrive instead of when a buffer block fills or the read
 *       timeout expires (median capture latency about 57 µs instead of about the timeout), which is what an
 *       RTT measurement needs;</li>
 *   <li>promiscuous: the stack answers to its own MAC address, which the interface does not know;</li>
 *   <li>direction IN: libpcap also captures the frames going out of the interface (the host's own traffic,
 *       other programs' frames), and the stack must only receive what arrives from the wire. (Linux does not
 *       loop a packet socket's own frames back to that socket; the direction filter covers everyone else's.)</li>
 *   <li>a 64 MiB kernel buffer, so that a burst (a ping flood) is queued rather than dropped, and a snapshot
 *       length of 262144 so that no frame is cut;</li>
 *   <li>a short read timeout, so that the reader thread sees {@link #close} within a fraction of a second even
 *       when no frame arrives.</li>
 * </ul>
 * Frames are read as raw {@code byte[]} with {@code getNextRawPacketEx}: pcap4j's packet factory is never in the
 * data path. Each frame is stamped with the kernel's capture time at nanosecond precision
 * ({@link #onMonotonicClock}), not with the time the reader thread got to it.
 *
 * <p>{@link #openCapture} opens the same handle in capture mode instead, for watching an interface: both
 * directions, and an optional BPF filter applied in the kernel.
 */
public final class PcapLink implements Link {
    static final int SNAPSHOT_LENGTH = 262_144;
    static final int BUFFER_BYTES = 64 << 20;
    static final int READ_TIMEOUT_MILLIS = 50;
    private static final long JOIN_MILLIS = 1000;

    private final String interfaceName;
    private final MacAddress hardwareAddress;
    private final int mtu;
    private final PcapHandle handle;
    private final Object sendLock = new Object();
    /** The handle's pcap_t for {@link Libpcap}'s direct calls; null where it cannot be had (then pcap4j's calls). */
    private final Pointer pcap;
    /** Native memory each sent frame is copied into; guarded by {@link #sendLock}. */
    private Memory sendBuffer = new Memory(1514);
    private volatile LinkEventListener events = LinkEventListener.IGNORE;
    private volatile boolean running;
    private volatile boolean closed;
    private Thread reader;

    private PcapLink(String interfaceName, MacAddress hardwareAddress, int mtu, PcapHandle handle) {
        this.interfaceName = interfaceName;
        this.hardwareAddress = hardwareAddress;
        this.mtu = mtu;
        this.handle = handle;
        this.pcap = directPcap(handle);
    }

    /** The pcap_t for the direct calls, or null to stay with pcap4j's (not LP64, or the binding cannot be made). */
    private static Pointer directPcap(PcapHandle handle) {
        try {
            return Libpcap.lp64() ? Libpcap.pcapOf(handle) : null;
        } catch (LinkageError e) {
            return null;
        }
    }

    /**
     * Opens a live capture-and-send handle on an Ethernet interface.
     *
     * @throws LinkException with a one-line message naming the fix when the interface does not exist, libpcap is
     *     missing, the process lacks root or CAP_NET_RAW, or the interface is not Ethernet
     */
    public static PcapLink open(String interfaceName) throws LinkException {
        return open(interfaceName, PcapHandle.PcapDirection.IN, null);
    }

    /**
     * Opens a handle in capture mode, for watching an interface as Wireshark does: frames in both directions (the
     * host's own traffic too), optionally only those a BPF filter passes. No stack is meant to sit on it; the
     * frames the host sends come back to the receiver like any other.
     *
     * <p>libpcap does not say per frame which way it went on Linux (the packet socket knows, but pcap's header has
     * no field for it), so a watcher tells the directions apart by the source MAC against
     * {@link #hardwareAddress()}.
     *
     * @param captureFilter a BPF expression in tcpdump's language ({@code "icmp or arp"}), or null or blank for all
     * @throws LinkException as {@link #open(String)}, and when the filter does not compile, naming the filter
     *     and libpcap's reason
     */
    public static PcapLink openCapture(String interfaceName, String captureFilter) throws LinkException {
        return open(interfaceName, PcapHandle.PcapDirection.INOUT, captureFilter);
    }

    private static PcapLink open(String interfaceName, PcapHandle.PcapDirection direction, String captureFilter)
            throws LinkException {
        InterfaceInfo info = InterfaceInfo.byName(interfaceName)
                .orElseThrow(() -> unknownInterface(interfaceName));
        requireLibpcap();
        PcapHandle handle;
        try {
            handle = new PcapHandle.Builder(interfaceName)
                    .snaplen(SNAPSHOT_LENGTH)
                    .promiscuousMode(PromiscuousMode.PROMISCUOUS)
                    .timeoutMillis(READ_TIMEOUT_MILLIS)
                    .bufferSize(BUFFER_BYTES)
                    .immediateMode(true)
                    .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                    .direction(direction)
                    .build();
        } catch (PcapNativeException e) {
            throw explainOpenFailure(interfaceName, e);
        }
        int linkType = handle.getDlt().value();
        if (linkType != DLT_EN10MB) {
            handle.close();
            throw new LinkException("interface " + interfaceName + " is not an Ethernet interface (libpcap link type "
                    + linkType + "); stacklab needs Ethernet framing: use a veth, a TAP device or a wired/bridged interface");
        }
        if (captureFilter != null && !captureFilter.isBlank()) {
            try {
                handle.setFilter(captureFilter, BpfProgram.BpfCompileMode.OPTIMIZE);
            } catch (PcapNativeException | NotOpenException e) {
                handle.close();
                throw new LinkException("invalid capture filter '" + captureFilter + "': " + filterError(e)
                        + "; it is a BPF expression as tcpdump takes, e.g. 'icmp or arp' or 'host 10.0.0.1 and udp port 7'");
            }
        }
        return new PcapLink(interfaceName, info.mac(), info.mtu() > 0 ? info.mtu() : 1500, handle);
    }

    /** libpcap's own words, without pcap4j's prefix ("Error occurred in pcap_compile: ..."). */
    private static String filterError(Exception e) {
        String message = String.valueOf(e.getMessage());
        int colon = message.indexOf(": ");
        return message.startsWith("Error occurred in pcap_compile") && colon >= 0 ? message.substring(colon + 2) : message;
    }

    /** Every interface of this host, for choosing one (works without root and without libpcap). */
    public static java.util.List<InterfaceInfo> listInterfaces() {
        return InterfaceInfo.list();
    }

    private static final int DLT_EN10MB = 1;
    // libpcap's pcap_activate() results (pcap/pcap.h).
    private static final int PCAP_ERROR_NO_SUCH_DEVICE = -5;
    private static final int PCAP_ERROR_PERM_DENIED = -8;
    private static final int PCAP_ERROR_IFACE_NOT_UP = -9;

    private static LinkException unknownInterface(String interfaceName) {
        return new LinkException("no interface named '" + interfaceName + "'; interfaces here: " + InterfaceInfo.namesForMessage());
    }

    /**
     * Loads libpcap now, so that its absence is one clear line rather than an UnsatisfiedLinkError from deep
     * inside pcap4j's static initializer. JNA finds the versioned libpcap.so.0.8, so the runtime package is
     * enough; the -dev package is not needed.
     */
    static void requireLibpcap() throws LinkException {
        try {
            Pcaps.libVersion();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError | ExceptionInInitializerError e) {
            // JNA's message lists every path it tried; its first line is the one that says what is missing.
            String detail = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip().replaceFirst(":$", "");
            throw new LinkException("libpcap is not installed or cannot be loaded (" + detail
                    + "); install it with: sudo apt install libpcap0.8");
        }
    }

    private static LinkException explainOpenFailure(String interfaceName, PcapNativeException e) {
        Integer code = e.getReturnCode();
        String detail = e.getMessage() == null ? "" : e.getMessage();
        String lower = detail.toLowerCase(Locale.ROOT);
        if ((code != null && code == PCAP_ERROR_PERM_DENIED) || lower.contains("permission") || lower.contains("not permitted")) {
            return new LinkException("cannot capture on " + interfaceName + ": root or CAP_NET_RAW is needed ("
                    + detail + "); " + Privileges.howToGrant(), e);
        }
        if ((code != null && code == PCAP_ERROR_NO_SUCH_DEVICE) || lower.contains("no such device")) {
            return unknownInterface(interfaceName);
        }
        if (code != null && code == PCAP_ERROR_IFACE_NOT_UP) {
            return new LinkException("interface " + interfaceName + " is down; bring it up with: sudo ip link set "
                    + interfaceName + " up", e);
        }
        return new LinkException("cannot open " + interfaceName + " with libpcap: " + detail, e);
    }

    @Override
    public String name() {
        return interfaceName;
    }

    @Override
    public MacAddress hardwareAddress() {
        return hardwareAddress;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public synchronized void start(FrameSink receiver, LinkEventListener listener) {
        if (closed || reader != null) {
            throw new IllegalStateException("link " + interfaceName + (closed ? " is closed" : " is already started"));
        }
        events = listener;
        running = true;
        reader = new Thread(() -> readLoop(receiver), "stacklab-pcap-" + interfaceName);
        // A daemon: a program that forgets close() must still be able to exit.
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop(FrameSink receiver) {
        // The first Instant.now() loads the clock's classes, which takes tens of microseconds: not on the first frame.
        Instant.now();
        if (pcap != null) {
            readLoopDirect(receiver);
            return;
        }
        while (running) {
            byte[] frame;
            try {
                frame = handle.getNextRawPacketEx();
            } catch (TimeoutException e) {
                // The read timeout expired without a frame: the chance to notice close().
                continue;
            } catch (EOFException e) {
                // pcap_breakloop() from close(), or a spurious break: the loop condition decides.
                continue;
            } catch (NotOpenException e) {
                return;
            } catch (PcapNativeException e) {
                if (running) {
                    running = false;
                    events.linkEvent(LinkEvent.of(interfaceName, LinkEvent.Kind.LINK_DOWN,
                            "capture on " + interfaceName + " stopped: " + e.getMessage()
                                    + " (was the interface removed or taken down?)", System.nanoTime()));
                }
                return;
            }
            // The wall clock first: whatever time passes between the two reads makes the frame look younger,
            // never older than it is.
            Instant wallNow = Instant.now();
            long now = System.nanoTime();
            long capturedAt = onMonotonicClock(handle.getTimestamp(), wallNow, now);
            FrameSink.deliver(receiver, events, interfaceName, frame, frame.length, capturedAt);
        }
    }

    /**
     * The read loop on libpcap directly ({@link Libpcap}): per frame one native call, one array for the frame (the
     * runner owns it) and no other allocation.
     */
    private void readLoopDirect(FrameSink receiver) {
        Memory slots = Libpcap.pointerSlots();
        Pointer headerSlot = slots;
        Pointer dataSlot = slots.share(Native.POINTER_SIZE);
        while (running) {
            int result = Libpcap.pcap_next_ex(pcap, headerSlot, dataSlot);
            if (result == Libpcap.NEXT_TIMEOUT || result == Libpcap.NEXT_BREAK) {
                continue; // the chance to notice close(); the loop condition decides
            }
            if (result != Libpcap.NEXT_FRAME) {
                if (running) {
                    running = false;
                    events.linkEvent(LinkEvent.of(interfaceName, LinkEvent.Kind.LINK_DOWN,
                            "capture on " + interfaceName + " stopped: " + Libpcap.pcap_geterr(pcap)
                                    + " (was the interface removed or taken down?)", System.nanoTime()));
                }
                return;
            }
            Pointer header = slots.getPointer(0);
            Pointer data = slots.getPointer(Native.POINTER_SIZE);
            int length = header.getInt(Libpcap.HEADER_CAPTURED_LENGTH);
            byte[] frame = data.getByteArray(0, length);
            Instant wallNow = Instant.now();
            long now = System.nanoTime();
            long capturedAt = onMonotonicClock(header.getLong(Libpcap.HEADER_SECONDS),
                    (int) header.getLong(Libpcap.HEADER_SUBSECONDS), wallNow, now);
            FrameSink.deliver(receiver, events, interfaceName, frame, frame.length, capturedAt);
        }
    }

    /**
     * The kernel's capture stamp of a frame, moved onto the {@link System#nanoTime()} scale that the runner's
     * clock uses. libpcap stamps frames with the wall clock when the kernel queued them, before the reader thread
     * woke up; iputils ping measures its round trips to the same kind of kernel stamp (SO_TIMESTAMP), so the
     * thread's wake-up latency is not part of a measured RTT, and a frame that waited in the buffer behind a burst
     * keeps the time it really arrived. The wall clock is only used for the frame's age, over microseconds; a
     * stamp from the future or older than a second (the wall clock was stepped) is not trusted.
     */
    static long onMonotonicClock(Timestamp capturedAt, Instant wallNow, long monotonicNow) {
        if (capturedAt == null) {
            return monotonicNow;
        }
        return onMonotonicClock(Math.floorDiv(capturedAt.getTime(), 1000L), capturedAt.getNanos(), wallNow, monotonicNow);
    }

    /** {@link #onMonotonicClock(Timestamp, Instant, long)} for a stamp as seconds and nanoseconds of the wall clock. */
    static long onMonotonicClock(long capturedSecond, int capturedNanos, Instant wallNow, long monotonicNow) {
        long ageNanos = (wallNow.getEpochSecond() - capturedSecond) * 1_000_000_000L
                + (wallNow.getNano() - capturedNanos);
        if (ageNanos < 0 || ageNanos > MAX_TRUSTED_AGE_NANOS) {
            return monotonicNow;
        }
        return monotonicNow - ageNanos;
    }

    private static final long MAX_TRUSTED_AGE_NANOS = 1_000_000_000L;

    @Override
    public void send(byte[] frame, int offset, int length) {
        if (closed) {
            return;
        }
        if (pcap != null) {
            sendDirect(frame, offset, length);
            return;
        }
        // pcap_sendpacket writes from the start of the array; JNA copies it to native memory anyway.
        byte[] bytes = offset == 0 ? frame : Arrays.copyOfRange(frame, offset, offset + length);
        try {
            // One sender at a time: libpcap keeps the error text of a failed send in a per-handle buffer.
            synchronized (sendLock) {
                handle.sendPacket(bytes, length);
            }
        } catch (NotOpenException e) {
            // Closed while sending: frames sent after close() are dropped silently, as documented.
        } catch (PcapNativeException e) {
            events.linkEvent(new LinkEvent(interfaceName, LinkEvent.Kind.SEND_FAILED, LinkEvent.Direction.SEND,
                    "cannot send a " + length + "-byte frame on " + interfaceName + ": " + e.getMessage(),
                    Arrays.copyOfRange(frame, offset, offset + length), System.nanoTime()));
        }
    }

    /** One native buffer for every frame sent, written under the send lock: no allocation per frame. */
    private void sendDirect(byte[] frame, int offset, int length) {
        int result;
        synchronized (sendLock) {
            if (closed) {
                return;
            }
            if (sendBuffer.size() < length) {
                sendBuffer = new Memory(Math.max(length, SNAPSHOT_LENGTH));
            }
            sendBuffer.write(0, frame, offset, length);
            result = Libpcap.pcap_sendpacket(pcap, sendBuffer, length);
            if (result != 0) {
                events.linkEvent(new LinkEvent(interfaceName, LinkEvent.Kind.SEND_FAILED, LinkEvent.Direction.SEND,
                        "cannot send a " + length + "-byte frame on " + interfaceName + ": " + Libpcap.pcap_geterr(pcap),
                        Arrays.copyOfRange(frame, offset, offset + length), System.nanoTime()));
            }
        }
    }

    @Override
    public void close() {
        Thread toJoin;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = false;
            toJoin = reader;
        }
        if (toJoin != null) {
            try {
                // Wakes a reader waiting in poll() at once (libpcap 1.10 signals an eventfd); the read timeout
                // bounds the wait with older versions.
                handle.breakLoop();
            } catch (NotOpenException e) {
                // Already closed underneath: nothing to wake.
            }
            try {
                toJoin.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The send lock: a sender inside pcap_sendpacket finishes before the pcap_t is freed.
        synchronized (sendLock) {
            handle.close();
        }
    }
}
