package dev.backprop.secondorder;

import java.time.Duration;

/**
 * When a second-order run stops (whichever comes first; MATLAB's names in parentheses).
 *
 * @param maxIterations   at most this many iterations ({@code epochs}; default 1000)
 * @param lossGoal        stop when f is at or below this ({@code goal}; default 0)
 * @param minGradientNorm stop when ‖∇f‖ is at or below this ({@code min_grad}; default 1e−7)
 * @param maxFail         with validation, stop after this many iterations in a row that did not improve the
 *                        validation loss, and return the best point ({@code max_fail}; default 6; 0: off)
 * @param timeLimit       stop once this much time has passed ({@code time}; null: none)
 */
public record Limits(int maxIterations, double lossGoal, double minGradientNorm, int maxFail, Duration timeLimit) {
    public Limits {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("max iterations must be at least 1, got " + maxIterations);
        }
        if (Double.isNaN(lossGoal)) {
            throw new IllegalArgumentException("loss goal must be a number, got NaN");
        }
        if (!(minGradientNorm >= 0)) {
            throw new IllegalArgumentException("minimum gradient norm must be >= 0, got " + minGradientNorm);
        }
        if (maxFail < 0) {
            throw new IllegalArgumentException("max_fail must be >= 0, got " + maxFail);
        }
        if (timeLimit != null && (timeLimit.isZero() || timeLimit.isNegative())) {
            throw new IllegalArgumentException("time limit must be positive, got " + timeLimit);
        }
    }

    /** 1000 iterations, goal 0, minimum gradient 1e−7, max_fail 6, no time limit (MATLAB's trainlm defaults). */
    public static Limits defaults() {
        return new Limits(1000, 0, 1e-7, 6, null);
    }

    public Limits withMaxIterations(int n) {
        return new Limits(n, lossGoal, minGradientNorm, maxFail, timeLimit);
    }

    public Limits withLossGoal(double goal) {
        return new Limits(maxIterations, goal, minGradientNorm, maxFail, timeLimit);
    }

    public Limits withMinGradientNorm(double norm) {
        return new Limits(maxIterations, lossGoal, norm, maxFail, timeLimit);
    }

    public Limits withMaxFail(int n) {
        return new Limits(maxIterations, lossGoal, minGradientNorm, n, timeLimit);
    }

    public Limits withTimeLimit(Duration limit) {
        return new Limits(maxIterations, lossGoal, minGradientNorm, maxFail, limit);
    }
}
