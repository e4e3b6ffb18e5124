package dev.stacklab.app;

import dev.stacklab.dissect.Dissector;
import javafx.application.Application;
import javafx.event.EventHandler;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The desktop packet lab. {@code stacklab gui} (and {@code java -jar stacklab.jar} with no arguments, and
 * {@code mvn javafx:run}) start it through {@link #launchWindow}, from the non-Application main class: a JavaFX
 * Application class cannot be a fat jar's main class on the class path.
 */
public final class StacklabApp extends Application {
    static final String[] ICON_SIZES = {"16", "24", "32", "48", "64", "128", "256", "512"};
    private static final double DEFAULT_WIDTH = 1400;
    private static final double DEFAULT_HEIGHT = 880;
    private static final Logger LOG = LoggerFactory.getLogger(StacklabApp.class);
    private static final java.util.logging.Logger JAVAFX_LOGGER = java.util.logging.Logger.getLogger("javafx");

    private MainWindowView view;
    private MainWindowViewModel viewModel;
    private MainWindowParts parts;
    private AppPreferences preferences;

    /** The notifier and view-model of the window started last (tests read and drive them). */
    static volatile NotificationArea lastNotifier;
    static volatile MainWindowViewModel lastViewModel;

    /** The preferences the app keeps its layout in; tests replace them with a node of their own first. */
    static AppPreferences preferencesForNextStart = null;

    /** A capture named on the command line ({@code stacklab gui FILE}), opened once the window is up; or null. */
    static volatile Path captureToOpen;

    /** Held while the theme's stylesheet is set: the warm-up thread's read-ahead never comes after the FX thread's. */
    private static final Object THEME_STYLESHEET_LOCK = new Object();
    private static boolean themeStylesheetSet;

    /** The user's preferences, read by {@link #launchWindow}'s warm-up thread while the toolkit starts. */
    private static volatile FutureTask<AppPreferences> preferencesReadAhead;

    @Override
    public void start(Stage stage) {
        StartupTiming.mark("toolkit");
        preferences = preferencesForNextStart != null ? preferencesForNextStart : readAheadPreferences();
        // The theme before the first control: a control class that finds no stylesheet set loads JavaFX's own
        // (Modena, parsed only to be replaced by ours a moment later).
        synchronized (THEME_STYLESHEET_LOCK) {
            Application.setUserAgentStylesheet(preferences.theme().userAgentStylesheet());
            themeStylesheetSet = true;
        }
        view = MainWindowView.load();
        StartupTiming.mark("fxml");
        NotificationArea notifier = view.notifier();
        lastNotifier = notifier;
        Thread.currentThread().setUncaughtExceptionHandler(new FxExceptionHandler(notifier));
        parts = MainWindowParts.create(notifier, preferences);
        viewModel = new MainWindowViewModel(parts.session(), parts.capture(), preferences);
        lastViewModel = viewModel;
        view.bind(viewModel, parts);
        viewModel.startPumps();
        StartupTiming.mark("panes");

        // The first window fills most of a small screen and stops at a comfortable size on a big one.
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(view.root(), Math.min(DEFAULT_WIDTH, screen.getWidth() * 0.92), Math.min(DEFAULT_HEIGHT, screen.getHeight() * 0.92));
        Shortcuts.install(scene, view, viewModel);
        stage.setScene(scene);
        stage.setTitle("stacklab");
        placeWindow(stage);
        // Both handlers belong to this window's scene: the stage can outlive it (the tests' shared primary
        // stage does), and a later scene must not restore or save this window's layout.
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, new EventHandler<>() {
            @Override
            public void handle(WindowEvent event) {
                stage.removeEventHandler(WindowEvent.WINDOW_SHOWN, this);
                if (stage.getScene() == scene) {
                    view.restoreLayout();
                    StartupTiming.mark("window shown");
                }
            }
        });
        // The networks are listed and started once the first frame is on its way, not before: the window never
        // waits for them, and their "Starting…" shows meanwhile. (After the scene's first pulse rather than on
        // WINDOW_SHOWN, which the tests' primary stage, already showing, never fires again.) The tooltips and the
        // icons too: nobody sees them in the first second, and decoding eight PNGs up to 512 px is no part of the
        // window's content.
        AfterFirstPulse.run(scene, () -> {
            StartupTiming.firstPulse();
            parts.begin().run();
            view.makeTooltips();
            stage.getIcons().setAll(appIcons());
            Path capture = captureToOpen;
            if (capture != null) {
                captureToOpen = null;
                viewModel.openCapture(capture);
            }
        });
        stage.setOnCloseRequest(event -> {
            if (stage.getScene() == scene) {
                saveLayout(stage);
            }
        });
        StartupTiming.mark("scene");
        stage.show();
    }

    @Override
    public void stop() {
        if (viewModel != null) {
            viewModel.stopPumps();
        }
        if (parts != null) {
            parts.shutdown().run();
        }
    }

    private static AppPreferences readAheadPreferences() {
        FutureTask<AppPreferences> readAhead = preferencesReadAhead;
        preferencesReadAhead = null;
        if (readAhead != null) {
            try {
                return readAhead.get();
            } catch (ExecutionException e) {
                LOG.debug("reading the preferences ahead failed; reading them now", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return AppPreferences.forUser();
    }

    /**
     * While the toolkit starts (GTK, the renderer: some half a second, much of it not on this core), reads on another
     * thread what the FX thread would otherwise read first thing: the preferences (java.util.prefs parses an XML
     * file, 0.15-0.4 s here), the theme's stylesheet and the dissector's tables (the vendor names of MAC addresses,
     * for the capture).
     */
    private static void startWarmUp() {
        FutureTask<AppPreferences> preferences = new FutureTask<>(() -> {
            AppPreferences read = AppPreferences.forUser();
            read.theme();
            return read;
        });
        preferencesReadAhead = preferences;
        Thread warmUp = new Thread(() -> {
            preferences.run();
            if (preferencesForNextStart == null) {
                readAheadThemeStylesheet(preferences);
            }
            new Dissector();
        }, "stacklab-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    /**
     * Loads the theme's stylesheet (AtlantaFX's, 200 kB of binary CSS made into some 30,000 objects: 0.05-0.1 s of the
     * FX thread's time before the first control) into JavaFX's style manager, which keeps it: the FX thread's
     * {@code Application.setUserAgentStylesheet} then finds it loaded (the manager compares name and checksum) and
     * has nothing to load. Once the FX thread has set a stylesheet this does nothing (it would undo a theme switched
     * since); while this loads, the FX thread waits for it rather than load it a second time. JavaFX's own class, not
     * its API: anything it throws leaves the loading to the FX thread, as before.
     */
    private static void readAheadThemeStylesheet(FutureTask<AppPreferences> preferences) {
        try {
            String stylesheet = preferences.get().theme().userAgentStylesheet();
            synchronized (THEME_STYLESHEET_LOCK) {
                if (!themeStylesheetSet) {
                    com.sun.javafx.css.StyleManager.getInstance().setUserAgentStylesheets(java.util.List.of(stylesheet));
                }
            }
        } catch (ExecutionException | RuntimeException | LinkageError e) {
            LOG.debug("the theme's stylesheet was not read ahead; the FX thread reads it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The application icon at every size icons/ has, for the title bar, the task switcher and the dock. */
    static java.util.List<Image> appIcons() {
        java.util.List<Image> icons = new java.util.ArrayList<>();
        for (String size : ICON_SIZES) {
            InputStream png = StacklabApp.class.getResourceAsStream("icons/stacklab-" + size + ".png");
            if (png != null) {
                icons.add(new Image(png));
            }
        }
        return icons;
    }

    private void placeWindow(Stage stage) {
        preferences.windowBounds()
                .filter(bounds -> !Screen.getScreensForRectangle(bounds.x(), bounds.y(), bounds.width(), bounds.height()).isEmpty())
                .ifPresent(bounds -> {
                    stage.setX(bounds.x());
                    stage.setY(bounds.y());
                    stage.setWidth(bounds.width());
                    stage.setHeight(bounds.height());
                });
        stage.setMaximized(preferences.windowMaximized());
    }

    private void saveLayout(Stage stage) {
        if (!stage.isMaximized()) {
            preferences.setWindowBounds(new AppPreferences.WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()));
        }
        preferences.setWindowMaximized(stage.isMaximized());
        view.saveLayout();
        preferences.flush();
    }

    /**
     * Opens the window and returns when it is closed: 0, or 1 with one line on {@code err} when there is no
     * display to open it on (no stack trace: the line says what to set). {@code capture}, when not null, is
     * opened in the capture panes as soon as the window shows (as Wireshark opens the file it is given).
     */
    public static int launchWindow(java.io.PrintWriter err, Path capture) {
        StartupTiming.mark("main");
        String problem = DisplayCheck.problem(System.getenv(), System.getProperty("glass.platform"));
        if (problem != null) {
            err.println("stacklab: " + problem);
            return 1;
        }
        // JavaFX warns that it runs from the class path ("Unsupported JavaFX configuration"): that is how a
        // fat jar runs it, it works, and the warning only worries users. Held here so the setting is not collected.
        JAVAFX_LOGGER.setLevel(java.util.logging.Level.SEVERE);
        captureToOpen = capture;
        RenderingPipeline.chooseBeforeTheToolkitStarts();
        startWarmUp();
        try {
            Application.launch(StacklabApp.class);
            return 0;
        } catch (RuntimeException | Error e) {
            LOG.debug("the window could not open", e);
            err.println("stacklab: the window could not open: " + DisplayCheck.explain(e, System.getenv()));
            return 1;
        }
    }

    /** Turns any exception that reaches the FX thread into a notification and a log entry, never a dead window. */
    static final class FxExceptionHandler implements Thread.UncaughtExceptionHandler {
        private final Notifier notifier;

        FxExceptionHandler(Notifier notifier) {
            this.notifier = Objects.requireNonNull(notifier);
        }

        @Override
        public void uncaughtException(Thread thread, Throwable error) {
            LOG.error("unexpected error on the FX thread", error);
            Throwable root = error;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage();
            notifier.error("That did not work: " + message,
                    "The window goes on. If it happens again, please report it with the log's last lines.");
        }
    }
}
