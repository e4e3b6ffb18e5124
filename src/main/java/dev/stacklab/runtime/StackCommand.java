package dev.stacklab.runtime;

import dev.stacklab.stack.NetStack;

/**
 * Work to do on the thread that owns a {@link NetStack}, with the time to give the engine (every engine
 * method that changes state takes the time as an argument).
 *
 * @param <T> what the command returns to whoever submitted it
 */
@FunctionalInterface
public interface StackCommand<T> {
    T run(NetStack stack, long nowNanos);
}
