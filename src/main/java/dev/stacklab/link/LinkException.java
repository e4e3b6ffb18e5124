package dev.stacklab.link;

/**
 * A link could not be opened. The message is one complete line for a person: what went wrong and the
 * command that fixes it (for example {@code sudo}, the setcap line, the package to install, the interfaces
 * that do exist), so the CLI prints it as it is.
 */
public final class LinkException extends Exception {
    public LinkException(String message) {
        super(message);
    }

    public LinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
