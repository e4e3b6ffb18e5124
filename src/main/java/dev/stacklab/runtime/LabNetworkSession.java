package dev.stacklab.runtime;

import dev.stacklab.capture.CapturedFrame;
import dev.stacklab.link.LinkException;
import dev.stacklab.link.PcapLink;
import dev.stacklab.wire.Ipv4Address;
import dev.stacklab.wire.Ipv4Cidr;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * The lab network with a real Linux kernel (what {@code stacklab labnet up} makes, {@link LabNetwork}): our host
 * on {@link LabNetwork#STACK_DEVICE} through libpcap with {@link LabNetwork#STACK_ADDRESS}, the kernel at the other
 * end of the veth with {@link LabNetwork#KERNEL_ADDRESS}. Made on {@link #open()} when it is not there yet, and then
 * removed again by {@link #close()}; a lab someone made before is used and left as it was.
 *
 * <p>Needs root, or root inside {@code unshare -rn} (then the kernel's end is beside ours, see
 * {@link LabNetwork.KernelPlace}).
 */
public final class LabNetworkSession implements LabSession {
    public static final String NAME = "Lab network (Linux kernel)";

    private final Host ourHost;
    private final CapturingLink tap;
    private final boolean madeTheLab;

    private LabNetworkSession(Host ourHost, CapturingLink tap, boolean madeTheLab) {
        this.ourHost = ourHost;
        this.tap = tap;
        this.madeTheLab = madeTheLab;
    }

    /**
     * Makes the lab network if needed and starts our host on it.
     *
     * @throws LabNetwork.LabNetworkException when the lab cannot be made (no root, no {@code ip}): one line with the fix
     * @throws LinkException when libpcap cannot open the stack's device: one line with the fix
     */
    public static LabNetworkSession open() throws LabNetwork.LabNetworkException, LinkException {
        boolean made = false;
        if (!LabNetwork.status().vethExists()) {
            LabNetwork.upVeth();
            made = true;
        }
        try {
            CapturingLink tap = new CapturingLink(PcapLink.open(LabNetwork.STACK_DEVICE));
            Host host = Host.onLink(tap).address(LabNetwork.STACK_ADDRESS).start();
            return new LabNetworkSession(host, tap, made);
        } catch (LinkException | RuntimeException e) {
            if (made) {
                removeLab();
            }
            throw e;
        }
    }

    /** Whether this session made the lab network (and so removes it on close). */
    public boolean madeTheLab() {
        return madeTheLab;
    }

    /** The real kernel's address at the other end of the veth. */
    public static Ipv4Address kernelAddress() {
        return Ipv4Cidr.parse(LabNetwork.KERNEL_ADDRESS).address();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The Linux kernel on the veth's other side. */
    @Override
    public Optional<Ipv4Address> suggestedPeer() {
        return Optional.of(kernelAddress());
    }

    @Override
    public Optional<StackRunner> stack() {
        return Optional.of(ourHost.runner());
    }

    @Override
    public void addCaptureListener(Consumer<CapturedFrame> listener) {
        tap.addCaptureListener(listener);
    }

    @Override
    public void removeCaptureListener(Consumer<CapturedFrame> listener) {
        tap.removeCaptureListener(listener);
    }

    @Override
    public boolean showInCapture(CapturedFrame frame) {
        tap.publishFromBeside(frame);
        return true;
    }

    @Override
    public void close() {
        ourHost.close();
        if (madeTheLab) {
            removeLab();
        }
    }

    private static void removeLab() {
        try {
            LabNetwork.down(false);
        } catch (LabNetwork.LabNetworkException e) {
            // close() never throws: what is left is what `stacklab labnet down` removes.
            LoggerFactory.getLogger(LabNetworkSession.class).warn(
                    "could not remove the lab network (`java -jar target/stacklab.jar labnet down` removes it): " + e.getMessage());
        }
    }
}
