package dev.stacklab.dissect;

import dev.stacklab.wire.MacAddress;

import java.util.Optional;

/**
 * The names Wireshark gives MAC addresses ("IntelCor_12:34:56", "Broadcast"), for other parts of stacklab that show
 * addresses the way the capture panes do (the app's neighbor table). Read from the same installed tables as the
 * dissector ({@link MacNameTable}); empty when they do not name the address.
 */
public final class MacNames {
    private MacNames() {
    }

    public static Optional<String> name(MacAddress mac) {
        return Optional.ofNullable(MacNameTable.installed().name(mac.bits()));
    }
}
