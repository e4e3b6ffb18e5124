package dev.stacklab.app;

import dev.stacklab.runtime.LabSession;
import javafx.beans.property.SimpleObjectProperty;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AppContext} for view-model tests: a session property the test sets, and what the panes reported. */
public final class TestContext {
    public final SimpleObjectProperty<LabSession> session = new SimpleObjectProperty<>();
    public final List<String> errors = new CopyOnWriteArrayList<>();
    public final List<String> infos = new CopyOnWriteArrayList<>();
    /** Display filters the panes asked the capture to select. */
    public final List<String> selections = new CopyOnWriteArrayList<>();
    public final AppContext context = new AppContext(session, new Notifier() {
        @Override
        public void error(String problem, String fix) {
            errors.add(problem + " | " + fix);
        }

        @Override
        public void info(String message) {
            infos.add(message);
        }
    }, selections::add);

    public TestContext(LabSession initial) {
        session.set(initial);
    }
}
