package dev.backprop.train;

import java.time.Duration;
import java.util.List;

/**
 * The outcome of {@link Trainer#fit}: why it stopped, the per-epoch history, and the doctor's finding if it
 * diverged. The network itself holds the trained weights (the best epoch's when early stopping restored them,
 * the last good ones when it diverged).
 *
 * @param reason     why training stopped
 * @param message    one line saying so, for the user
 * @param history    one record per completed epoch
 * @param bestEpoch  the epoch (from 1) with the lowest validation loss, or the lowest training loss without
 *                   validation data; 0 if no epoch completed
 * @param steps      updates made
 * @param elapsed    wall-clock time of the run
 * @param diagnosis  the doctor's finding when {@code reason} is {@link StopReason#DIVERGED}, else null
 * @param recoveries what the doctor did in recovery mode, one line per recovery
 */
public record TrainingResult(StopReason reason, String message, List<EpochRecord> history, int bestEpoch, long steps,
                             Duration elapsed, Diagnosis diagnosis, List<String> recoveries) {

    /** The last completed epoch, or null if none completed. */
    public EpochRecord last() {
        return history.isEmpty() ? null : history.getLast();
    }

    /** Whether the run diverged. */
    public boolean diverged() {
        return reason == StopReason.DIVERGED;
    }
}
