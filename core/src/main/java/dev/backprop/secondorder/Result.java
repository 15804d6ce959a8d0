package dev.backprop.secondorder;

import java.util.List;

/**
 * The outcome of a second-order run.
 *
 * @param method  the method's name
 * @param reason  why it stopped
 * @param message one line saying so
 * @param x       the point returned: the last one, or with validation-based early stopping the one of lowest
 *                validation loss
 * @param value   f at x
 * @param kept    the iteration x comes from (0: the starting point)
 * @param history one record per iteration, starting with the starting point
 */
public record Result(String method, Stop reason, String message, double[] x, double value, int kept, List<Iteration> history) {

    /** Number of iterations made. */
    public int iterations() {
        return history.size() - 1;
    }

    /** The last record. */
    public Iteration last() {
        return history.getLast();
    }
}
