package dev.backprop.optim;

/**
 * Work on a contiguous range of a network's flat parameter vector, run by {@link OptimizerState#step(double,
 * RangeHook, int)} on the thread that is about to update that range.
 */
@FunctionalInterface
public interface RangeHook {
    /** Called before parameters [from, from + length) of the flat vector (counted from its start) are updated. */
    void before(int from, int length);
}
