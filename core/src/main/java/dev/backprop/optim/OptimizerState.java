package dev.backprop.optim;

/**
 * The running state of an {@link Optimizer} on one network: moment estimates, per-weight step sizes, the
 * previous gradient. Each {@link #step(double)} reads the network's gradient and updates its trainable
 * parameters in place.
 */
public interface OptimizerState {

    /** Applies one update with learning rate {@code lr} (the base rate times any schedule factor). */
    void step(double lr);

    /**
     * The same update, calling {@code before.before(from, length)} for each contiguous range of the network's flat
     * parameter vector ({@link dev.backprop.Network#parameters()}, positions counted from its start) just before the
     * thread that updates that range updates it. The ranges are disjoint and cover every parameter of the layers
     * that are not frozen. Work a caller must do on each parameter before the update (the learner's copy of the last
     * good weights) can so share the update's pass over memory and its hand-off to the threads.
     * The default calls the hook once for the whole vector, then {@link #step(double)}.
     */
    default void step(double lr, RangeHook before, int parameterCount) {
        before.before(0, parameterCount);
        step(lr);
    }

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
