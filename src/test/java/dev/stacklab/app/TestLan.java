package dev.stacklab.app;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.LinkException;
import dev.stacklab.link.VirtualSwitch;
import dev.stacklab.runtime.Host;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.RunnerListener;
import dev.stacklab.runtime.StackRunner;
import dev.stacklab.runtime.TcpServices;
import dev.stacklab.runtime.UdpEchoService;
import dev.stacklab.stack.StackEvent;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import dev.stacklab.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small simulated LAN in real time for the tool panes' tests, with hosts a test can add and remove (the app's
 * {@code SimulatedLanSession} has a fixed set): our host 10.0.0.2 with an Intel MAC (so its vendor has a name) and
 * a peer 10.0.0.1 answering ping, ARP, UDP echo on 7 and TCP echo, discard and HTTP, on a {@link VirtualSwitch}.
 * The capture is what our host
 * sends and receives.
 */
public final class TestLan implements LabSession {
    public static final Ipv4Cidr OURS = Ipv4Cidr.parse("10.0.0.2/24");
    public static final MacAddress OUR_MAC = MacAddress.parse("00:1b:21:12:34:56");
    public static final Ipv4Cidr PEER = Ipv4Cidr.parse("10.0.0.1/24");
    public static final MacAddress PEER_MAC = MacAddress.parse("00:1b:21:ab:cd:ef");

    private final VirtualSwitch lan = new VirtualSwitch("test LAN");
    private final List<Consumer<CapturedFrame>> captureListeners = new CopyOnWriteArrayList<>();
    private final List<Host> hosts = new ArrayList<>();
    private final Host ours;
    private final Host peer;

    public TestLan() {
        peer = addHost("peer", PEER, PEER_MAC);
        try {
            UdpEchoService.start(peer.runner(), UdpEchoService.ECHO_PORT).get(TestPatience.SECONDS, TimeUnit.SECONDS);
            TcpServices.start(peer.runner()); // TCP echo 7, discard 9 and HTTP 80, as the app's simulated LAN
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the test LAN's echo service did not start", e);
        }
        try {
            ours = Host.onLink(lan.attach("ours", OUR_MAC)).address(OURS).mac(OUR_MAC).listener(new RunnerListener() {
                @Override
                public void stackEvent(StackEvent event) {
                    if (event instanceof StackEvent.FrameSent sent) {
                        capture(new CapturedFrame(System.currentTimeMillis() * 1_000_000L, CapturedFrame.Direction.OUT,
                                sent.frame(), sent.frame().length, null));
                    } else if (event instanceof StackEvent.FrameReceived received) {
                        capture(new CapturedFrame(System.currentTimeMillis() * 1_000_000L, CapturedFrame.Direction.IN,
                                received.frame(), received.frame().length, null));
                    }
                }
            }).start();
        } catch (LinkException e) {
            close();
            throw new IllegalStateException(e);
        }
        hosts.add(ours);
    }

    /** Starts another host on the LAN (it announces itself, as every stack does at start). */
    public Host addHost(String name, Ipv4Cidr address, MacAddress mac) {
        try {
            Host host = Host.onLink(lan.attach(name, mac)).address(address).mac(mac).start();
            hosts.add(host);
            return host;
        } catch (LinkException e) {
            throw new IllegalStateException(e);
        }
    }

    public Host peer() {
        return peer;
    }

    private void capture(CapturedFrame frame) {
        for (Consumer<CapturedFrame> listener : captureListeners) {
            listener.accept(frame);
        }
    }

    @Override
    public String name() {
        return "Test LAN";
    }

    @Override
    public Optional<StackRunner> stack() {
        return Optional.of(ours.runner());
    }

    @Override
    public Optional<StackRunner> peerStack(Ipv4Address address) {
        return address.equals(PEER.address()) ? Optional.of(peer.runner()) : Optional.empty();
    }

    @Override
    public void addCaptureListener(Consumer<CapturedFrame> listener) {
        captureListeners.add(listener);
    }

    @Override
    public void removeCaptureListener(Consumer<CapturedFrame> listener) {
        captureListeners.remove(listener);
    }

    @Override
    public boolean showInCapture(CapturedFrame frame) {
        captureListeners.forEach(listener -> listener.accept(frame));
        return true;
    }

    @Override
    public void close() {
        hosts.forEach(Host::close);
    }

    /** A session with no stack, as a watch-only capture is. */
    public static LabSession watchOnly(String name) {
        return new LabSession() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Optional<StackRunner> stack() {
                return Optional.empty();
            }

            @Override
            public void addCaptureListener(Consumer<CapturedFrame> listener) {
            }

            @Override
            public void removeCaptureListener(Consumer<CapturedFrame> listener) {
            }

            @Override
            public void close() {
            }
        };
    }
}
