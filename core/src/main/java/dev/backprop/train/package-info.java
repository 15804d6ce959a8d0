/**
 * Training: {@link dev.backprop.train.Trainer} (epochs, batches, validation, stopping rules, schedules),
 * {@link dev.backprop.train.Learner} (one update at a time, for learning on),
 * {@link dev.backprop.train.GuardedLearner} (learning on in production, each update checked on validation data
 * and rolled back when it hurts), and the divergence
 * {@link dev.backprop.train.Doctor}.
 */
package dev.backprop.train;
