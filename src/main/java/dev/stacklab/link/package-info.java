/**
 * The physical layer: moving whole Ethernet frames between a stack and something that carries them.
 *
 * <p>A {@link dev.stacklab.link.Link} is a duplex pipe of Ethernet frames: {@code send} puts one on the wire,
 * and frames that arrive are handed to a {@link dev.stacklab.link.FrameSink} on a thread the link owns.
 * Implementations: {@link dev.stacklab.link.PcapLink} (any interface, through libpcap),
 * {@link dev.stacklab.link.TapLink} (a Linux TAP device), and the ports of a
 * {@link dev.stacklab.link.VirtualSwitch} (an in-memory segment). {@link dev.stacklab.link.ImpairedLink}
 * wraps any of them with seeded {@link dev.stacklab.link.Impairments}.
 *
 * <p>Rules of the package:
 * <ul>
 *   <li>Nothing here looks above the Ethernet header: a link moves bytes, the stack and the dissector give
 *       them meaning. The switch reads the two MAC addresses, nothing else.</li>
 *   <li>Failures while running (device gone, a send refused, a queue full, a frame dropped on purpose) are
 *       {@link dev.stacklab.link.LinkEvent}s with a message a person can act on, never thrown stack traces:
 *       the stack keeps running and the UI shows them. Failures while opening are a
 *       {@link dev.stacklab.link.LinkException} whose message is the one line the CLI prints.</li>
 *   <li>The decisions that the discrete-event simulation needs ({@link dev.stacklab.link.VirtualSwitch#egressPorts
 *       where a frame goes}, {@link dev.stacklab.link.Impairments#apply what happens to it and when}) are plain
 *       methods without threads or clocks: time is passed in, randomness comes from a seed.</li>
 * </ul>
 */
package dev.stacklab.link;
