package dev.backprop.cli;

/** A mistake in what the user asked for: reported as one line on stderr, exit code 2, no stack trace. */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message);
    }
}
