/**
 * Training: {@link dev.backprop.train.Trainer} (epochs, batches, validation, stopping rules, schedules),
 * {@link dev.backprop.train.Learner} (one update at a time, for learning on), and the divergence
 * {@link dev.backprop.train.Doctor}.
 */
package dev.backprop.train;
