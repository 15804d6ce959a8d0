package dev.backprop.train;

/**
 * How the divergence doctor watches a run. After every step it checks that the loss and gradient are finite
 * and that the smoothed loss (an exponential moving average over steps, weight 0.1 per step) has not risen
 * above {@code riseFactor} times its best value, or times 1% of the initial loss (the median of the first 20
 * batch losses) if that is larger: once a run has made good progress, only a climb back to the initial loss
 * counts, so noise near a loss of zero is not taken for divergence. When a check fails it names the likely
 * cause (see {@link Diagnosis}) and keeps the last good weights. The rule on a rising loss applies to
 * {@link Trainer#fit}; a {@link Learner} used directly for learning on checks only for NaN and infinities.
 *
 * @param riseFactor    how far above its best the smoothed loss may rise, &gt; 1 (default 100)
 * @param recover       instead of stopping, restore the last good weights, halve the learning rate, reset the
 *                      optimizer's state and carry on (default false)
 * @param maxRecoveries how many times to recover before giving up (default 10)
 */
public record DoctorSettings(double riseFactor, boolean recover, int maxRecoveries) {
    public DoctorSettings {
        if (!(riseFactor > 1)) {
            throw new IllegalArgumentException("divergence rise factor must be > 1, got " + riseFactor);
        }
        if (maxRecoveries < 0) {
            throw new IllegalArgumentException("maximum recoveries must be >= 0, got " + maxRecoveries);
        }
    }

    /** Stop on divergence; rise factor 100. */
    public static DoctorSettings defaults() {
        return new DoctorSettings(100, false, 10);
    }

    /** The same rules with recovery on or off. */
    public DoctorSettings withRecovery(boolean on) {
        return new DoctorSettings(riseFactor, on, maxRecoveries);
    }
}
