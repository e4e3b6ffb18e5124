package dev.stacklab.app.network;

import dev.stacklab.wire.Ipv4Cidr;

import java.util.List;
import java.util.Objects;

/**
 * One entry of the network chooser.
 *
 * @param id stable across runs, so the shell can remember the last network: "simulated", "lab",
 *     "interface:eth0", "watch:eth0", "tap:tap0"
 * @param kind what kind of network it is
 * @param interfaceName the device, or null for the simulated LAN and the lab network
 * @param label what the chooser shows, e.g. "eth0 — 192.168.1.20/24"
 * @param addresses the interface's IPv4 addresses (empty for the simulated LAN and the lab network)
 * @param unavailableReason null when it can be used; else why not, e.g. "needs root or CAP_NET_RAW"
 * @param fix null when available; else exactly what to do about it
 */
public record NetworkChoice(String id, Kind kind, String interfaceName, String label, List<Ipv4Cidr> addresses,
        String unavailableReason, String fix) {

    public enum Kind {
        SIMULATED_LAN, LAB_NETWORK, INTERFACE, WATCH_ONLY, TAP;

        /** Whether our host needs an address, gateway and MAC chosen before it starts there. */
        public boolean needsHostSettings() {
            return this == INTERFACE || this == TAP;
        }
    }

    public static final String SIMULATED_LAN_ID = "simulated";
    public static final String LAB_NETWORK_ID = "lab";

    public NetworkChoice {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        addresses = List.copyOf(addresses);
    }

    public boolean available() {
        return unavailableReason == null;
    }

    /** The same entry, greyed out with a reason and the fix. */
    public NetworkChoice unavailable(String reason, String howToFix) {
        return new NetworkChoice(id, kind, interfaceName, label, addresses, reason, howToFix);
    }

    /** What the chooser's button shows once chosen: the name without the details the list gives. */
    public String shortLabel() {
        return switch (kind) {
            case SIMULATED_LAN -> "Simulated LAN";
            case LAB_NETWORK -> "Lab network (Linux kernel)";
            case INTERFACE -> label;
            case WATCH_ONLY -> interfaceName + " (watch only)";
            case TAP -> interfaceName + " (TAP device)";
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
