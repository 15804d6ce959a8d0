package dev.backprop.train;

/** Why a training run ended. */
public enum StopReason {
    /** The maximum number of epochs was reached. */
    MAX_EPOCHS,
    /** The training loss reached the goal. */
    LOSS_GOAL,
    /** The gradient norm fell to the minimum. */
    MIN_GRADIENT,
    /** The wall-clock limit passed. */
    TIME_LIMIT,
    /** The validation loss stopped improving for {@code patience} epochs; the best weights were restored. */
    EARLY_STOPPING,
    /** The loss or gradient became NaN/∞ or rose far above its best; the last good weights were kept. */
    DIVERGED,
    /**
     * A second-order method could make no further progress (its line search found no decrease, or μ passed
     * mu_max): usually a minimum reached to the precision of the arithmetic.
     */
    NO_PROGRESS
}
