package dev.stacklab.runtime;

import dev.stacklab.stack.PingOutcome;

/**
 * How one request of a {@link Ping} run ended.
 *
 * @param sequence the ICMP sequence number it carried
 * @param outcome  reply, error report or timeout, as the engine saw it (the RTT is in {@link PingOutcome.Reply})
 */
public record PingResult(int sequence, PingOutcome outcome) {
    public boolean isReply() {
        return outcome instanceof PingOutcome.Reply;
    }

    /**
     * Whether an ICMP error or the stack itself reported the target unreachable, or the request could not
     * leave (iputils counts all of these as "errors").
     */
    public boolean isError() {
        return outcome instanceof PingOutcome.Unreachable || outcome instanceof PingOutcome.TimeExceeded
                || outcome instanceof PingOutcome.HostUnreachable || outcome instanceof PingOutcome.MessageTooLong;
    }
}
