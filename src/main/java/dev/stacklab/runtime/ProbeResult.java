package dev.stacklab.runtime;

import dev.stacklab.stack.AddressConflictDetection;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;

/** How an {@link AddressProbe} of one address ended: nobody claimed it, or a station answered for it. */
public sealed interface ProbeResult {
    Ipv4Address address();

    /** Whether the address may be taken. */
    boolean isFree();

    /** Nobody answered the probes or claimed the address while they ran (RFC 5227 section 2.1.1). */
    record Free(Ipv4Address address) implements ProbeResult {
        @Override
        public boolean isFree() {
            return true;
        }
    }

    /** The address is in use: the station at {@code mac} answered for it, or claimed it as {@code evidence} says. */
    record InUse(Ipv4Address address, MacAddress mac, AddressConflictDetection.Evidence evidence) implements ProbeResult {
        @Override
        public boolean isFree() {
            return false;
        }

        /** One line for a person: "10.99.0.1 is already in use: b6:b8:3f:2a:36:60 answered for it (ARP reply)". */
        public String describe() {
            return address + " is already in use: " + mac + switch (evidence) {
                case REPLY -> " answered for it (ARP reply)";
                case REQUEST -> " uses it (an ARP request from it)";
                case PROBE -> " is probing for it at the same time (RFC 5227)";
            };
        }
    }
}
