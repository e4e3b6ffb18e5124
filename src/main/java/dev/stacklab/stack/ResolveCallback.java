package dev.stacklab.stack;

import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

/** Told, on the stack's thread, the MAC an address resolved to, or null when nobody answered. */
@FunctionalInterface
public interface ResolveCallback {
    void resolved(Ipv4Address address, MacAddress macOrNull);
}
