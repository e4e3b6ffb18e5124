package dev.stacklab.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import dev.stacklab.wire.MacAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

/**
 * A link over a Linux TAP device: the stack reads the frames the kernel sends into the device and writes
 * frames the kernel receives from it, as if the two were joined by a cable.
 *
 * <p>Opens {@code /dev/net/tun} and attaches with {@code ioctl(TUNSETIFF)} as {@code IFF_TAP | IFF_NO_PI}
 * (Ethernet frames with no 4-byte packet-information header in front). If no device has the name, the kernel
 * creates one that lives as long as this link: it starts down, so bring it up and give the kernel side an
 * address with {@code ip}. A persistent device ({@code ip tuntap add dev tap0 mode tap}) stays after close.
 *
 * <p>The fd is non-blocking and the reader thread waits in {@code poll()} with a short timeout, because closing
 * an fd does not wake a thread blocked in {@code read()} on Linux; the reader sees {@link #close} within that
 * timeout, and the fd is closed only after the reader has been joined, so its number cannot be reused under a
 * thread still using it.
 */
public final class TapLink implements Link {
    private static final String TUN_DEVICE = "/dev/net/tun";
    // linux/if_tun.h: TUNSETIFF = _IOW('T', 202, int); flags for ifr_flags.
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    /** Larger than any frame a TAP can carry (MTU at most 65535 plus the Ethernet header). */
    private static final int MAX_FRAME = 65_536 + 64;
    private static final int POLL_TIMEOUT_MILLIS = 100;
    private static final long JOIN_MILLIS = 1000;

    private final String deviceName;
    private final boolean created;
    private final int mtu;
    private final int fd;
    private final Object sendLock = new Object();
    private final Memory sendBuffer = new Memory(MAX_FRAME);
    private volatile LinkEventListener events = LinkEventListener.IGNORE;
    private volatile boolean running;
    private boolean closed;
    private boolean fdClosed;
    private Thread reader;

    private TapLink(String deviceName, boolean created, int mtu, int fd) {
        this.deviceName = deviceName;
        this.created = created;
        this.mtu = mtu;
        this.fd = fd;
    }

    /**
     * Attaches to the TAP device {@code name}, creating it if there is none.
     *
     * @throws LinkException with a one-line message naming the fix: no /dev/net/tun, no permission, device busy,
     *     or a device of that name that is not a TAP device
     */
    public static TapLink open(String name) throws LinkException {
        if (!InterfaceRequest.fits(name)) {
            throw new LinkException("'" + name + "' is not a valid interface name (1 to " + (InterfaceRequest.NAME_SIZE - 1) + " characters)");
        }
        boolean existed = InterfaceInfo.byName(name).isPresent();
        int fd;
        try {
            fd = Libc.open(TUN_DEVICE, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw explainOpenFailure(e.getErrorCode());
        }
        byte[] request = InterfaceRequest.forName(name);
        InterfaceRequest.setFlags(request, (short) (IFF_TAP | IFF_NO_PI));
        try {
            Libc.ioctl(fd, new NativeLong(TUNSETIFF), request);
        } catch (LastErrorException e) {
            Libc.closeQuietly(fd);
            throw explainAttachFailure(name, existed, e.getErrorCode());
        }
        String attached = InterfaceRequest.name(request);
        int mtu = InterfaceInfo.byName(attached).map(InterfaceInfo::mtu).filter(m -> m > 0).orElse(1500);
        return new TapLink(attached, !existed, mtu, fd);
    }

    /**
     * Whether the interface {@code name} exists and is a TAP device (not TUN): the kernel shows a tun/tap device's
     * flags in {@code /sys/class/net/NAME/tun_flags}. sysfs shows the network namespace it was mounted in, which is
     * the JVM's own except inside {@code unshare -n} without a fresh sysfs mount.
     */
    public static boolean isTapDevice(String name) {
        if (!InterfaceRequest.fits(name) || name.contains("/")) {
            return false;
        }
        try {
            String flags = Files.readString(Path.of("/sys/class/net", name, "tun_flags")).strip();
            return (Integer.decode(flags) & IFF_TAP) != 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * Opens and closes {@code /dev/net/tun} (which makes nothing: only TUNSETIFF does), so that a caller learns before
     * making anything whether this process can have TAP devices at all.
     *
     * @throws LinkException with the one-line message {@link #open} would give
     */
    public static void requireTunDevice() throws LinkException {
        try {
            Libc.closeQuietly(Libc.open(TUN_DEVICE, Libc.O_RDWR | Libc.O_CLOEXEC));
        } catch (LastErrorException e) {
            throw explainOpenFailure(e.getErrorCode());
        }
    }

    private static LinkException explainOpenFailure(int errno) {
        return switch (errno) {
            case Libc.ENOENT, Libc.ENXIO, Libc.ENODEV -> new LinkException("there is no " + TUN_DEVICE
                    + ": load the tun module (sudo modprobe tun), or in a container pass --device /dev/net/tun");
            // The file's mode, not a capability: uid 0 of a user namespace is not the owner of the host's device files.
            case Libc.EACCES -> new LinkException("cannot open " + TUN_DEVICE + ": permission denied; " + (UserNamespace.inside()
                    ? "inside a user namespace uid 0 is not the host's root, and the device is closed to this user ("
                            + permissions(TUN_DEVICE) + "): ask for `sudo chmod 0666 " + TUN_DEVICE + "`, its usual mode"
                            + " (making a TAP device still takes CAP_NET_ADMIN), or use the veth lab (java -jar target/stacklab.jar labnet up)"
                    : Privileges.howToGrant()));
            case Libc.EPERM -> new LinkException("cannot open " + TUN_DEVICE + ": permission denied; "
                    + Privileges.howToGrant());
            default -> new LinkException("cannot open " + TUN_DEVICE + ": " + Libc.strerror(errno));
        };
    }

    private static LinkException explainAttachFailure(String name, boolean existed, int errno) {
        return switch (errno) {
            case Libc.EPERM, Libc.EACCES -> new LinkException((existed
                    ? "cannot attach to TAP device " + name + ": it belongs to another user and this process is not root; "
                    : "creating TAP device " + name + " needs root or CAP_NET_ADMIN; ") + Privileges.howToGrant());
            case Libc.EBUSY -> new LinkException("TAP device " + name
                    + " is busy: another process already has it open (a single-queue TAP takes one reader)");
            case Libc.EINVAL -> new LinkException("interface " + name
                    + " exists but is not a TAP device (a TUN device or another kind of interface?); pick another name");
            default -> new LinkException("cannot attach to TAP device " + name + ": " + Libc.strerror(errno));
        };
    }

    private static String permissions(String path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path)));
        } catch (IOException | UnsupportedOperationException e) {
            return "permissions unreadable";
        }
    }

