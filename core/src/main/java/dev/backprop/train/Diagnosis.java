package dev.backprop.train;

/**
 * The divergence doctor's finding: what went wrong at which step, the likely cause, and what to do.
 *
 * @param symptom what was observed
 * @param cause   the most likely cause
 * @param step    the update count (from 1) at which the problem showed
 * @param epoch   the epoch (from 1), or 0 outside {@link Trainer#fit}
 * @param batch   the batch within the epoch (from 1), or 0 outside {@link Trainer#fit}
 * @param loss    the batch loss at that step (may be NaN or infinite)
 * @param message one paragraph for the user: symptom, cause with the evidence, advice, and which weights were kept
 */
public record Diagnosis(Symptom symptom, Cause cause, long step, int epoch, int batch, double loss, String message) {

    /** What the doctor saw. */
    public enum Symptom {
        /** The loss was NaN or infinite. */
        LOSS_NOT_FINITE,
        /** The loss was finite but the gradient had NaN or infinite entries. */
        GRADIENT_NOT_FINITE,
        /** The smoothed loss rose far above its best value. */
        LOSS_ROSE
    }

    /** The likely reason. */
    public enum Cause {
        /** Updates are too big for the curvature of the loss: steps overshoot and grow. */
        LEARNING_RATE_TOO_LARGE("learning rate too large"),
        /** The gradient itself grew by orders of magnitude while the steps had been small. */
        EXPLODING_GRADIENTS("exploding gradients"),
        /** Units sit on the flat parts of their activation, where the gradient vanishes or logarithms blow up. */
        SATURATED_UNITS("saturated units"),
        /** Features or targets far from unit scale (or not numbers at all). */
        BAD_INPUT_VALUES("bad input values");

        private final String text;

        Cause(String text) {
            this.text = text;
        }

        /** A short phrase, e.g. "learning rate too large". */
        public String text() {
            return text;
        }
    }

    @Override
    public String toString() {
        return message;
    }
}
