package dev.backprop.secondorder;

/** Why a second-order run ended. */
public enum Stop {
    /** The iteration limit was reached. */
    MAX_ITERATIONS,
    /** f reached the goal. */
    LOSS_GOAL,
    /** ‖∇f‖ fell to the minimum. */
    MIN_GRADIENT,
    /** The validation loss failed to improve max_fail times in a row; the best point was restored. */
    VALIDATION,
    /** The time limit passed. */
    TIME_LIMIT,
    /** The method could not make further progress (a failed line search, μ beyond its maximum). */
    NO_PROGRESS,
    /** f or its gradient became NaN or infinite. */
    NOT_FINITE
}
