package dev.backprop.secondorder;

import java.util.List;

/**
 * The outcome of a second-order run.
 *
 * @param method  the method's name
 * @param reason  why it stopped
 * @param message one line saying so
 * @param x       the point returned (the best validation point when {@link Stop#VALIDATION} stopped it)
 * @param value   f at x
 * @param history one record per iteration, starting with the starting point
 */
public record Result(String method, Stop reason, String message, double[] x, double value, List<Iteration> history) {

    /** Number of iterations made. */
    public int iterations() {
        return history.size() - 1;
    }

    /** The last record. */
    public Iteration last() {
        return history.getLast();
    }
}
