package dev.backprop.train;

/**
 * The rules of a {@link GuardedLearner}: how much an update may raise the validation loss before it is rolled
 * back, how long an update trains, and whether old data is replayed.
 *
 * <p>An update with validation loss L₀ before and L₁ after is accepted when L₁ is finite and
 * L₁ ≤ L₀ + tolerance (absolute) or L₁ ≤ L₀ + tolerance·|L₀| (relative); otherwise it is rolled back.
 *
 * @param tolerance the allowed rise, ≥ 0 (default 0: any rise is rejected)
 * @param relative  whether {@code tolerance} is a fraction of L₀ (default false: in units of the loss)
 * @param epochs    0 (default): one optimizer step on the whole batch (new examples plus replay), as
 *                  {@link Learner#learn(dev.backprop.Dataset)}; n ≥ 1: n epochs over the batch in mini-batches of
 *                  the training config's batch size, as {@link Learner#partialFit}
 * @param replay    old data mixed into each update, or null (default) for none
 */
public record Guard(double tolerance, boolean relative, int epochs, Replay replay) {
    public Guard {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("guard tolerance must be finite and at least 0, got " + tolerance);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("guard epochs must be 0 (one step) or more, got " + epochs);
        }
    }

    /** Any rise of the validation loss is rejected; one step per update; no replay. */
    public static Guard defaults() {
        return new Guard(0, false, 0, null);
    }

    /** Accepts a rise of the validation loss up to {@code tolerance} (in the loss's units). */
    public Guard withAbsoluteTolerance(double tolerance) {
        return new Guard(tolerance, false, epochs, replay);
    }

    /** Accepts a rise of the validation loss up to {@code fraction} of its value before the update (0.01: 1%). */
    public Guard withRelativeTolerance(double fraction) {
        return new Guard(fraction, true, epochs, replay);
    }

    /** Each update trains {@code epochs} epochs over its batch (0: one step). */
    public Guard withEpochs(int epochs) {
        return new Guard(tolerance, relative, epochs, replay);
    }

    /** Mixes old data into each update (null: none). */
    public Guard withReplay(Replay replay) {
        return new Guard(tolerance, relative, epochs, replay);
    }

    /** Whether a validation loss of {@code after} is acceptable after {@code before}. */
    public boolean allows(double before, double after) {
        if (!Double.isFinite(after)) {
            return false;
        }
        if (!Double.isFinite(before)) {
            return true;
        }
        return after <= before + (relative ? tolerance * Math.abs(before) : tolerance);
    }
}
