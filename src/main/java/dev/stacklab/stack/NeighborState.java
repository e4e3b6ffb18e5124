package dev.stacklab.stack;

/** The life of a neighbor (ARP) cache entry (after RFC 1122 2.3.2 and the states RFC 4861 names). */
public enum NeighborState { INCOMPLETE, REACHABLE, STALE, FAILED }
