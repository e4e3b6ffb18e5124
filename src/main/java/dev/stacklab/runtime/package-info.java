/**
 * Where the sans-I/O engine meets time, threads and devices, and the facades built on it.
 *
 * <ul>
 *   <li>{@link dev.stacklab.runtime.StackRunner}: the one thread that owns a {@code NetStack} and a {@code Link} in
 *       real time; apps talk to it through futures, listeners hear everything on its thread.</li>
 *   <li>{@link dev.stacklab.runtime.Simulation}: several stacks on a simulated switch in virtual time, seeded and
 *       deterministic; the tests' network and the app's step mode.</li>
 *   <li>Blocking facades for the CLI and library users: {@link dev.stacklab.runtime.Host} (the library API),
 *       {@link dev.stacklab.runtime.Ping}; and an application on the UDP API,
 *       {@link dev.stacklab.runtime.UdpEchoService}.</li>
 *   <li>{@link dev.stacklab.runtime.EngineEchoBench}: the engine's speed with no I/O at all.</li>
 * </ul>
 *
 * <p>Rules of the package: no protocol logic (the engine decides everything about frames; this package only
 * moves them and the time); the engine is touched from one thread only; nothing blocks a stack's thread.
 */
package dev.stacklab.runtime;
