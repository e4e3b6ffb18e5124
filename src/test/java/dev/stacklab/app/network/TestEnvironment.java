package dev.stacklab.app.network;

import dev.stacklab.link.InterfaceInfo;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.util.List;

/**
 * A machine as a view-model test wants it: with or without privileges, with the interfaces it names. Opening a
 * network still opens the real thing (the simulated LAN needs nothing).
 */
class TestEnvironment implements NetworkEnvironment {
    static final InterfaceInfo ETH0 = new InterfaceInfo("eth0", 2, MacAddress.parse("52:54:00:12:34:56"),
            List.of(Ipv4Cidr.parse("192.168.1.20/24")), 1500, true);
    static final InterfaceInfo TAP0 = new InterfaceInfo("tap0", 5, MacAddress.parse("4a:1c:00:00:00:01"),
            List.of(Ipv4Cidr.parse("10.99.1.1/24")), 1500, true);
    static final InterfaceInfo LOOPBACK = new InterfaceInfo("lo", 1, null, List.of(Ipv4Cidr.parse("127.0.0.1/8")), 65536, true);

    private final boolean privileged;

    TestEnvironment(boolean privileged) {
        this.privileged = privileged;
    }

    @Override
    public boolean canCapture() {
        return privileged;
    }

    @Override
    public boolean canAdministerNetwork() {
        return privileged;
    }

    @Override
    public List<InterfaceInfo> interfaces() {
        return List.of(LOOPBACK, ETH0, TAP0);
    }

    @Override
    public boolean isTapDevice(String name) {
        return name.equals("tap0");
    }

    @Override
    public java.util.Optional<dev.stacklab.wire.Ipv4Address> defaultGateway(String interfaceName) {
        return interfaceName.equals("eth0") ? java.util.Optional.of(dev.stacklab.wire.Ipv4Address.parse("192.168.1.1"))
                : java.util.Optional.empty();
    }
}
