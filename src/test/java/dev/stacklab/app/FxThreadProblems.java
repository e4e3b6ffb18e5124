package dev.stacklab.app;

import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.application.Platform;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects exceptions thrown on the FX thread during a TestFX test: the panes must never throw there. */
public final class FxThreadProblems {
    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    /**
     * Installs the collector on the FX thread, and the app's theme (its looked-up colours are what the panes'
     * stylesheet uses). Call from a TestFX {@code @Start} method (on the FX thread).
     */
    public static FxThreadProblems watch() {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("call on the FX thread");
        }
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        FxThreadProblems problems = new FxThreadProblems();
        Thread.currentThread().setUncaughtExceptionHandler((thread, error) -> problems.thrown.add(error));
        return problems;
    }

    public List<Throwable> thrown() {
        return thrown;
    }
}
