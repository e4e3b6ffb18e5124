package dev.stacklab.stack;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event a stack publishes and every frame it hands out, for a test to read. */
final class Recorder implements StackEventListener {
    final List<StackEvent> events = new ArrayList<>();

    @Override
    public void onEvent(StackEvent event) {
        events.add(event);
    }

    <T extends StackEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (StackEvent event : events) {
            if (type.isInstance(event)) {
                out.add(type.cast(event));
            }
        }
        return out;
    }

    List<StackEvent.Dropped> drops(DropReason reason) {
        List<StackEvent.Dropped> out = new ArrayList<>();
        for (StackEvent.Dropped drop : of(StackEvent.Dropped.class)) {
            if (drop.reason() == reason) {
                out.add(drop);
            }
        }
        return out;
    }

    /** A NetStack with a recorder, and the frames it sends. */
    static final class Host {
        final Recorder recorder = new Recorder();
        final NetStack stack;

        Host(StackConfig config) {
            this.stack = new NetStack(config, recorder);
        }

        void receive(byte[] frame, long now) {
            stack.receive(frame, frame.length, now);
        }

        /**
         * Polls at {@code now}, again while the stack says it has more now (one poll hands out at most
         * {@link NetStack#FRAMES_PER_POLL} frames), and returns the frames handed out.
         */
        List<byte[]> poll(long now) {
            List<byte[]> sent = new ArrayList<>();
            for (int polls = 0; polls == 0 || stack.pollAt() <= now; polls++) {
                if (polls > 1_000) {
                    throw new AssertionError("the stack still has work at " + now + " after 1000 polls");
                }
                stack.poll(now, (frame, offset, length) -> sent.add(java.util.Arrays.copyOfRange(frame, offset, offset + length)));
            }
            return sent;
        }

        /** Receives a frame at {@code now} and returns what the stack sends in answer. */
        List<byte[]> answer(byte[] frame, long now) {
            receive(frame, now);
            return poll(now);
        }

        long counter(String name) {
            Long value = stack.counters().byLabel().get(name);
            if (value == null) {
                throw new AssertionError("no counter named '" + name + "': " + stack.counters().byLabel().keySet());
            }
            return value;
        }
    }
}
