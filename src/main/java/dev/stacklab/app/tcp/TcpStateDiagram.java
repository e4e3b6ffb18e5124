package dev.stacklab.app.tcp;

import dev.stacklab.stack.tcp.TcpState;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Polyline;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The TCP connection state diagram of RFC 9293 Figure 5: the eleven states as boxes, the transitions as arrows
 * labelled "event / action". The state in {@link #stateProperty()} is highlighted; each change of it that follows
 * an arrow of the figure highlights that arrow as the one just taken and traces it as part of the path so far.
 * Changes the figure has no arrow for (a RST from any state, say) move the highlight without an arrow.
 *
 * <p>CLOSED appears twice, as in the figure: at the top, where connections start, and at the bottom right, where
 * LAST-ACK and TIME-WAIT end. Colours come from {@code tcp-state-diagram.css} (AtlantaFX's looked-up colours, so
 * both themes apply). The drawing keeps its proportions and scales to the room it is given.
 */
public final class TcpStateDiagram extends Region {
    static final String STYLE_CLASS = "tcp-state-diagram";
    static final PseudoClass CURRENT = PseudoClass.getPseudoClass("current");
    static final PseudoClass VISITED = PseudoClass.getPseudoClass("visited");
    static final PseudoClass TAKEN = PseudoClass.getPseudoClass("taken");
    static final PseudoClass LAST = PseudoClass.getPseudoClass("last");
    private static final String STYLESHEET = Objects.requireNonNull(
            TcpStateDiagram.class.getResource("tcp-state-diagram.css"), "tcp-state-diagram.css").toExternalForm();

    /** The drawing's own coordinates; it is scaled to fit. */
    static final double WIDTH = 860;
    static final double HEIGHT = 610;
    private static final double BOX_WIDTH = 128;  // "SYN-RECEIVED" at 14 px with room
    private static final double BOX_HEIGHT = 30;
    private static final double ARROW = 8;

    /** One arrow of the figure. */
    record Transition(TcpState from, TcpState to, String label) {
    }

    private final ObjectProperty<TcpState> state = new SimpleObjectProperty<>(this, "state");
    private final javafx.beans.property.StringProperty cause = new javafx.beans.property.SimpleStringProperty(this, "cause");
    /** The cause of the change just made, under the arrow taken (or the state reached), faded in on each change. */
    private final Label causeBadge = new Label();
    private final javafx.animation.FadeTransition causeFade = new javafx.animation.FadeTransition(javafx.util.Duration.millis(700), causeBadge);
    private final Map<TcpState, Label> boxes = new EnumMap<>(TcpState.class);
    private final Label closedAtEnd = box("CLOSED");
    private final Map<Transition, Edge> edges = new LinkedHashMap<>();
    private final List<Transition> path = new ArrayList<>();
    private final Pane canvas = new LabelCentringPane();
    private Transition lastTaken;
    /**
     * Set by {@code -Dstacklab.reducedMotion=true} (the tests set it): the arrow taken is lit and labelled at once,
     * nothing moves along it.
     */
    static final boolean REDUCED_MOTION = Boolean.getBoolean("stacklab.reducedMotion");
    /** How long the token takes along the arrow just taken. */
    static final javafx.util.Duration TOKEN_TRAVEL = javafx.util.Duration.millis(800);
    private final javafx.beans.property.BooleanProperty animated =
            new javafx.beans.property.SimpleBooleanProperty(this, "animated", !REDUCED_MOTION);
    /** The dot that runs along the arrow just taken, from the old state to the new one. */
    private final javafx.scene.shape.Circle token = new javafx.scene.shape.Circle(7);
    private final javafx.animation.PathTransition tokenRun = new javafx.animation.PathTransition(TOKEN_TRAVEL, null, token);

    public TcpStateDiagram() {
        getStyleClass().add(STYLE_CLASS);
        getStylesheets().add(STYLESHEET);
        canvas.setPrefSize(WIDTH, HEIGHT);
        canvas.setMinSize(WIDTH, HEIGHT);
        canvas.setMaxSize(WIDTH, HEIGHT);
        place(TcpState.CLOSED, 430, 40);
        place(TcpState.LISTEN, 430, 130);
        place(TcpState.SYN_RECEIVED, 160, 225);
        place(TcpState.SYN_SENT, 700, 225);
        place(TcpState.ESTABLISHED, 430, 315);
        place(TcpState.FIN_WAIT_1, 160, 405);
        place(TcpState.CLOSING, 430, 405);
        place(TcpState.CLOSE_WAIT, 700, 405);
        place(TcpState.FIN_WAIT_2, 160, 495);
        place(TcpState.TIME_WAIT, 430, 495);
        place(TcpState.LAST_ACK, 700, 495);
        closedAtEnd.relocate(700 - BOX_WIDTH / 2, 580 - BOX_HEIGHT / 2);

        // The arrows of Figure 5, with "event / action" as the RFC writes them ("x": no action).
        arrow(TcpState.CLOSED, TcpState.LISTEN, "passive OPEN / create TCB", 535, 85, p(450, 55), p(450, 115));
        arrow(TcpState.LISTEN, TcpState.CLOSED, "CLOSE / delete TCB", 335, 85, p(410, 115), p(410, 55));
        arrow(TcpState.CLOSED, TcpState.SYN_SENT, "active OPEN / create TCB, snd SYN", 640, 18,
                p(494, 32), p(690, 32), p(690, 210));
        arrow(TcpState.SYN_SENT, TcpState.CLOSED, "CLOSE / delete TCB", 640, 62,
                p(720, 210), p(720, 48), p(494, 48));
        arrow(TcpState.LISTEN, TcpState.SYN_RECEIVED, "rcv SYN / snd SYN,ACK", 230, 118,
                p(366, 130), p(160, 130), p(160, 210));
        arrow(TcpState.SYN_RECEIVED, TcpState.LISTEN, "rcv RST / x", 300, 180, p(210, 210), p(390, 145));
        arrow(TcpState.LISTEN, TcpState.SYN_SENT, "SEND / snd SYN", 570, 165, p(470, 145), p(650, 210));
        arrow(TcpState.SYN_SENT, TcpState.SYN_RECEIVED, "rcv SYN / snd SYN,ACK", 430, 213, p(636, 225), p(224, 225));
        arrow(TcpState.SYN_RECEIVED, TcpState.ESTABLISHED, "rcv ACK of SYN / x", 255, 275, p(200, 240), p(390, 300));
        arrow(TcpState.SYN_SENT, TcpState.ESTABLISHED, "rcv SYN,ACK / snd ACK", 615, 275, p(660, 240), p(470, 300));
        arrow(TcpState.SYN_RECEIVED, TcpState.FIN_WAIT_1, "CLOSE / snd FIN", 100, 315, p(130, 240), p(130, 390));
        arrow(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, "CLOSE / snd FIN", 260, 345, p(390, 330), p(200, 390));
        arrow(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, "rcv FIN / snd ACK", 600, 345, p(470, 330), p(660, 390));
        arrow(TcpState.FIN_WAIT_1, TcpState.CLOSING, "rcv FIN / snd ACK", 295, 393, p(224, 405), p(366, 405));
        arrow(TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, "rcv ACK of FIN / x", 100, 450, p(160, 420), p(160, 480));
        arrow(TcpState.FIN_WAIT_1, TcpState.TIME_WAIT, "rcv FIN,ACK / snd ACK", 300, 440, p(200, 420), p(380, 480));
        arrow(TcpState.CLOSING, TcpState.TIME_WAIT, "rcv ACK of FIN / x", 500, 450, p(430, 420), p(430, 480));
        arrow(TcpState.FIN_WAIT_2, TcpState.TIME_WAIT, "rcv FIN / snd ACK", 295, 508, p(224, 495), p(366, 495));
        arrow(TcpState.CLOSE_WAIT, TcpState.LAST_ACK, "CLOSE / snd FIN", 770, 450, p(700, 420), p(700, 480));
        arrow(TcpState.LAST_ACK, TcpState.CLOSED, "rcv ACK of FIN / x", 770, 540, p(700, 510), p(700, 565));
        arrow(TcpState.TIME_WAIT, TcpState.CLOSED, "Timeout=2MSL / delete TCB", 520, 568,
                p(430, 510), p(430, 580), p(636, 580));

        for (Label box : boxes.values()) {
            canvas.getChildren().add(box);
        }
        canvas.getChildren().add(closedAtEnd);
        // Labels above every line: each has the pane's background, so a line passing behind one leaves it legible.
        for (Edge edge : edges.values()) {
            edge.label().toFront();
        }
        causeBadge.getStyleClass().add("tcp-cause");
        causeBadge.setVisible(false);
        causeBadge.setMouseTransparent(true);
        canvas.getChildren().add(causeBadge);
        token.getStyleClass().add("tcp-token");
        token.setVisible(false);
        token.setManaged(false);
        token.setMouseTransparent(true);
        canvas.getChildren().add(token);
        tokenRun.setInterpolator(javafx.animation.Interpolator.EASE_BOTH);
        tokenRun.setOnFinished(event -> token.setVisible(false));
        causeFade.setFromValue(0.15);
        causeFade.setToValue(1);
        cause.addListener((observable, old, now) -> showCause());
        canvas.setManaged(false);
        getChildren().add(canvas);
        state.addListener((observable, old, now) -> moved(old, now));
        showCurrent();
    }

    /** The state to highlight; null highlights none. Each change along an arrow of the figure traces it. */
    public ObjectProperty<TcpState> stateProperty() {
        return state;
    }

    /**
     * What caused the change just made ("SYN-SENT → ESTABLISHED on rcv SYN, ACK"), shown by the arrow taken and
     * faded in as it changes; null or blank shows none.
     */
    public javafx.beans.property.StringProperty causeProperty() {
        return cause;
    }

    /**
     * Whether a change along an arrow runs a token along it (on, unless {@code stacklab.reducedMotion} is set); off,
     * the arrow is lit and labelled at once.
     */
    public javafx.beans.property.BooleanProperty animatedProperty() {
        return animated;
    }

    /** The token and its run, for tests. */
    javafx.scene.shape.Circle token() {
        return token;
    }

    javafx.animation.PathTransition tokenRun() {
        return tokenRun;
    }

    /** The cause badge, for tests. */
    Label causeBadge() {
        return causeBadge;
    }

    private void showCause() {
        String text = cause.get();
        if (text == null || text.isBlank()) {
            causeBadge.setVisible(false);
            return;
        }
        causeBadge.setText(text);
        Point2D anchor;
        if (lastTaken != null) {
            anchor = ((Point2D) edges.get(lastTaken).label().getUserData()).add(0, 20);
        } else {
            Label box = state.get() == null ? boxes.get(TcpState.CLOSED) : boxes.get(state.get());
            anchor = new Point2D(box.getLayoutX() + BOX_WIDTH / 2, box.getLayoutY() + BOX_HEIGHT + 14);
        }
        causeBadge.setUserData(new Point2D(Math.max(160, Math.min(WIDTH - 160, anchor.getX())), anchor.getY()));
        causeBadge.setVisible(true);
        causeBadge.toFront();
        if (animated.get()) {
            causeFade.playFromStart();
        } else {
            causeFade.stop();
            causeBadge.setOpacity(1);
        }
        canvas.requestLayout();
    }

    public TcpState getState() {
        return state.get();
    }

    public void setState(TcpState now) {
        state.set(now);
    }

    /**
     * Shows a connection's whole life at once: the arrows between consecutive states are traced, the last one
     * highlighted, and the last state becomes {@link #stateProperty()}. An empty list clears the diagram.
     */
    public void showPath(List<TcpState> states) {
        clearPath();
        TcpState previous = null;
        for (TcpState next : states) {
            if (previous != null) {
                take(previous, next);
            }
            previous = next;
        }
        // Set without tracing again: the listener would take the last arrow twice.
        TcpState last = states.isEmpty() ? null : states.get(states.size() - 1);
        if (state.get() == last) {
            showCurrent();
        } else {
            replaying = true;
            try {
                state.set(last);
            } finally {
                replaying = false;
            }
        }
    }

    private boolean replaying;

    /** Forgets the path traced so far (the current state stays highlighted). */
    public void clearPath() {
        path.clear();
        lastTaken = null;
        for (Edge edge : edges.values()) {
            edge.mark(false, false);
        }
        showCurrent();
    }

    /** The arrows traced so far, oldest first. */
    List<Transition> path() {
        return List.copyOf(path);
    }

    /** The arrow just taken, or null. */
    Transition lastTaken() {
        return lastTaken;
    }

    /** The box drawn for {@code state} (the top one for CLOSED). */
    Label box(TcpState of) {
        return boxes.get(of);
    }

    Label closedAtEnd() {
        return closedAtEnd;
    }

    /** The arrow's line, or null when the figure has no arrow from {@code from} to {@code to}. */
    Polyline line(TcpState from, TcpState to) {
        Edge edge = edge(from, to);
        return edge == null ? null : edge.line;
    }

    List<Transition> transitions() {
        return List.copyOf(edges.keySet());
    }

    // ---------------------------------------------------------------- layout

    @Override
    protected void layoutChildren() {
        double scale = Math.min(getWidth() / WIDTH, getHeight() / HEIGHT);
        if (!(scale > 0)) {
            scale = 1;
        }
        canvas.setScaleX(scale);
        canvas.setScaleY(scale);
        canvas.resize(WIDTH, HEIGHT);
        // A node scales about the centre of its layout bounds: centring those centres the drawing.
        canvas.relocate((getWidth() - WIDTH) / 2, (getHeight() - HEIGHT) / 2);
    }

    @Override
    protected double computePrefWidth(double height) {
        return WIDTH * 0.8;
    }

    @Override
    protected double computePrefHeight(double width) {
        return HEIGHT * 0.8;
    }

    /** Small: the drawing scales down to what it is given (a divider dragged, a small window), it never pushes out. */
    @Override
    protected double computeMinWidth(double height) {
        return WIDTH * 0.15;
    }

    @Override
    protected double computeMinHeight(double width) {
        return HEIGHT * 0.15;
    }

    // ---------------------------------------------------------------- state

    private void moved(TcpState old, TcpState now) {
        if (!replaying && old != null && now != null) {
            take(old, now);
            runToken();
        }
        showCurrent();
    }

    /** Runs the token along the arrow just taken (the figure's path from the old state's box to the new one's). */
    private void runToken() {
        tokenRun.stop();
        token.setVisible(false);
        if (lastTaken == null || !animated.get()) {
            return;
        }
        List<Double> points = edges.get(lastTaken).line().getPoints();
        javafx.scene.shape.Path along = new javafx.scene.shape.Path(new javafx.scene.shape.MoveTo(points.get(0), points.get(1)));
        for (int i = 2; i + 1 < points.size(); i += 2) {
            along.getElements().add(new javafx.scene.shape.LineTo(points.get(i), points.get(i + 1)));
        }
        tokenRun.setPath(along);
        token.setVisible(true);
        token.toFront();
        tokenRun.playFromStart();
    }

    private void take(TcpState from, TcpState to) {
        Transition taken = find(from, to);
        if (lastTaken != null) {
            edges.get(lastTaken).mark(true, false);
        }
        lastTaken = taken;
        if (taken != null) {
            path.add(taken);
            edges.get(taken).mark(true, true);
        }
    }

    private void showCurrent() {
        TcpState now = state.get();
        boolean endedAtBottom = now == TcpState.CLOSED && lastTaken != null
                && (lastTaken.from() == TcpState.TIME_WAIT || lastTaken.from() == TcpState.LAST_ACK);
        for (Map.Entry<TcpState, Label> entry : boxes.entrySet()) {
            boolean current = entry.getKey() == now && !(entry.getKey() == TcpState.CLOSED && endedAtBottom);
            entry.getValue().pseudoClassStateChanged(CURRENT, current);
            entry.getValue().pseudoClassStateChanged(VISITED, !current && visited(entry.getKey(), true));
        }
        closedAtEnd.pseudoClassStateChanged(CURRENT, endedAtBottom);
        closedAtEnd.pseudoClassStateChanged(VISITED, false);
    }

    private boolean visited(TcpState candidate, boolean top) {
        for (Transition transition : path) {
            if (transition.from() == candidate) {
                return true;
            }
            if (transition.to() == candidate && !(candidate == TcpState.CLOSED && top
                    && (transition.from() == TcpState.TIME_WAIT || transition.from() == TcpState.LAST_ACK))) {
                return true;
            }
        }
        return false;
    }

    private Transition find(TcpState from, TcpState to) {
        for (Transition transition : edges.keySet()) {
            if (transition.from() == from && transition.to() == to) {
                return transition;
            }
        }
        return null;
    }

    private Edge edge(TcpState from, TcpState to) {
        Transition transition = find(from, to);
        return transition == null ? null : edges.get(transition);
    }

    // ---------------------------------------------------------------- drawing

    private static Point2D p(double x, double y) {
        return new Point2D(x, y);
    }

    private static Label box(String text) {
        Label box = new Label(text);
        box.getStyleClass().add("tcp-state");
        box.setMinSize(BOX_WIDTH, BOX_HEIGHT);
        box.setPrefSize(BOX_WIDTH, BOX_HEIGHT);
        box.setMaxSize(BOX_WIDTH, BOX_HEIGHT);
        box.setAlignment(javafx.geometry.Pos.CENTER);
        return box;
    }

    private void place(TcpState of, double centreX, double centreY) {
        Label box = box(of.rfcName());
        box.relocate(centreX - BOX_WIDTH / 2, centreY - BOX_HEIGHT / 2);
        boxes.put(of, box);
    }

    /** An arrow through {@code points} (ends on the boxes' edges), its label centred on (labelX, labelY). */
    private void arrow(TcpState from, TcpState to, String text, double labelX, double labelY, Point2D... points) {
        Polyline line = new Polyline();
        for (Point2D point : points) {
            line.getPoints().addAll(point.getX(), point.getY());
        }
        line.getStyleClass().add("tcp-transition");
        Point2D end = points[points.length - 1];
        Point2D before = points[points.length - 2];
        Point2D direction = end.subtract(before).normalize();
        Point2D side = new Point2D(-direction.getY(), direction.getX());
        Point2D base = end.subtract(direction.multiply(ARROW * 1.4));
        Polygon head = new Polygon(end.getX(), end.getY(),
                base.getX() + side.getX() * ARROW * 0.6, base.getY() + side.getY() * ARROW * 0.6,
                base.getX() - side.getX() * ARROW * 0.6, base.getY() - side.getY() * ARROW * 0.6);
        head.getStyleClass().add("tcp-arrowhead");
        Label label = new Label(text);
        label.getStyleClass().add("tcp-transition-label");
        label.setUserData(new Point2D(labelX, labelY));
        canvas.getChildren().addAll(line, head, label);
        edges.put(new Transition(from, to, text), new Edge(line, head, label));
    }

    private record Edge(Polyline line, Polygon head, Label label) {
        void mark(boolean taken, boolean last) {
            for (var node : new javafx.scene.Node[] {line, head, label}) {
                node.pseudoClassStateChanged(TAKEN, taken);
                node.pseudoClassStateChanged(LAST, last);
            }
        }
    }

    /** Lays each arrow's label out centred on its anchor (its size is known only once CSS gave it a font). */
    private static final class LabelCentringPane extends Pane {
        @Override
        protected void layoutChildren() {
            for (var child : getManagedChildren()) {
                child.autosize();
                if (child.getUserData() instanceof Point2D anchor) {
                    child.relocate(anchor.getX() - child.getLayoutBounds().getWidth() / 2,
                            anchor.getY() - child.getLayoutBounds().getHeight() / 2);
                }
            }
        }
    }
}
