package dev.stacklab.stack.tcp;

/** Receives {@link TcpEvent}s on the engine's thread; must not block. */
@FunctionalInterface
public interface TcpEventListener {
    TcpEventListener NONE = event -> {
    };

    void onEvent(TcpEvent event);
}
