package dev.stacklab.dissect;

/** Placeholder: per-connection TCP state for relative sequence numbers and analysis. */
final class TcpConversations {
}
