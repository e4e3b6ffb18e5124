/**
 * TCP (RFC 9293), sans-I/O like the rest of the engine: {@link dev.stacklab.stack.tcp.TcpEngine} takes parsed
 * segments with their addresses and the time, hands out the segments to send when asked, and says when its next
 * timer is due; {@link dev.stacklab.stack.tcp.TcpLayer} plugs it into a {@code NetStack} as its TCP transport.
 *
 * <p>Where the rules live:
 * <ul>
 *   <li>{@link dev.stacklab.stack.tcp.TcpConnection}: the TCB and the state machine of RFC 9293 Figure 5; segment
 *       arrival in the order of section 3.10.7 (sequence check, RST, SYN, ACK, text, FIN) with RFC 5961's
 *       challenge ACKs and ACK validation and RFC 7323's PAWS; the send side (Nagle, SWS avoidance, persist);
 *       delayed ACKs; SACK blocks (RFC 2018); the application's calls.</li>
 *   <li>{@link dev.stacklab.stack.tcp.RttEstimator}: RFC 6298. {@link dev.stacklab.stack.tcp.NewReno}: RFC 5681,
 *       6582, 6928, behind {@link dev.stacklab.stack.tcp.CongestionControl}.</li>
 *   <li>{@link dev.stacklab.stack.tcp.ReceiveBuffer} and {@link dev.stacklab.stack.tcp.SendBuffer}: bounded rings;
 *       the receive window is the free part of the receive ring, so whatever the window admits fits.</li>
 *   <li>{@link dev.stacklab.stack.tcp.TcpListener}: a bounded SYN queue and a bounded accept queue.</li>
 * </ul>
 *
 * <p>Sequence numbers are raw {@code int}s inside the engine, compared modulo 2^32 with the static methods of
 * {@link dev.stacklab.wire.TcpSeqNumber}; the API and snapshots use the record. Every time is nanoseconds of the
 * engine's clock, passed in. Nothing here blocks, sleeps, reads a clock or starts a thread.
 *
 * <p>Tests script segments at virtual times as smoltcp's {@code socket/tcp.rs} does ({@code TcpStatesTest}, one
 * group per state; {@code TcpBehaviourTest}), and run pairs of engines or stacks through lossy paths.
 */
package dev.stacklab.stack.tcp;
