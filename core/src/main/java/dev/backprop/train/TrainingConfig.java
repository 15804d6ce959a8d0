package dev.backprop.train;

import dev.backprop.Regularization;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Optimizer;
import java.time.Duration;

/**
 * Everything about how a network is trained, as one immutable value. Start from {@link #defaults()} and
 * change what you need with the {@code with...} methods:
 *
 * <pre>{@code
 * TrainingConfig config = TrainingConfig.defaults()
 *         .withOptimizer(new Adam(1e-2))
 *         .withBatchSize(16)
 *         .withEpochs(200)
 *         .withL2(1e-4);
 * }</pre>
 *
 * @param optimizer          the update rule and its base learning rate (default {@link Adam} with lr 1e−3)
 * @param batchSize          examples per update: 1 is online learning, anything ≥ the dataset size is full batch
 *                           (default 32)
 * @param shuffle            whether to visit the examples in a new random order every epoch (default true)
 * @param seed               seed of the shuffling and of the validation split (default 0)
 * @param regularization     the weight penalty in J (default none)
 * @param schedule           how the learning rate changes (default constant)
 * @param clipping           gradient clipping (default none)
 * @param stopping           when to stop (default 100 epochs)
 * @param validationFraction fraction of the training data held out for validation when no validation set is given
 *                           (default 0: none)
 * @param doctor             how divergence is detected and handled
 */
public record TrainingConfig(Optimizer optimizer, int batchSize, boolean shuffle, long seed, Regularization regularization,
                             LearningRateSchedule schedule, GradientClipping clipping, Stopping stopping,
                             double validationFraction, DoctorSettings doctor) {

    /** Use as the batch size for full-batch training. */
    public static final int FULL_BATCH = Integer.MAX_VALUE;

    public TrainingConfig {
        if (optimizer == null || regularization == null || schedule == null || clipping == null || stopping == null || doctor == null) {
            throw new IllegalArgumentException("training config members must not be null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1 (1 = online learning), got " + batchSize);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + validationFraction);
        }
    }

    /** Adam (lr 1e−3), batches of 32, shuffled with seed 0, no penalty, constant rate, 100 epochs. */
    public static TrainingConfig defaults() {
        return new TrainingConfig(new Adam(), 32, true, 0, Regularization.NONE, LearningRateSchedule.constant(),
                GradientClipping.none(), Stopping.defaults(), 0, DoctorSettings.defaults());
    }

    public TrainingConfig withOptimizer(Optimizer o) {
        return new TrainingConfig(o, batchSize, shuffle, seed, regularization, schedule, clipping, stopping, validationFraction, doctor);
    }

    /** The same optimizer with another base learning rate. */
    public TrainingConfig withLearningRate(double lr) {
        return withOptimizer(optimizer.withLearningRate(lr));
    }

    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(optimizer, b, shuffle, seed, regularization, schedule, clipping, stopping, validationFraction, doctor);
    }

    /** Batch size 1: one update per example. */
    public TrainingConfig withOnline() {
        return withBatchSize(1);
    }

    /** One update per epoch over the whole training set. */
    public TrainingConfig withFullBatch() {
        return withBatchSize(FULL_BATCH);
    }

    public TrainingConfig withShuffle(boolean s) {
        return new TrainingConfig(optimizer, batchSize, s, seed, regularization, schedule, clipping, stopping, validationFraction, doctor);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(optimizer, batchSize, shuffle, s, regularization, schedule, clipping, stopping, validationFraction, doctor);
    }

    public TrainingConfig withRegularization(Regularization r) {
        return new TrainingConfig(optimizer, batchSize, shuffle, seed, r, schedule, clipping, stopping, validationFraction, doctor);
    }

    /** An L2 penalty (λ/2)·Σ‖W‖² (keeps any L1 coefficient). */
    public TrainingConfig withL2(double lambda) {
        return withRegularization(new Regularization(lambda, regularization.l1()));
    }

    /** An L1 penalty λ·Σ|W| (keeps any L2 coefficient). */
    public TrainingConfig withL1(double lambda) {
        return withRegularization(new Regularization(regularization.l2(), lambda));
    }

    public TrainingConfig withSchedule(LearningRateSchedule s) {
        return new TrainingConfig(optimizer, batchSize, shuffle, seed, regularization, s, clipping, stopping, validationFraction, doctor);
    }

    public TrainingConfig withClipping(GradientClipping c) {
        return new TrainingConfig(optimizer, batchSize, shuffle, seed, regularization, schedule, c, stopping, validationFraction, doctor);
    }

    public TrainingConfig withStopping(Stopping s) {
        return new TrainingConfig(optimizer, batchSize, shuffle, seed, regularization, schedule, clipping, s, validationFraction, doctor);
    }

    public TrainingConfig withEpochs(int epochs) {
        return withStopping(stopping.withMaxEpochs(epochs));
    }

    public TrainingConfig withLossGoal(double goal) {
        return withStopping(stopping.withLossGoal(goal));
    }

    public TrainingConfig withMinGradientNorm(double norm) {
        return withStopping(stopping.withMinGradientNorm(norm));
    }

    public TrainingConfig withTimeLimit(Duration limit) {
        return withStopping(stopping.withTimeLimit(limit));
    }

    /** Early stopping: patience in epochs, any decrease counts as an improvement. */
    public TrainingConfig withPatience(int epochs) {
        return withStopping(stopping.withPatience(epochs, 0));
    }

    public TrainingConfig withValidationFraction(double f) {
        return new TrainingConfig(optimizer, batchSize, shuffle, seed, regularization, schedule, clipping, stopping, f, doctor);
    }

    public TrainingConfig withDoctor(DoctorSettings d) {
        return new TrainingConfig(optimizer, batchSize, shuffle, seed, regularization, schedule, clipping, stopping, validationFraction, d);
    }

    /** Recovery from divergence on or off (see {@link DoctorSettings#recover()}). */
    public TrainingConfig withRecovery(boolean on) {
        return withDoctor(doctor.withRecovery(on));
    }
}
