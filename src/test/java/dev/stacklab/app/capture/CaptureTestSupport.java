package dev.stacklab.app.capture;

import dev.stacklab.app.AppContext;
import dev.stacklab.app.Notifier;
import dev.stacklab.app.TestPatience;
import dev.stacklab.capture.CaptureReader;
import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.cli.Main;
import dev.stacklab.runtime.LabSession;
import javafx.beans.property.SimpleObjectProperty;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the capture tests share: real frames (the kernel conversation `bench synth-capture` replays), a collecting notifier, and a ui executor the test thread drains. */
final class CaptureTestSupport {
    private CaptureTestSupport() {
    }

    /** Writes {@code frames} frames of real kernel traffic (ARP, ping, TCP with data, RST, UDP and its ICMP error) to {@code file}. */
    static Path synthCapture(Path file, int frames) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "synth-capture", "--frames",
                Integer.toString(frames), file.toString());
        assertThat(code).as(err.toString()).isZero();
        return file;
    }

    /** The frames of a capture file, as live frames of {@code direction}. */
    static List<CapturedFrame> framesOf(Path file, CapturedFrame.Direction direction) throws IOException {
        List<CapturedFrame> frames = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file)) {
            while (reader.next()) {
                frames.add(new CapturedFrame(reader.timestampNanos(), direction,
                        java.util.Arrays.copyOf(reader.data(), reader.capturedLength()), reader.originalLength(), null));
            }
        }
        return frames;
    }

    /** Collects what the view-model tells the user. */
    static final class CollectingNotifier implements Notifier {
        final List<String> errors = new CopyOnWriteArrayList<>();
        final List<String> fixes = new CopyOnWriteArrayList<>();
        final List<String> infos = new CopyOnWriteArrayList<>();

        @Override
        public void error(String problem, String fix) {
            errors.add(problem);
            fixes.add(fix);
        }

        @Override
        public void info(String message) {
            infos.add(message);
        }
    }

    /** Stands in for the FX thread: results posted by workers run when the test thread drains them. */
    static final class UiQueue implements java.util.concurrent.Executor {
        private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        /** Runs posted tasks until {@code condition} holds; fails after {@link TestPatience#WAIT}. */
        void runUntil(BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TestPatience.WAIT.toNanos();
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                assertThat(left).as("condition still false after " + TestPatience.SECONDS + " s").isPositive();
                Runnable task = tasks.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                if (task != null) {
                    task.run();
                }
            }
        }
    }

    static AppContext context(Notifier notifier) {
        return new AppContext(new SimpleObjectProperty<LabSession>(), notifier, filter -> { });
    }
}