    @Override
    public String name() {
        return deviceName;
    }

    /** Null: the TAP device's MAC address is the kernel's own, on the other side of the cable. */
    @Override
    public MacAddress hardwareAddress() {
        return null;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** Whether opening created the device (it then disappears when this link closes). */
    public boolean createdDevice() {
        return created;
    }

    @Override
    public synchronized void start(FrameSink receiver, LinkEventListener listener) {
        if (closed || reader != null) {
            throw new IllegalStateException("link " + deviceName + (closed ? " is closed" : " is already started"));
        }
        events = listener;
        running = true;
        reader = new Thread(() -> readLoop(receiver), "stacklab-tap-" + deviceName);
        reader.setDaemon(true);
        reader.start();
    }

    private void readLoop(FrameSink receiver) {
        Memory pollFd = new Memory(8);
        pollFd.setInt(0, fd);
        pollFd.setShort(4, Libc.POLLIN);
        Memory buffer = new Memory(MAX_FRAME);
        NativeLong one = new NativeLong(1);
        NativeLong capacity = new NativeLong(MAX_FRAME);
        while (running) {
            try {
                pollFd.setShort(6, (short) 0);
                if (Libc.poll(pollFd, one, POLL_TIMEOUT_MILLIS) == 0) {
                    continue;
                }
                int length = (int) Libc.read(fd, buffer, capacity).longValue();
                if (length <= 0) {
                    continue;
                }
                byte[] frame = buffer.getByteArray(0, length);
                FrameSink.deliver(receiver, events, deviceName, frame, length, System.nanoTime());
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
                    continue;
                }
                if (running) {
                    running = false;
                    events.linkEvent(LinkEvent.of(deviceName, LinkEvent.Kind.LINK_DOWN, "reading from TAP device "
                            + deviceName + " failed: " + Libc.strerror(errno)
                            + (errno == Libc.EBADFD ? " (the device was deleted)" : ""), System.nanoTime()));
                }
                return;
            }
        }
    }

    @Override
    public void send(byte[] frame, int offset, int length) {
        if (length > MAX_FRAME) {
            reportSendFailure(frame, offset, length, "larger than any TAP frame");
            return;
        }
        int errno;
        synchronized (sendLock) {
            if (fdClosed) {
                return;
            }
            sendBuffer.write(0, frame, offset, length);
            try {
                Libc.write(fd, sendBuffer, new NativeLong(length));
                return;
            } catch (LastErrorException e) {
                errno = e.getErrorCode();
            }
        }
        reportSendFailure(frame, offset, length, Libc.strerror(errno)
                + (errno == Libc.EIO ? " (is the device down? sudo ip link set " + deviceName + " up)" : ""));
    }

    private void reportSendFailure(byte[] frame, int offset, int length, String reason) {
        events.linkEvent(new LinkEvent(deviceName, LinkEvent.Kind.SEND_FAILED, LinkEvent.Direction.SEND,
                "cannot send a " + length + "-byte frame on " + deviceName + ": " + reason,
                Arrays.copyOfRange(frame, offset, offset + length), System.nanoTime()));
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
                toJoin.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (sendLock) {
            fdClosed = true;
            Libc.closeQuietly(fd);
        }
    }
}
