package dev.stacklab.link;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls {@link TapLink} and {@link InterfaceInfo} need, bound with JNA direct mapping (static
 * natives registered once: the cheapest kind of JNA call, with no proxy or reflection per call). Declaring
 * {@link LastErrorException} makes JNA capture errno right after the call, before anything else can overwrite it.
 */
final class Libc {
    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    // Open flags and errno values as Linux defines them on x86-64 and AArch64 (asm-generic).
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    static final int AF_INET = 2;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = O_CLOEXEC;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EBADFD = 77;

    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;

    static native int open(String path, int flags) throws LastErrorException;

    static native int socket(int domain, int type, int protocol) throws LastErrorException;

    /** {@code ioctl(fd, request, argp)} with a struct passed as bytes (copied in and back out by JNA). */
    static native int ioctl(int fd, NativeLong request, byte[] argument) throws LastErrorException;

    static native int poll(Pointer fds, NativeLong count, int timeoutMillis) throws LastErrorException;

    static native NativeLong read(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

    static native NativeLong write(int fd, Pointer buffer, NativeLong count) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native String strerror(int errno);

    /** Closes a descriptor that is no longer wanted, where a failure would change nothing: the fd is gone either way. */
    static void closeQuietly(int fd) {
        try {
            close(fd);
        } catch (LastErrorException e) {
            // Linux releases the descriptor even when close() reports an error.
        }
    }
}
