package dev.stacklab.app.tcp.ladder;

import javafx.scene.paint.Color;

import java.util.EnumMap;
import java.util.Map;

/**
 * The colours the ladder is drawn with. On screen they come from {@code ladder.css} (AtlantaFX's looked-up colours,
 * so both themes apply: see {@link LadderDiagram}); {@link #LIGHT} is Primer Light's, for drawing without a scene.
 */
public record LadderPalette(Color background, Color text, Color muted, Color line, Color arrow, Color selection,
                            Map<LadderMark, Color> marks) {

    public static final LadderPalette LIGHT = new LadderPalette(Color.web("#ffffff"), Color.web("#1f2328"),
            Color.web("#656d76"), Color.web("#d0d7de"), Color.web("#0969da"), Color.web("#ddf4ff"), markColours(
                    Color.web("#8c959f"), Color.web("#cf222e"), Color.web("#8250df"), Color.web("#bc4c00"), Color.web("#9a6700")));

    private static Map<LadderMark, Color> markColours(Color lost, Color retransmission, Color outOfOrder, Color duplicateAck,
                                                      Color zeroWindow) {
        Map<LadderMark, Color> colours = new EnumMap<>(LadderMark.class);
        colours.put(LadderMark.LOST, lost);
        colours.put(LadderMark.RETRANSMISSION, retransmission);
        colours.put(LadderMark.FAST_RETRANSMISSION, retransmission);
        colours.put(LadderMark.OUT_OF_ORDER, outOfOrder);
        colours.put(LadderMark.DUPLICATE_ACK, duplicateAck);
        colours.put(LadderMark.ZERO_WINDOW, zeroWindow);
        colours.put(LadderMark.ZERO_WINDOW_PROBE, zeroWindow);
        return colours;
    }

    /** The colour of the arrow of {@code segment}: its most telling mark's, or the plain arrow's. */
    Color arrowColour(LadderSegment segment) {
        for (LadderMark mark : new LadderMark[] {LadderMark.RETRANSMISSION, LadderMark.FAST_RETRANSMISSION,
                LadderMark.OUT_OF_ORDER, LadderMark.DUPLICATE_ACK, LadderMark.ZERO_WINDOW, LadderMark.ZERO_WINDOW_PROBE,
                LadderMark.LOST}) {
            if (segment.has(mark)) {
                return marks.get(mark);
            }
        }
        return arrow;
    }

    /** "#cf222e", for SVG. */
    static String hex(Color colour) {
        return String.format("#%02x%02x%02x", Math.round(colour.getRed() * 255), Math.round(colour.getGreen() * 255),
                Math.round(colour.getBlue() * 255));
    }
}
