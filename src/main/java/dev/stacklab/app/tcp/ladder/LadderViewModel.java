package dev.stacklab.app.tcp.ladder;

import dev.stacklab.app.CaptureFeed;
import dev.stacklab.app.Notifier;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.capture.LinkType;
import dev.stacklab.capture.PcapWriter;
import dev.stacklab.wire.Ipv4Address;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The ladder diagram's state: the TCP connections in the capture's frames ({@link CaptureFeed}, so live networks and
 * step-mode scenarios alike), which one is shown, and the link both ways between its arrows and the capture's packet
 * list. Plain Java apart from the properties: tests feed frames through a {@link CaptureFeed} of their own.
 *
 * <p>Which connection: the one {@link #follow} names (the TCP pane's chosen connection), or, until then or while it
 * has no frames, the connection whose first segment came last.
 */
public final class LadderViewModel {
    /** The most arrows an SVG export holds (a bigger file is of no use in a document). */
    public static final int MAX_EXPORTED_SEGMENTS = 20_000;

    private final CaptureFeed feed;
    private final Notifier notifier;
    private final Executor worker;
    private final Executor ui;
    private final TcpTraces traces = new TcpTraces();
    private final List<Consumer<LadderSegment>> segmentListeners = new ArrayList<>();
    private final ReadOnlyObjectWrapper<ConnectionTrace> shown = new ReadOnlyObjectWrapper<>(this, "shown");
    private final ReadOnlyLongWrapper revision = new ReadOnlyLongWrapper(this, "revision");
    private final ReadOnlyIntegerWrapper selectedIndex = new ReadOnlyIntegerWrapper(this, "selectedIndex", -1);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary");
    private Ipv4Address wantedLocal;
    private int wantedLocalPort;
    private Ipv4Address wantedRemote;
    private int wantedRemotePort;

    /**
     * @param worker where files are written (a background thread in the app)
     * @param ui     where their outcome is reported from (the FX thread)
     */
    public LadderViewModel(CaptureFeed feed, Notifier notifier, Executor worker, Executor ui) {
        this.feed = feed;
        this.notifier = notifier;
        this.worker = worker;
        this.ui = ui;
        feed.addListener(new CaptureFeed.Listener() {
            @Override
            public void framesAdded(int firstNumber, List<CapturedFrame> frames) {
                added(firstNumber, frames);
            }

            @Override
            public void captureReset() {
                traces.clear();
                choose();
                changed();
            }
        });
        feed.selectedFrameNumberProperty().addListener((observable, old, number) -> showSelected(number.intValue()));
        summary.set(describe(null));
    }

    // ---------------------------------------------------------------- properties

    /** The connection drawn, or null before the first TCP segment. */
    public ReadOnlyObjectProperty<ConnectionTrace> shownProperty() {
        return shown.getReadOnlyProperty();
    }

    /** Goes up whenever the drawing should change (segments added, another connection, capture cleared). */
    public ReadOnlyLongProperty revisionProperty() {
        return revision.getReadOnlyProperty();
    }

    /** The index of the highlighted arrow in the shown connection's segments, or -1. */
    public ReadOnlyIntegerProperty selectedIndexProperty() {
        return selectedIndex.getReadOnlyProperty();
    }

    /** "10.0.0.2:49152 ↔ 10.0.0.1:7: 14 segments, 1 retransmission, 2 duplicate ACKs, 1 lost". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Told of every segment added to the shown connection (the sequence chart follows it). */
    public void addSegmentListener(Consumer<LadderSegment> listener) {
        segmentListeners.add(listener);
    }

    // ---------------------------------------------------------------- commands

    /** Shows the connection between our {@code local} socket and the {@code remote} one (null: the latest seen). */
    public void follow(Ipv4Address local, int localPort, Ipv4Address remote, int remotePort) {
        wantedLocal = local;
        wantedLocalPort = localPort;
        wantedRemote = remote;
        wantedRemotePort = remotePort;
        choose();
        changed();
    }

    /** The user clicked arrow {@code index}: it is highlighted and its frame selected in the capture. */
    public void arrowClicked(int index) {
        ConnectionTrace trace = shown.get();
        if (trace == null || index < 0 || index >= trace.segments().size()) {
            return;
        }
        selectedIndex.set(index);
        feed.selectFrame(trace.segments().get(index).frameNumber());
    }

    /** Writes the shown connection's ladder as SVG (on the worker); the outcome is a notification. */
    public void exportSvg(Path file, LadderPalette palette) {
        ConnectionTrace trace = shownOrSayWhy("export the ladder");
        if (trace == null) {
            return;
        }
        int count = trace.segments().size();
        int first = Math.max(0, count - MAX_EXPORTED_SEGMENTS);
        String svg = SvgLadder.of(trace, first, count, palette);
        write(file, "the ladder as SVG", out -> Files.writeString(out, svg, StandardCharsets.UTF_8),
                "Saved the ladder of " + (count - first) + " segments to " + file
                        + (first > 0 ? " (the last " + MAX_EXPORTED_SEGMENTS + " of " + count + ")" : ""));
    }

    /** Writes the shown connection's frames, as the capture holds them, to a pcap file. */
    public void exportPcap(Path file) {
        ConnectionTrace trace = shownOrSayWhy("export its frames");
        if (trace == null) {
            return;
        }
        int[] numbers = trace.segments().stream().mapToInt(LadderSegment::frameNumber).toArray();
        List<CapturedFrame> frames = feed.framesNumbered(numbers);
        if (frames.isEmpty()) {
            notifier.error("Cannot export the connection's frames: the capture no longer holds them",
                    "Clear the capture and make the connection again (the capture keeps the newest frames).");
            return;
        }
        write(file, "the connection's frames", out -> {
            try (PcapWriter writer = PcapWriter.create(out, LinkType.ETHERNET, true)) {
                for (CapturedFrame frame : frames) {
                    writer.write(frame.timestampNanos(), frame.bytes(), 0, frame.bytes().length, frame.originalLength());
                }
            }
        }, "Saved " + frames.size() + " frames of " + trace.ends() + " to " + file
                + (frames.size() < numbers.length ? " (" + (numbers.length - frames.size()) + " older ones had left the capture)" : ""));
    }

    /** Whether there is a connection to export or draw; otherwise says so in a notification. */
    public ConnectionTrace shownOrSayWhy(String what) {
        ConnectionTrace trace = shown.get();
        if (trace == null) {
            notifier.error("No TCP connection to " + what + " of yet",
                    "Open one in the TCP pane (Connect), or run a scenario, then export again.");
        }
        return trace;
    }

    /** Says a file could not be written, with the fix (for exports done by the view, such as PNG). */
    public void reportWriteFailure(Path file, String what, Exception failure) {
        notifier.error("Cannot save " + what + " to " + file + ": " + reason(failure), "Choose a folder you can write to.");
    }

    public void reportSaved(String message) {
        notifier.info(message);
    }

    private interface FileWrite {
        void to(Path file) throws IOException;
    }

    private void write(Path file, String what, FileWrite write, String done) {
        worker.execute(() -> {
            try {
                write.to(file);
                ui.execute(() -> notifier.info(done));
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> reportWriteFailure(file, what, e));
            }
        });
    }

    private static String reason(Exception failure) {
        if (failure instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (failure instanceof NoSuchFileException) {
            return "no such folder";
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }

    // ---------------------------------------------------------------- frames in

    private void added(int firstNumber, List<CapturedFrame> frames) {
        boolean shownGrew = false;
        for (int i = 0; i < frames.size(); i++) {
            ConnectionTrace trace = traces.add(firstNumber + i, frames.get(i));
            if (trace != null && trace == shown.get()) {
                shownGrew = true;
                LadderSegment segment = trace.segments().get(trace.segments().size() - 1);
                segmentListeners.forEach(listener -> listener.accept(segment));
            } else if (trace != null && choose()) {
                shownGrew = true;
            }
        }
        if (shownGrew) {
            changed();
        }
    }

    /** Picks the connection to show; true when it changed. */
    private boolean choose() {
        ConnectionTrace wanted = wantedLocal == null ? null
                : traces.between(wantedLocal, wantedLocalPort, wantedRemote, wantedRemotePort);
        ConnectionTrace next = wanted != null ? wanted : traces.latest();
        if (next == shown.get()) {
            return false;
        }
        shown.set(next);
        selectedIndex.set(-1);
        if (next != null) {
            // A connection just chosen: its segments so far are new to whoever follows them.
            for (LadderSegment segment : next.segments()) {
                segmentListeners.forEach(listener -> listener.accept(segment));
            }
        }
        showSelected(feed.selectedFrameNumberProperty().get());
        return true;
    }

    private void changed() {
        summary.set(describe(shown.get()));
        revision.set(revision.get() + 1);
    }

    private void showSelected(int frameNumber) {
        ConnectionTrace trace = shown.get();
        int index = trace == null || frameNumber <= 0 ? -1 : trace.indexOfFrame(frameNumber);
        if (index >= 0 || frameNumber > 0) {
            selectedIndex.set(index);
        }
    }

    static String describe(ConnectionTrace trace) {
        if (trace == null) {
            return "No TCP connection in the capture yet: connect somewhere (or run a scenario) and its segments appear here.";
        }
        int count = trace.segments().size();
        StringBuilder text = new StringBuilder(trace.ends().toString()).append(": ")
                .append(count).append(count == 1 ? " segment" : " segments");
        if (trace.forgotten() > 0) {
            text.append(" (").append(trace.forgotten()).append(" older ones not shown)");
        }
        append(text, trace.retransmissions(), "retransmission", "retransmissions");
        append(text, trace.duplicateAcks(), "duplicate ACK", "duplicate ACKs");
        append(text, trace.outOfOrder(), "out of order", "out of order");
        append(text, trace.lost(), "lost on the wire", "lost on the wire");
        return text.toString();
    }

    private static void append(StringBuilder text, int count, String one, String many) {
        if (count > 0) {
            text.append(", ").append(count).append(' ').append(count == 1 ? one : many);
        }
    }
}
