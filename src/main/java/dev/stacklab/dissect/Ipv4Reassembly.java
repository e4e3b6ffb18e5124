package dev.stacklab.dissect;

/** Placeholder: IPv4 fragments held for display reassembly. */
final class Ipv4Reassembly {
}
