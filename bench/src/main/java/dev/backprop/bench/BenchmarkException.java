package dev.backprop.bench;

/** A benchmark could not run (a peer missing or failing, data unreadable); the message says what to do. */
public final class BenchmarkException extends Exception {
    public BenchmarkException(String message) {
        super(message);
    }
}
