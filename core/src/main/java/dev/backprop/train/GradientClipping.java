package dev.backprop.train;

/**
 * Limits the gradient before each update (PyTorch's {@code clip_grad_norm_} and {@code clip_grad_value_}).
 * Applies to the trainable parameters only, after the penalty's gradient has been added.
 */
public sealed interface GradientClipping {

    /** No clipping. */
    record None() implements GradientClipping {
    }

    /**
     * If ‖g‖₂ over all trainable parameters exceeds {@code maxNorm}, scales g by maxNorm/(‖g‖ + 1e−6), as
     * PyTorch does; keeps the direction.
     */
    record ByNorm(double maxNorm) implements GradientClipping {
        public ByNorm {
            if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("gradient clipping norm must be a positive number, got " + maxNorm);
            }
        }
    }

    /** Clamps every gradient entry to [−maxValue, maxValue]. */
    record ByValue(double maxValue) implements GradientClipping {
        public ByValue {
            if (!(maxValue > 0) || Double.isInfinite(maxValue)) {
                throw new IllegalArgumentException("gradient clipping value must be a positive number, got " + maxValue);
            }
        }
    }

    /** No clipping. */
    static GradientClipping none() {
        return new None();
    }
}
