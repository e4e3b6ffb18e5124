package dev.stacklab.stack.tcp;

import dev.stacklab.wire.TcpFlags;
import dev.stacklab.wire.TcpSeqNumber;

/** What made a connection change state. */
public sealed interface TcpCause {
    /** A segment arrived (its flags, SEQ, ACK, window field and data length). */
    record Segment(TcpFlags flags, TcpSeqNumber sequence, TcpSeqNumber acknowledgment, int window, int length)
            implements TcpCause {
        @Override
        public String toString() {
            return flags + " Seq=" + sequence + (flags.ack() ? " Ack=" + acknowledgment : "") + " Win=" + window + " Len=" + length;
        }
    }

    /** A timer expired. */
    record Timer(TcpTimer timer) implements TcpCause {
        @Override
        public String toString() {
            return timer + " timer";
        }
    }

    /** The application called {@code call} (open, close, abort). */
    record Application(String call) implements TcpCause {
        @Override
        public String toString() {
            return call;
        }
    }

    /** An ICMP error about a segment we sent (RFC 1122 4.2.3.9). */
    record IcmpError(int type, int code) implements TcpCause {
    }
}
