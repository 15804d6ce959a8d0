package dev.backprop.train;

/** Receives progress while a network trains (for progress bars, logs and plots). All methods are optional. */
public interface TrainingListener {

    /** After every update. */
    default void onStep(int epoch, int batch, int batchesPerEpoch, double batchLoss) {
    }

    /** After every epoch. */
    default void onEpoch(EpochRecord record) {
    }

    /** When the doctor recovered from divergence (recovery mode); {@code message} says what it did. */
    default void onRecovery(Diagnosis diagnosis, String message) {
    }
}
