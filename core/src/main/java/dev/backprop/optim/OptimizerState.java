package dev.backprop.optim;

/**
 * The running state of an {@link Optimizer} on one network: moment estimates, per-weight step sizes, the
 * previous gradient. Each {@link #step(double)} reads the network's gradient and updates its trainable
 * parameters in place.
 */
public interface OptimizerState {

    /** Applies one update with learning rate {@code lr} (the base rate times any schedule factor). */
    void step(double lr);

    /** Forgets all history, as if no step had been taken (used after restoring earlier weights). */
    void reset();

    /** Number of steps taken since creation or the last reset. */
    long steps();

    /** A copy of the whole state (every buffer and step count), which {@link #restore} puts back bit for bit. */
    Snapshot snapshot();

    /** Overwrites {@code into} (made by this state's {@link #snapshot()}) with the current state, without allocating. */
    void save(Snapshot into);

    /** Puts back the state saved in {@code from} (made by this state's {@link #snapshot()}), bit for bit. */
    void restore(Snapshot from);

    /** A saved optimizer state; opaque, and only for the state that made it. */
    interface Snapshot {
    }
}
