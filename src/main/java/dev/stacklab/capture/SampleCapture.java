package dev.stacklab.capture;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.FileNotFoundException;

/**
 * The small capture that ships inside stacklab, so that {@code decode --sample}, the README's examples and the
 * desktop app have real traffic to show on a fresh clone: two Linux kernels in network namespaces of their own,
 * joined by a veth pair and captured with tcpdump on one end (ARP, a ping, a 3000-byte ping in fragments, a TCP
 * connection with data and a close, a refused connection, UDP to a closed port). {@code scripts/make-sample-capture.sh}
 * made it and makes it again.
 */
public final class SampleCapture {
    /** The capture's file name (a classic pcap), e.g. for a window title or a "save as" default. */
    public static final String NAME = "stacklab-sample.pcap";

    private SampleCapture() {
    }

    /** A fresh stream over the capture's bytes, for {@link CaptureReader#open(InputStream)}; the caller closes it. */
    public static InputStream open() {
        InputStream in = SampleCapture.class.getResourceAsStream(NAME);
        if (in == null) {
            // Only a broken build gets here: the capture is a resource beside this class.
            throw new UncheckedIOException(new FileNotFoundException(NAME + " is missing from stacklab's classpath"));
        }
        return in;
    }
}
