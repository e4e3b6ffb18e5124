package dev.stacklab.app.network;

import dev.stacklab.app.Notifier;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what view-models report, for tests to read. */
final class CollectingNotifier implements Notifier {
    record Error(String problem, String fix) {
    }

    final List<Error> errors = new CopyOnWriteArrayList<>();
    final List<String> infos = new CopyOnWriteArrayList<>();

    @Override
    public void error(String problem, String fix) {
        errors.add(new Error(problem, fix));
    }

    @Override
    public void info(String message) {
        infos.add(message);
    }
}
