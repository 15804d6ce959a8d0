package dev.backprop.train;

import java.time.Duration;

/**
 * When training stops: whichever rule fires first (each run reports which, see {@link StopReason}).
 *
 * @param maxEpochs       stop after this many epochs (default 100)
 * @param lossGoal        stop when the epoch's training loss J is at or below this (default 0, as MATLAB's {@code goal})
 * @param minGradientNorm stop when the epoch's mean gradient norm ‖∂J/∂θ‖ is at or below this (default 0); with
 *                        full-batch training this is the exact gradient at the epoch's step
 * @param timeLimit       stop once this much wall-clock time has passed, checked after every step (null: no limit)
 * @param patience        with validation data, stop after this many epochs without the validation loss improving by
 *                        more than {@code minDelta}, and restore the weights of the best epoch (0: off). With
 *                        patience on, a run that ends at the maximum epochs or the time limit also returns the best
 *                        epoch's weights (as scikit-learn's {@code early_stopping} does)
 * @param minDelta        the least decrease of the validation loss that counts as an improvement (default 0)
 */
public record Stopping(int maxEpochs, double lossGoal, double minGradientNorm, Duration timeLimit, int patience, double minDelta) {
    public Stopping {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("max epochs must be at least 1, got " + maxEpochs);
        }
        if (Double.isNaN(lossGoal)) {
            throw new IllegalArgumentException("loss goal must be a number, got NaN");
        }
        if (!(minGradientNorm >= 0)) {
            throw new IllegalArgumentException("minimum gradient norm must be >= 0, got " + minGradientNorm);
        }
        if (timeLimit != null && (timeLimit.isNegative() || timeLimit.isZero())) {
            throw new IllegalArgumentException("time limit must be positive, got " + timeLimit);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0 epochs, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("minimum improvement must be a finite number >= 0, got " + minDelta);
        }
    }

    /** 100 epochs, no other rule. */
    public static Stopping defaults() {
        return new Stopping(100, 0, 0, null, 0, 0);
    }

    public Stopping withMaxEpochs(int epochs) {
        return new Stopping(epochs, lossGoal, minGradientNorm, timeLimit, patience, minDelta);
    }

    public Stopping withLossGoal(double goal) {
        return new Stopping(maxEpochs, goal, minGradientNorm, timeLimit, patience, minDelta);
    }

    public Stopping withMinGradientNorm(double norm) {
        return new Stopping(maxEpochs, lossGoal, norm, timeLimit, patience, minDelta);
    }

    public Stopping withTimeLimit(Duration limit) {
        return new Stopping(maxEpochs, lossGoal, minGradientNorm, limit, patience, minDelta);
    }

    public Stopping withPatience(int epochs, double minDelta) {
        return new Stopping(maxEpochs, lossGoal, minGradientNorm, timeLimit, epochs, minDelta);
    }
}
