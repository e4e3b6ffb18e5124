/**
 * Step mode: two stacklab stacks (a client and a server) on a simulated wire in virtual time, every frame held on
 * the wire until a step releases it, as DESIGN.md promises ("the UI's step mode is nothing but a simulation that
 * releases one frame per click"). {@link dev.stacklab.runtime.stepping.TcpStepLab} runs one
 * {@link dev.stacklab.runtime.stepping.TcpScenario} from its seed: {@code step()} delivers the next frame (virtual
 * time moves to it, timers falling due before it fire), {@code back()} replays from the seed to the step before.
 * Single-threaded: the app drives a lab from one worker thread of its own.
 */
package dev.stacklab.runtime.stepping;
