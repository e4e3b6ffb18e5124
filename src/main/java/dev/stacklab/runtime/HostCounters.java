package dev.stacklab.runtime;

import dev.stacklab.stack.CounterSnapshot;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A running stack's counters: the engine's, and its {@link StackRunner}'s own (what never reached the engine).
 *
 * @param engine                   the engine's counters and drops by reason
 * @param framesDroppedInboxFull   received frames dropped because the runner's inbox was full
 * @param linkEventsDroppedInboxFull link events dropped for the same reason
 * @param engineFailures           calls into the engine that threw
 */
public record HostCounters(CounterSnapshot engine, long framesDroppedInboxFull, long linkEventsDroppedInboxFull,
                           long engineFailures) {
    /** The engine's counters by label ({@link CounterSnapshot#byLabel()}), then the runner's: what {@code serve} prints. */
    public Map<String, Long> byLabel() {
        Map<String, Long> all = new LinkedHashMap<>(engine.byLabel());
        all.put("runner: frames dropped (inbox full)", framesDroppedInboxFull);
        all.put("runner: link events dropped (inbox full)", linkEventsDroppedInboxFull);
        all.put("runner: engine failures", engineFailures);
        return Collections.unmodifiableMap(all);
    }
}
