package dev.stacklab.runtime;

import dev.stacklab.link.Link;
import dev.stacklab.link.LinkEvent;
import dev.stacklab.stack.NeighborEntry;
import dev.stacklab.stack.NetStack;
import dev.stacklab.stack.PingOutcome;
import dev.stacklab.stack.PingRequest;
import dev.stacklab.stack.StackConfig;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.stack.UdpReceiver;
import dev.stacklab.stack.UdpSocket;
import dev.stacklab.stack.tcp.TcpConfig;
import dev.stacklab.stack.tcp.TcpConnection;
import dev.stacklab.stack.tcp.TcpLayer;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.MacAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that owns a {@link NetStack} and drives it with real time and a real {@link Link}: the only
 * place where the sans-I/O engine meets threads, clocks and devices.
 *
 * <p>The thread sleeps until a frame arrives from the link's reader thread, a command arrives from an app, or
 * the engine's {@link NetStack#pollAt()} deadline comes; then it calls {@code receive} or {@code poll} and
 * hands every frame the engine wants sent to {@link Link#send}. Nothing else ever touches the engine, so the
 * engine needs no locks.
 *
 * <p>The inbox is bounded: at most {@value #DEFAULT_INBOX_FRAMES} frames (or {@value #INBOX_BYTES} bytes) wait;
 * beyond that a flood is dropped and counted ({@link #droppedFrames()}) rather than exhausting memory. Commands
 * have their own bound, so a flood of frames never locks out a command (closing, say).
 *
 * <p>Futures are completed on the runner thread: a dependent stage attached with {@code thenAccept} runs there
 * too and must not block (use the {@code ...Async} variants, or {@code Platform.runLater} from the UI).
 * Closing the runner fails every future still waiting.
 *
 * <p>An exception from the engine never kills the thread silently: it is reported to the listeners'
 * {@link RunnerListener#problem} (or the log, with no listener) and the runner goes on; after
 * {@value #MAX_CONSECUTIVE_FAILURES} failures in a row, or when {@link NetStack#start} fails, it stops and says so.
 */
public final class StackRunner implements AutoCloseable {
    public static final int DEFAULT_INBOX_FRAMES = 4096;
    /** 32 MiB: a few thousand maximum-size frames; what a flood may hold before frames are dropped. */
    static final long INBOX_BYTES = 32L << 20;
    static final int MAX_PENDING_COMMANDS = 10_000;
    static final int MAX_PENDING_LINK_EVENTS = 1024;
    static final int MAX_CONSECUTIVE_FAILURES = 100;
    /** Segments step mode holds at most; a sender that goes on past it loses the rest (its timers repair that). */
    static final int MAX_HELD_SEGMENTS = 1024;
    /** Frames handled before commands are looked at again, so commands are never starved by a flood. */
    private static final int FRAMES_PER_BATCH = 64;
    /** The longest sleep: a safety net only, every producer wakes the thread. */
    private static final long MAX_PARK_NANOS = 100_000_000L;
    private static final long JOIN_MILLIS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(StackRunner.class);

    private record InboundFrame(byte[] frame, int length, long timestampNanos) {
    }

    /** A command in the inbox: either it runs on the runner thread, or it fails because the runner stopped. */
    private interface Command {
        void run(long nowNanos);

        void fail(Throwable cause);
    }

    private final NetStack stack;
    private final Link link;
    private final Clock clock;
    /** Live links stamp frames on System.nanoTime(): then those stamps are the engine's arrival times. */
    private final boolean clockIsLinkClock;
    private final ArrayBlockingQueue<InboundFrame> frames;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ConcurrentLinkedQueue<Command> commands = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedCommands = new AtomicInteger();
    private final ArrayBlockingQueue<LinkEvent> linkEvents = new ArrayBlockingQueue<>(MAX_PENDING_LINK_EVENTS);
    private final CopyOnWriteArrayList<RunnerListener> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong droppedFrames = new AtomicLong();
    private final AtomicLong droppedLinkEvents = new AtomicLong();
    private final AtomicLong engineFailures = new AtomicLong();
    /** Set by the link's thread when it drops a frame, so the runner thread reports the flood once, not per frame. */
    private final AtomicBoolean dropsToReport = new AtomicBoolean();
    /** Futures waiting for an engine callback (ping, resolve); touched only on the runner thread. */
    private final Set<CompletableFuture<?>> awaitingEngine = new HashSet<>();
    /** Waits on no particular connection (an accept), tried after every pass of the loop. */
    private final List<EngineWait> engineWaits = new ArrayList<>();
    /**
     * Waits on one TCP connection (a read, write, connect, a served connection), tried again only after the engine
     * said that connection changed ({@link #readyConnections}): with a thousand connections open, a frame for one of
     * them costs one try, not a thousand.
     */
    private final Map<TcpConnection, List<EngineWait>> connectionWaits = new HashMap<>();
    /** Connections the engine reported changed since their waits were last tried. */
    private final Set<TcpConnection> readyConnections = new LinkedHashSet<>();
    private TcpLayer tcp;
    /** Step mode against a real peer: our TCP segments wait here until released, oldest first (runner thread). */
    private final java.util.ArrayDeque<byte[]> heldSegments = new java.util.ArrayDeque<>();
    private boolean holdingTcp;
    private volatile boolean running;
    private volatile boolean parked;
    private volatile Throwable stoppedBy;
    private boolean started;
    private long lastNow = Long.MIN_VALUE;
    private int consecutiveFailures;

    /** A runner in real time with the default inbox. */
    public StackRunner(StackConfig config, Link link) {
        this(config, link, SystemClock.INSTANCE, DEFAULT_INBOX_FRAMES);
    }

    /**
     * @param config what the stack is on its interface
     * @param link the link the stack sends and receives on; started by {@link #start()}, closed by {@link #close()}
     * @param clock the time the engine is given
     * @param inboxFrames how many received frames may wait before further ones are dropped
     */
    public StackRunner(StackConfig config, Link link, Clock clock, int inboxFrames) {
        this.link = Objects.requireNonNull(link, "link");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.clockIsLinkClock = clock == SystemClock.INSTANCE;
        this.frames = new ArrayBlockingQueue<>(inboxFrames);
        this.stack = new NetStack(config, this::publishStackEvent);
        // Until the first frame brings a fresh wall-clock reading; the engine's own time stays monotonic.
        stack.setUtcOffset(clock.utcOffsetNanos());
        this.thread = new Thread(this::runLoop, "stacklab-stack-" + link.name());
        // A forgotten close() must not keep the JVM alive; the CLI closes on exit anyway.
        thread.setDaemon(true);
    }

    /** Listeners added before {@link #start()} see everything, the gratuitous ARP included. */
    public void addListener(RunnerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        updateFramePublishing();
    }

    public void removeListener(RunnerListener listener) {
        listeners.remove(listener);
        updateFramePublishing();
    }

    /**
     * The engine copies every frame into a FrameReceived/FrameSent event only while someone listens: without
     * listeners (a bare library host, a flood) that copy is pure cost.
     */
    private void updateFramePublishing() {
        if (running) {
            submit((engine, now) -> {
                engine.publishFrameEvents(!listeners.isEmpty());
                return null;
            });
        }
    }

    /** Starts the link and the runner thread, which brings the stack up. Once. */
    public synchronized StackRunner start() {
        if (started || closed.get()) {
            throw new IllegalStateException("runner on " + link.name() + (closed.get() ? " is closed" : " is already started"));
        }
        started = true;
        // Before the thread starts, which publishes this to it; from then on only the runner thread touches the engine.
        stack.publishFrameEvents(!listeners.isEmpty());
        running = true;
        try {
            link.start(this::frameReceived, this::linkEventReported);
        } catch (RuntimeException e) {
            running = false;
            throw e;
        }
        thread.start();
        return this;
    }

    public StackConfig config() {
        return stack.config();
    }

    public Link link() {
        return link;
    }

    /** Whether the runner thread is (still) driving the stack. */
    public boolean isRunning() {
        return running;
    }

    /** Why the runner stopped by itself, or null (running, or closed normally). */
    public Throwable stoppedBy() {
        return stoppedBy;
    }

    /** Received frames dropped because the inbox was full. */
    public long droppedFrames() {
        return droppedFrames.get();
    }

    /** Exceptions the engine has thrown so far. */
    public long engineFailures() {
        return engineFailures.get();
    }

    // ---------------------------------------------------------------- commands

    /** Runs {@code command} on the runner thread with the current time; the future gets its result or exception. */
    public <T> CompletableFuture<T> submit(StackCommand<T> command) {
        CompletableFuture<T> future = new CompletableFuture<>();
        enqueue(future, now -> future.complete(command.run(stack, now)));
        return future;
    }

    /** Sends one echo request; the future gets how it ended (a timeout too: the engine times pings out). */
    public CompletableFuture<PingOutcome> ping(PingRequest request) {
        CompletableFuture<PingOutcome> future = new CompletableFuture<>();
        enqueue(future, now -> {
            awaitingEngine.add(future);
            stack.ping(request, now, (sent, outcome) -> {
                awaitingEngine.remove(future);
                future.complete(outcome);
            });
        });
        return future;
    }

    /** Resolves an on-link address with ARP; empty when nobody answered after the engine's retries. */
    public CompletableFuture<Optional<MacAddress>> resolve(Ipv4Address address) {
        CompletableFuture<Optional<MacAddress>> future = new CompletableFuture<>();
        enqueue(future, now -> {
            awaitingEngine.add(future);
            stack.resolve(address, now, (asked, mac) -> {
                awaitingEngine.remove(future);
                future.complete(Optional.ofNullable(mac));
            });
        });
        return future;
    }

    /**
     * Binds a UDP port (0 for an ephemeral one). {@code receiver} is called on the runner thread with the engine's
     * own socket; the socket the future returns may be used from any thread (its sends go through the inbox).
     */
    public CompletableFuture<UdpSocket> udpBind(int port, UdpReceiver receiver) {
        return submit((engine, now) -> new RunnerUdpSocket(this, engine.udpBind(port, receiver)));
    }

    /** The engine's counters and the runner's own (inbox drops, engine failures). */
    public CompletableFuture<HostCounters> counters() {
        return submit((engine, now) -> new HostCounters(engine.counters(), droppedFrames.get(), droppedLinkEvents.get(),
                engineFailures.get()));
    }

    public CompletableFuture<List<NeighborEntry>> neighbors() {
        return submit((engine, now) -> engine.neighbors());
    }

    /** The neighbor cache with the engine's time it was read at, so that ages and expiries can be told. */
    public CompletableFuture<NeighborSnapshot> neighborSnapshot() {
        return submit((engine, now) -> new NeighborSnapshot(now, engine.neighbors()));
    }

    /** Forgets the neighbor entries nobody waits on ({@code ip neigh flush}); the future gets how many. */
    public CompletableFuture<Integer> flushNeighbors() {
        return submit((engine, now) -> engine.flushNeighbors(now));
    }

    /** Broadcasts a gratuitous ARP announcement of our address (RFC 5227 section 2.3) now. */
    public CompletableFuture<Void> announce() {
        return submit((engine, now) -> {
            engine.announce(now);
            return null;
        });
    }

    /**
     * Whether TCP publishes a {@link dev.stacklab.stack.tcp.TcpEvent.SnapshotTaken} after every segment in or out and
     * every timer (off by default): the app's congestion-window chart follows a connection through them.
     */
    public CompletableFuture<Void> publishTcpSnapshots(boolean enabled) {
        return submit((engine, now) -> {
            tcp().engine().publishSnapshots(enabled);
            return null;
        });
    }

    /**
     * Step mode against a real peer: while on, every TCP segment our stack sends waits in the runner, unsent, until
     * {@link #releaseHeldSegment()} sends the oldest (ARP and ICMP pass). The peer is not held: its own timers keep
     * running. Turning it off sends everything held, in order.
     */
    public CompletableFuture<Void> holdTcpSegments(boolean hold) {
        return submit((engine, now) -> {
            holdingTcp = hold;
            if (!hold) {
                while (!heldSegments.isEmpty()) {
                    byte[] frame = heldSegments.poll();
                    link.send(frame, 0, frame.length);
                }
            }
            return null;
        });
    }

    /** Sends the oldest held segment; its bytes, or empty when none is held. */
    public CompletableFuture<Optional<byte[]>> releaseHeldSegment() {
        return submit((engine, now) -> {
            byte[] frame = heldSegments.poll();
            if (frame != null) {
                link.send(frame, 0, frame.length);
            }
            return Optional.ofNullable(frame);
        });
    }

    /** The segments held now, oldest first (copies). */
    public CompletableFuture<List<byte[]>> heldSegments() {
        return submit((engine, now) -> heldSegments.stream().map(byte[]::clone).toList());
    }

    /**
     * Installs TCP in the stack with {@code config} (else the first TCP use installs it with
     * {@link TcpConfig#defaults()}); fails when TCP is installed already.
     */
    public CompletableFuture<Void> installTcp(TcpConfig config) {
        return submit((engine, now) -> {
            if (tcp != null) {
                throw new IllegalStateException("TCP is already installed on " + link.name());
            }
            tcp = TcpLayer.install(engine, config);
            tcp.engine().setReadinessListener(readyConnections::add);
            return null;
        });
    }

    /** The stack's TCP, installed with the defaults on first use. On the runner thread only. */
    TcpLayer tcp() {
        if (tcp == null) {
            tcp = TcpLayer.install(stack, TcpConfig.defaults());
            tcp.engine().setReadinessListener(readyConnections::add);
        }
        return tcp;
    }

    /**
     * Something a blocking facade waits for: {@code attempt} runs on the runner thread now and again after every
     * pass of the loop (after frames, commands and timers were handled) until it returns non-null, which completes
     * the future, or throws, which fails it. A cancelled future is dropped. No thread polls: the waiting thread
     * sleeps on the future.
     */
    <T> CompletableFuture<T> awaitEngine(EngineAttempt<T> attempt) {
        return awaitEngine(null, attempt);
    }

    /**
     * {@link #awaitEngine(EngineAttempt)} for a wait on one connection: after its first try, it is tried again only
     * when the engine reports that connection changed (data, an ACK, a state change, a timer), not after every pass.
     */
    <T> CompletableFuture<T> awaitEngine(TcpConnection connection, EngineAttempt<T> attempt) {
        CompletableFuture<T> future = new CompletableFuture<>();
        enqueue(future, now -> {
            EngineWait wait = new EngineWait() {
                @Override
                public boolean tryComplete(long nowNanos) {
                    if (future.isDone()) {
                        return true;
                    }
                    try {
                        T result = attempt.attempt(stack, nowNanos);
                        if (result == null) {
                            return false;
                        }
                        future.complete(result);
                    } catch (Exception e) {
                        future.completeExceptionally(e);
                    }
                    return true;
                }

                @Override
                public void fail(Throwable cause) {
                    future.completeExceptionally(cause);
                }
            };
            if (!wait.tryComplete(now)) {
                addWait(connection, wait);
            }
        });
        return future;
    }

    /**
     * Serves a connection on the runner thread: {@code handler} runs now and again each time the engine reports the
     * connection changed, until it returns true. No thread waits for it; it must not block. On the runner thread.
     */
    void serveOnRunner(TcpConnection connection, ConnectionHandler handler) {
        EngineWait wait = new EngineWait() {
            @Override
            public boolean tryComplete(long nowNanos) {
                return handler.onReady(nowNanos);
            }

            @Override
            public void fail(Throwable cause) {
                handler.onStopped();
            }
        };
        if (!wait.tryComplete(lastNow)) {
            addWait(connection, wait);
        }
    }

    /** Adds a wait that is tried after every pass (an acceptor, say), until it returns true. On the runner thread. */
    void serveEveryPass(ConnectionHandler handler) {
        engineWaits.add(new EngineWait() {
            @Override
            public boolean tryComplete(long nowNanos) {
                return handler.onReady(nowNanos);
            }

            @Override
            public void fail(Throwable cause) {
                handler.onStopped();
            }
        });
    }

    /** Work on the runner thread driven by readiness: {@link #onReady} says whether it is finished. */
    interface ConnectionHandler {
        boolean onReady(long nowNanos);

        /** The runner stopped: release what is held. */
        default void onStopped() {
        }
    }

    private void addWait(TcpConnection connection, EngineWait wait) {
        if (connection == null) {
            engineWaits.add(wait);
        } else {
            connectionWaits.computeIfAbsent(connection, key -> new ArrayList<>(2)).add(wait);
        }
    }

    /** Whether the caller is the runner thread, which must never wait on the engine it drives. */
    boolean isRunnerThread() {
        return Thread.currentThread() == thread;
    }

    /** One try of an {@link #awaitEngine} wait: a result, or null for "not yet". */
    @FunctionalInterface
    interface EngineAttempt<T> {
        T attempt(NetStack stack, long nowNanos) throws Exception;
    }

    private interface EngineWait {
        boolean tryComplete(long nowNanos);

        void fail(Throwable cause);
    }

    /** Says whether a wait completed (its work, a read opening the window say, may have output). */
    private boolean tryEngineWaits(long now) {
        boolean completed = tryAll(engineWaits, now);
        while (!readyConnections.isEmpty()) {
            Iterator<TcpConnection> first = readyConnections.iterator();
            TcpConnection connection = first.next();
            first.remove();
            List<EngineWait> waits = connectionWaits.get(connection);
            if (waits != null) {
                completed |= tryAll(waits, now);
                if (waits.isEmpty()) {
                    connectionWaits.remove(connection);
                }
            }
            if (completed) {
                // Its work (a read opening the window, a write) may have output: poll before the next connection.
                pollIfDue(now);
            }
        }
        return completed;
    }

    private static boolean tryAll(List<EngineWait> waits, long now) {
        boolean completed = false;
        for (int i = 0; i < waits.size(); ) {
            if (waits.get(i).tryComplete(now)) {
                waits.remove(i);
                completed = true;
            } else {
                i++;
            }
        }
        return completed;
    }

    /** Queues {@code body} to run on the runner thread; any exception it throws fails {@code future}. */
    private void enqueue(CompletableFuture<?> future, java.util.function.LongConsumer body) {
        Command command = new Command() {
            @Override
            public void run(long nowNanos) {
                try {
                    body.accept(nowNanos);
                } catch (RuntimeException e) {
                    awaitingEngine.remove(future);
                    future.completeExceptionally(e);
                }
            }

            @Override
            public void fail(Throwable cause) {
                future.completeExceptionally(cause);
            }
        };
        if (!running) {
            command.fail(notRunning());
            return;
        }
        if (queuedCommands.incrementAndGet() > MAX_PENDING_COMMANDS) {
            queuedCommands.decrementAndGet();
            command.fail(new RejectedExecutionException("the stack on " + link.name() + " has "
                    + MAX_PENDING_COMMANDS + " commands waiting already"));
            return;
        }
        commands.add(command);
        // The runner may have stopped between the check above and the add: then nobody would ever run it.
        if (!running && commands.remove(command)) {
            queuedCommands.decrementAndGet();
            command.fail(notRunning());
            return;
        }
        wake();
    }

    /** Sends a datagram on behalf of a {@link RunnerUdpSocket}; the payload is already a private copy. */
    void sendDatagram(UdpSocket socket, Ipv4Address destination, int port, byte[] payload) {
        submit((engine, now) -> {
            socket.send(destination, port, payload, 0, payload.length);
            return null;
        });
    }

    void closeSocket(UdpSocket socket) {
        submit((engine, now) -> {
            socket.close();
            return null;
        });
    }

    private IllegalStateException notRunning() {
        Throwable cause = stoppedBy;
        if (cause != null) {
            return new IllegalStateException("the stack on " + link.name() + " stopped: " + cause.getMessage(), cause);
        }
        return new IllegalStateException("the stack on " + link.name() + (closed.get() ? " is closed" : " is not started"));
    }

    // ---------------------------------------------------------------- producers (other threads)

    private void frameReceived(byte[] frame, int length, long timestampNanos) {
        if (queuedBytes.addAndGet(length) > INBOX_BYTES) {
            queuedBytes.addAndGet(-length);
            dropFrame();
            return;
        }
        if (!frames.offer(new InboundFrame(frame, length, timestampNanos))) {
            queuedBytes.addAndGet(-length);
            dropFrame();
            return;
        }
        wake();
    }

    private void dropFrame() {
        droppedFrames.incrementAndGet();
        dropsToReport.set(true);
    }

    private void linkEventReported(LinkEvent event) {
        if (!linkEvents.offer(event)) {
            droppedLinkEvents.incrementAndGet();
            return;
        }
        wake();
    }

    /**
     * Wakes the runner if it sleeps. Unparking a running thread would leave a permit that only costs one spurious
     * wakeup; checking {@code parked} first saves the unpark call on the busy path.
     */
    private void wake() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    // ---------------------------------------------------------------- the runner thread

    private void runLoop() {
        try {
            try {
                stack.start(now());
            } catch (RuntimeException e) {
                stop("the stack could not start: " + e, e);
                return;
            }
            pollIfDue(now());
            while (running) {
                boolean worked = runCommands();
                worked |= receiveFrames();
                worked |= deliverLinkEvents();
                reportDrops();
                long now = now();
                worked |= pollIfDue(now);
                worked |= tryEngineWaits(lastNow);
                if (!worked) {
                    sleepUntil(pollAt(), now);
                }
            }
        } catch (Error e) {
            stop("the stack thread died: " + e, e);
            throw e;
        } finally {
            running = false;
            failEverythingWaiting();
        }
    }

    private boolean runCommands() {
        boolean worked = false;
        Command command;
        while ((command = commands.poll()) != null) {
            queuedCommands.decrementAndGet();
            command.run(now());
            worked = true;
            pollIfDue(lastNow);
        }
        return worked;
    }

    private boolean receiveFrames() {
        for (int i = 0; i < FRAMES_PER_BATCH; i++) {
            InboundFrame inbound = frames.poll();
            if (inbound == null) {
                if (i > 0) {
                    pollIfDue(lastNow);
                }
                return i > 0;
            }
            queuedBytes.addAndGet(-inbound.length());
            long now = arrivalTime(inbound.timestampNanos());
            try {
                // The wall clock read now, after the frame arrived: a Timestamp option in the answer is then never
                // earlier than the sender's stamp (RFC 791), as an offset taken once at start could be.
                stack.receive(inbound.frame(), inbound.length(), now, clock.wallClockMillis());
                consecutiveFailures = 0;
            } catch (RuntimeException e) {
                engineFailed("receiving a " + inbound.length() + "-byte frame", e);
            }
        }
        // One poll for the batch: frames that arrived together are answered together, so a burst of data segments
        // draws one cumulative ACK (as Linux's GRO does) instead of one per two segments, each a send on the link.
        // A lone frame (a ping) is still answered at once.
        pollIfDue(lastNow);
        return true;
    }

    private boolean deliverLinkEvents() {
        boolean worked = false;
        LinkEvent event;
        while ((event = linkEvents.poll()) != null) {
            worked = true;
            for (RunnerListener listener : listeners) {
                try {
                    listener.linkEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("a runner listener failed on a link event", e);
                }
            }
        }
        return worked;
    }

    private void reportDrops() {
        if (dropsToReport.getAndSet(false)) {
            reportProblem("the inbox of the stack on " + link.name() + " is full (" + frames.remainingCapacity()
                    + " free of " + (frames.size() + frames.remainingCapacity()) + "): " + droppedFrames.get()
                    + " received frames dropped so far", null);
        }
    }

    /** Polls the engine when its deadline has come; says whether it did. */
    private boolean pollIfDue(long now) {
        if (!running || pollAt() > now) {
            return false;
        }
        try {
            stack.poll(now, this::transmit);
            consecutiveFailures = 0;
        } catch (RuntimeException e) {
            engineFailed("polling", e);
        }
        return true;
    }

    /** Where the engine's frames go: the link, or the hold while step mode holds our TCP segments. */
    private void transmit(byte[] frame, int offset, int length) {
        if (holdingTcp && isTcp(frame, offset, length)) {
            if (heldSegments.size() < MAX_HELD_SEGMENTS) {
                heldSegments.add(java.util.Arrays.copyOfRange(frame, offset, offset + length));
            }
            // Past the limit a segment is lost, as on a full queue: the sender's timers send it again.
            return;
        }
        link.send(frame, offset, length);
    }

    /** An IPv4 datagram carrying TCP in an untagged Ethernet frame: what our stack sends. */
    private static boolean isTcp(byte[] frame, int offset, int length) {
        return length > 14 + 20 && frame[offset + 12] == 0x08 && frame[offset + 13] == 0x00 && frame[offset + 14 + 9] == 6;
    }

    private long pollAt() {
        try {
            return stack.pollAt();
        } catch (RuntimeException e) {
            engineFailed("asking when to poll", e);
            // Try again soon rather than never: the next call may succeed.
            return lastNow + MAX_PARK_NANOS;
        }
    }

    private void sleepUntil(long deadline, long now) {
        parked = true;
        // Re-checked after announcing the sleep: a producer that added work before seeing `parked` did not unpark.
        if (running && frames.isEmpty() && commands.isEmpty() && linkEvents.isEmpty() && !dropsToReport.get()) {
            long wait = deadline == Long.MAX_VALUE ? MAX_PARK_NANOS : Math.min(MAX_PARK_NANOS, deadline - now);
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
        parked = false;
    }

    private long now() {
        long now = Math.max(lastNow, clock.nanoTime());
        lastNow = now;
        return now;
    }

    /**
     * The time a frame reached the engine. With the system clock that is when the link saw it: iputils measures
     * RTT to the kernel's receive stamp too, and a frame that waited behind others keeps its true arrival time.
     * Never earlier than a time the engine was already given: its timers assume time only grows.
     */
    private long arrivalTime(long linkTimestamp) {
        if (!clockIsLinkClock) {
            return now();
        }
        long now = Math.max(lastNow, linkTimestamp);
        lastNow = now;
        return now;
    }

    private void publishStackEvent(StackEvent event) {
        for (RunnerListener listener : listeners) {
            try {
                listener.stackEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("a runner listener failed on " + event.getClass().getSimpleName(), e);
            }
        }
    }

    private void engineFailed(String what, RuntimeException e) {
        engineFailures.incrementAndGet();
        consecutiveFailures++;
        if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
            stop("the stack failed " + consecutiveFailures + " times in a row, last while " + what + ": " + e, e);
        } else {
            reportProblem("the stack failed while " + what + ": " + e, e);
        }
    }

    private void stop(String message, Throwable cause) {
        stoppedBy = cause;
        running = false;
        reportProblem(message + "; the stack on " + link.name() + " stopped", cause);
    }

    private void reportProblem(String message, Throwable cause) {
        if (listeners.isEmpty()) {
            LOG.warn(message, cause);
            return;
        }
        for (RunnerListener listener : listeners) {
            try {
                listener.problem(message, cause);
            } catch (RuntimeException e) {
                LOG.warn("a runner listener failed on a problem report", e);
            }
        }
    }

    /** On the runner thread as it exits: nothing queued or awaited may wait forever. */
    private void failEverythingWaiting() {
        IllegalStateException cause = notRunning();
        Command command;
        while ((command = commands.poll()) != null) {
            queuedCommands.decrementAndGet();
            command.fail(cause);
        }
        for (CompletableFuture<?> future : new ArrayList<>(awaitingEngine)) {
            future.completeExceptionally(cause);
        }
        awaitingEngine.clear();
        for (EngineWait wait : new ArrayList<>(engineWaits)) {
            wait.fail(cause);
        }
        engineWaits.clear();
        for (List<EngineWait> waits : new ArrayList<>(connectionWaits.values())) {
            for (EngineWait wait : waits) {
                wait.fail(cause);
            }
        }
        connectionWaits.clear();
        frames.clear();
        queuedBytes.set(0);
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Stops the runner thread, closes the link, and waits for both (each within a second; in practice a few
     * milliseconds for the runner and up to the link's read timeout for the link). Futures still waiting fail
     * with an IllegalStateException. Idempotent; may be called from a listener (then it does not wait for its
     * own thread).
     */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        running = false;
        LockSupport.unpark(thread);
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        link.close();
        if (!thread.isAlive()) {
            return;
        }
        if (Thread.currentThread() != thread) {
            LOG.warn("the stack thread on " + link.name()
                    + " did not stop within a second (a listener blocking?)");
        }
    }

    @Override
    public String toString() {
        return "StackRunner[" + link.name() + ", " + stack.config().address() + (running ? ", running" : ", stopped") + "]";
    }
}
