package dev.stacklab.link;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Linux's {@code struct ifreq} (include/uapi/linux/if.h) as the byte array an {@code ioctl} takes: the interface
 * name, NUL-padded, then a union whose member depends on the request ({@code short ifr_flags}, {@code int ifr_mtu},
 * {@code int ifr_ifindex}, {@code struct sockaddr ifr_hwaddr}). Members are in the machine's byte order.
 */
final class InterfaceRequest {
    /** IFNAMSIZ: the name with its terminating NUL. */
    static final int NAME_SIZE = 16;
    /** sizeof(struct ifreq) on 64-bit Linux: the name and a 24-byte union. */
    private static final int SIZE = 40;
    private static final int UNION = NAME_SIZE;
    // struct sockaddr: unsigned short sa_family (for SIOCGIFHWADDR, the ARPHRD_* type), then sa_data.
    private static final int HARDWARE_TYPE = UNION;
    private static final int HARDWARE_ADDRESS = UNION + 2;

    private InterfaceRequest() {
    }

    /** Whether the kernel can take {@code name} at all: 1 to 15 bytes. */
    static boolean fits(String name) {
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        return length > 0 && length < NAME_SIZE;
    }

    /** A request about the interface {@code name}, which must {@link #fits fit}; the union is zero. */
    static byte[] forName(String name) {
        if (!fits(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid interface name (1 to " + (NAME_SIZE - 1) + " bytes)");
        }
        byte[] request = new byte[SIZE];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, request, 0, nameBytes.length);
        return request;
    }

    /** The name the kernel wrote back (TUNSETIFF fills in a name chosen from a pattern such as {@code tap%d}). */
    static String name(byte[] request) {
        int end = 0;
        while (end < NAME_SIZE && request[end] != 0) {
            end++;
        }
        return new String(request, 0, end, StandardCharsets.UTF_8);
    }

    /** {@code ifr_flags}. */
    static short flags(byte[] request) {
        return union(request).getShort(UNION);
    }

    static void setFlags(byte[] request, short flags) {
        union(request).putShort(UNION, flags);
    }

    /** {@code ifr_mtu}, {@code ifr_ifindex}: the int members. */
    static int intValue(byte[] request) {
        return union(request).getInt(UNION);
    }

    /** {@code ifr_hwaddr.sa_family}: the ARPHRD_* type of the device. */
    static int hardwareType(byte[] request) {
        return Short.toUnsignedInt(union(request).getShort(HARDWARE_TYPE));
    }

    /** The first {@code length} bytes of {@code ifr_hwaddr.sa_data}. */
    static byte[] hardwareAddress(byte[] request, int length) {
        return Arrays.copyOfRange(request, HARDWARE_ADDRESS, HARDWARE_ADDRESS + length);
    }

    private static ByteBuffer union(byte[] request) {
        return ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
    }
}
