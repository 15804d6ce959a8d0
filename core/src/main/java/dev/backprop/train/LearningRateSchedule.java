package dev.backprop.train;

/**
 * How the learning rate changes during training: the rate used at a step is the optimizer's base rate times
 * {@link #factor(int, int, int)}. Epoch-based schedules change at epoch boundaries, as PyTorch's
 * {@code lr_scheduler} classes do when stepped once per epoch; warm-up ramps up step by step.
 */
public sealed interface LearningRateSchedule {

    /**
     * The multiplier at a step.
     *
     * @param epoch         the epoch, from 0
     * @param step          the step within the epoch, from 0
     * @param stepsPerEpoch number of steps (batches) in an epoch, at least 1
     */
    double factor(int epoch, int step, int stepsPerEpoch);

    /** The base rate throughout. */
    record Constant() implements LearningRateSchedule {
        public double factor(int epoch, int step, int stepsPerEpoch) {
            return 1.0;
        }
    }

    /**
     * Multiplies the rate by γ every {@code everyEpochs} epochs (PyTorch's {@code StepLR}).
     *
     * @param everyEpochs period in epochs, at least 1
     * @param gamma       factor in (0, 1] (PyTorch's default 0.1)
     */
    record StepDecay(int everyEpochs, double gamma) implements LearningRateSchedule {
        public StepDecay {
            if (everyEpochs < 1) {
                throw new IllegalArgumentException("step decay period must be at least 1 epoch, got " + everyEpochs);
            }
            checkGamma(gamma);
        }

        public double factor(int epoch, int step, int stepsPerEpoch) {
            return Math.pow(gamma, epoch / everyEpochs);
        }
    }

    /**
     * Multiplies the rate by γ every epoch (PyTorch's {@code ExponentialLR}).
     *
     * @param gamma factor in (0, 1]
     */
    record ExponentialDecay(double gamma) implements LearningRateSchedule {
        public ExponentialDecay {
            checkGamma(gamma);
        }

        public double factor(int epoch, int step, int stepsPerEpoch) {
            return Math.pow(gamma, epoch);
        }
    }

    /**
     * Cosine annealing from the base rate down to {@code minFactor}·base over {@code epochs} epochs
     * (PyTorch's {@code CosineAnnealingLR} with η_min = minFactor·base): factor = m + (1 − m)(1 + cos(π·e/T))/2.
     * Unlike PyTorch, which lets the cosine rise again after T, the rate stays at the minimum.
     *
     * @param epochs    T, the length of the decay, at least 1
     * @param minFactor m in [0, 1)
     */
    record CosineAnnealing(int epochs, double minFactor) implements LearningRateSchedule {
        public CosineAnnealing {
            if (epochs < 1) {
                throw new IllegalArgumentException("cosine annealing needs at least 1 epoch, got " + epochs);
            }
            if (!(minFactor >= 0 && minFactor < 1)) {
                throw new IllegalArgumentException("cosine annealing minimum factor must be in [0, 1), got " + minFactor);
            }
        }

        public double factor(int epoch, int step, int stepsPerEpoch) {
            int e = Math.min(epoch, epochs);
            return minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * e / epochs));
        }
    }

    /**
     * A linear warm-up over the first {@code epochs} epochs, step by step (the s-th step of the warm-up uses
     * s/total of the rate, so the first step is not zero), then {@code then} with its epochs counted from the
     * end of the warm-up.
     *
     * @param epochs number of warm-up epochs, at least 1
     * @param then   the schedule after the warm-up
     */
    record Warmup(int epochs, LearningRateSchedule then) implements LearningRateSchedule {
        public Warmup {
            if (epochs < 1) {
                throw new IllegalArgumentException("warm-up needs at least 1 epoch, got " + epochs);
            }
            if (then == null) {
                throw new IllegalArgumentException("warm-up needs a schedule to follow it (Constant for none)");
            }
        }

        public double factor(int epoch, int step, int stepsPerEpoch) {
            if (epoch < epochs) {
                long s = (long) epoch * stepsPerEpoch + step + 1;
                return (double) s / ((long) epochs * stepsPerEpoch);
            }
            return then.factor(epoch - epochs, step, stepsPerEpoch);
        }
    }

    /** The base rate throughout. */
    static LearningRateSchedule constant() {
        return new Constant();
    }

    private static void checkGamma(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("decay factor gamma must be in (0, 1], got " + gamma);
        }
    }
}
