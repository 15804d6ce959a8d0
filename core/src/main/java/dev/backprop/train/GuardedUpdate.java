package dev.backprop.train;

/**
 * What one {@link GuardedLearner#update} did.
 *
 * @param index      the update's number, from 1
 * @param accepted   whether the update was kept (false: it was rolled back)
 * @param examples   new examples in the update
 * @param replayed   old examples mixed in from the replay data
 * @param lossBefore mean validation cost (no weight penalty) before the update
 * @param lossAfter  mean validation cost after it, before any roll-back (NaN if the update diverged)
 * @param reason     why it was accepted or rejected, in words
 */
public record GuardedUpdate(long index, boolean accepted, int examples, int replayed, double lossBefore, double lossAfter, String reason) {
}
