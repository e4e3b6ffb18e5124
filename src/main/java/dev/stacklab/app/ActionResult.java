package dev.stacklab.app;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * A pane's result line ("Sent 18 bytes to 10.0.0.1:7") when its actions finish on workers: each action the user takes
 * is numbered as it is taken, and a result is shown unless a later action's result is shown already. A worker can
 * finish after the action that followed it (a send's worker after the Read pressed next, on a loaded machine); its
 * result must not replace the newer one. FX thread only.
 */
public final class ActionResult {
    private final ReadOnlyStringWrapper text;
    private long actionsTaken;
    private long shownFor;

    public ActionResult(Object bean, String name) {
        text = new ReadOnlyStringWrapper(bean, name);
    }

    /** Numbers an action as it is taken (or news that arrived now): its result goes over every earlier one. */
    public long newAction() {
        return ++actionsTaken;
    }

    /** Shows {@code result} (null for none) as what {@code action} came to, unless a later action's result is shown. */
    public void show(long action, String result) {
        if (action >= shownFor) {
            shownFor = action;
            text.set(result);
        }
    }

    /** Shows {@code result} of an action taken now. */
    public void showNow(String result) {
        show(newAction(), result);
    }

    public ReadOnlyStringProperty property() {
        return text.getReadOnlyProperty();
    }

    public String get() {
        return text.get();
    }
}
