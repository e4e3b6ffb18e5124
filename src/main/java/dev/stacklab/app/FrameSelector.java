package dev.stacklab.app;

/**
 * Lets a tool pane point at frames in the capture panes: the ping pane selects a reply's request and reply
 * ({@code "icmp.ident == 0x1234 && icmp.seq == 3"}). The capture selects the frames the display filter matches
 * (the last one shown in the details) and scrolls to them. Called on the FX thread.
 */
@FunctionalInterface
public interface FrameSelector {
    void selectFramesMatching(String displayFilter);
}
