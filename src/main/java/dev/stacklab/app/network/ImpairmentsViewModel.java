package dev.stacklab.app.network;

import dev.stacklab.app.AppContext;
import dev.stacklab.link.ImpairmentSettings;
import dev.stacklab.runtime.LabSession;
import dev.stacklab.runtime.SimulatedLanSession;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The "Link" tool pane: the simulated LAN's cable impairments (netem's loss, delay, jitter, duplication,
 * reordering, corruption), applied to the running LAN the moment a value changes, both ways. Other networks are
 * real wires: the pane is disabled there and says why.
 *
 * <p>Percentages are 0 to 100 and delays whole milliseconds, as a person sets them; the summary line shows what
 * is in effect.
 */
public final class ImpairmentsViewModel {
    public static final double MAX_PERCENT = 100;
    public static final double MAX_DELAY_MILLIS = 2000;

    private final AppContext context;
    private final DoubleProperty lossPercent = new SimpleDoubleProperty(this, "lossPercent");
    private final DoubleProperty delayMillis = new SimpleDoubleProperty(this, "delayMillis");
    private final DoubleProperty jitterMillis = new SimpleDoubleProperty(this, "jitterMillis");
    private final DoubleProperty duplicatePercent = new SimpleDoubleProperty(this, "duplicatePercent");
    private final DoubleProperty reorderPercent = new SimpleDoubleProperty(this, "reorderPercent");
    private final DoubleProperty corruptPercent = new SimpleDoubleProperty(this, "corruptPercent");
    private final ReadOnlyBooleanWrapper enabled = new ReadOnlyBooleanWrapper(this, "enabled");
    private final ReadOnlyStringWrapper disabledReason = new ReadOnlyStringWrapper(this, "disabledReason", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    /** Set while the fields are loaded from a session, so loading does not write the same values back. */
    private boolean loading;

    public ImpairmentsViewModel(AppContext context) {
        this.context = context;
        for (DoubleProperty property : values()) {
            property.addListener((observable, before, after) -> {
                if (!loading) {
                    apply();
                }
            });
        }
        context.session().addListener((observable, before, after) -> follow(after));
        follow(context.session().get());
    }

    private List<DoubleProperty> values() {
        return List.of(lossPercent, delayMillis, jitterMillis, duplicatePercent, reorderPercent, corruptPercent);
    }

    public DoubleProperty lossPercentProperty() {
        return lossPercent;
    }

    public DoubleProperty delayMillisProperty() {
        return delayMillis;
    }

    public DoubleProperty jitterMillisProperty() {
        return jitterMillis;
    }

    public DoubleProperty duplicatePercentProperty() {
        return duplicatePercent;
    }

    public DoubleProperty reorderPercentProperty() {
        return reorderPercent;
    }

    public DoubleProperty corruptPercentProperty() {
        return corruptPercent;
    }

    /** Whether the impairments can be changed: only on the simulated LAN. */
    public ReadOnlyBooleanProperty enabledProperty() {
        return enabled.getReadOnlyProperty();
    }

    /** Why the pane is disabled, empty when it is not. */
    public ReadOnlyStringProperty disabledReasonProperty() {
        return disabledReason.getReadOnlyProperty();
    }

    /** What is in effect: "No impairment" or "loss 10 %, delay 50 ± 10 ms". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Back to a perfect cable. */
    public void reset() {
        loading = true;
        try {
            values().forEach(property -> property.set(0));
        } finally {
            loading = false;
        }
        apply();
    }

    private void follow(LabSession session) {
        if (session instanceof SimulatedLanSession lan) {
            enabled.set(true);
            disabledReason.set("");
            load(lan.impairments());
        } else {
            enabled.set(false);
            disabledReason.set(session == null
                    ? "No network is running: start the simulated LAN to impair its cable."
                    : session.name() + " is a real wire: impairments apply to the simulated LAN only"
                            + " (on a real interface, Linux's netem does it: tc qdisc add dev IFACE root netem loss 10%).");
            summary.set("");
        }
    }

    private void load(ImpairmentSettings settings) {
        loading = true;
        try {
            lossPercent.set(settings.loss() * 100);
            delayMillis.set(settings.delay().toMillis());
            jitterMillis.set(settings.jitter().toMillis());
            duplicatePercent.set(settings.duplicate() * 100);
            reorderPercent.set(settings.reorder() * 100);
            corruptPercent.set(settings.corrupt() * 100);
        } finally {
            loading = false;
        }
        summary.set(describe(settings));
    }

    /** The fields as settings, clamped to their ranges (a slider never goes beyond, a typed value might). */
    ImpairmentSettings settings() {
        return ImpairmentSettings.NONE
                .withLoss(fraction(lossPercent))
                .withDelay(Duration.ofMillis(millis(delayMillis)))
                .withJitter(Duration.ofMillis(millis(jitterMillis)))
                .withDuplicate(fraction(duplicatePercent))
                .withReorder(fraction(reorderPercent))
                .withCorrupt(fraction(corruptPercent));
    }

    private void apply() {
        if (!(context.session().get() instanceof SimulatedLanSession lan)) {
            return;
        }
        ImpairmentSettings settings = settings();
        lan.setImpairments(settings);
        summary.set(describe(settings));
    }

    private static double fraction(DoubleProperty percent) {
        double value = percent.get();
        return Double.isNaN(value) ? 0 : Math.max(0, Math.min(MAX_PERCENT, value)) / 100;
    }

    private static long millis(DoubleProperty millis) {
        double value = millis.get();
        return Double.isNaN(value) ? 0 : Math.round(Math.max(0, Math.min(MAX_DELAY_MILLIS, value)));
    }

    static String describe(ImpairmentSettings settings) {
        if (settings.isNone()) {
            return "No impairment: every frame passes at once, unchanged";
        }
        StringBuilder text = new StringBuilder("In effect, both ways:");
        String separator = " ";
        if (settings.loss() > 0) {
            text.append(separator).append("loss ").append(percent(settings.loss()));
            separator = ", ";
        }
        if (!settings.delay().isZero() || !settings.jitter().isZero()) {
            text.append(separator).append("delay ").append(settings.delay().toMillis());
            if (!settings.jitter().isZero()) {
                text.append(" ± ").append(settings.jitter().toMillis());
            }
            text.append(" ms");
            separator = ", ";
        }
        if (settings.duplicate() > 0) {
            text.append(separator).append("duplication ").append(percent(settings.duplicate()));
            separator = ", ";
        }
        if (settings.reorder() > 0) {
            text.append(separator).append("reordering ").append(percent(settings.reorder()))
                    .append(" (held back ").append(settings.reorderDelay().toMillis()).append(" ms)");
            separator = ", ";
        }
        if (settings.corrupt() > 0) {
            text.append(separator).append("corruption ").append(percent(settings.corrupt()));
        }
        return text.toString();
    }

    private static String percent(double fraction) {
        double value = fraction * 100;
        return (value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value)) + " %";
    }
}
