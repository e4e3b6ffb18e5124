package dev.stacklab.app;

import dev.stacklab.link.LinkEvent;
import dev.stacklab.stack.StackEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the frames the network lost, by reason, for the status bar: the stack's drops (StackEvent.Dropped with
 * its DropReason: "bad checksum", "not for us", ...) and the link's (an impairment's loss or damage, a full queue,
 * a failed send). Duplicated and reordered frames are not losses and are not counted.
 */
public final class DropTally {
    private final Map<String, Long> byReason = new LinkedHashMap<>();
    private long total;

    public void record(StackEvent.Dropped dropped) {
        add(dropped.reason().toString());
    }

    /** Counts the link events that lose or damage a frame; others are ignored. */
    public void record(LinkEvent event) {
        switch (event.kind()) {
            case DROPPED -> add("impairment loss");
            case CORRUPTED -> add("impairment corruption");
            case QUEUE_FULL -> add("link queue full");
            case SEND_FAILED -> add("send failed");
            case RECEIVE_ERROR -> add("receive error");
            default -> {
            }
        }
    }

    /** Events the pump itself had to drop because the UI fell behind. */
    public void recordUiOverflow(long count) {
        if (count > 0) {
            byReason.merge("UI event queue full", count, Long::sum);
            total += count;
        }
    }

    private void add(String reason) {
        byReason.merge(reason, 1L, Long::sum);
        total++;
    }

    public long total() {
        return total;
    }

    public Map<String, Long> byReason() {
        return Map.copyOf(byReason);
    }

    public void clear() {
        byReason.clear();
        total = 0;
    }

    /** "none", or the reasons, most frequent first: "12 impairment loss, 3 bad checksum". */
    public String describe() {
        if (total == 0) {
            return "none";
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>(byReason.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Long> entry : entries) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(entry.getValue()).append(' ').append(entry.getKey());
        }
        return text.toString();
    }
}
