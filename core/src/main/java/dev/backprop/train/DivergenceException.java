package dev.backprop.train;

/**
 * Training diverged and recovery was off (or exhausted). The network holds the last good weights.
 * {@link Trainer#fit} turns this into a {@link TrainingResult} with {@link StopReason#DIVERGED}; a
 * {@link Learner} used for learning on throws it to the caller.
 */
public final class DivergenceException extends RuntimeException {
    private final transient Diagnosis diagnosis;

    public DivergenceException(Diagnosis diagnosis) {
        super(diagnosis.message());
        this.diagnosis = diagnosis;
    }

    /** The doctor's finding. */
    public Diagnosis diagnosis() {
        return diagnosis;
    }
}
