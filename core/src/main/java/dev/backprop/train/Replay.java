package dev.backprop.train;

import dev.backprop.Dataset;
import dev.backprop.util.Rng;

/**
 * Rehearsal for learning on: a sample of old training data mixed into each update of a {@link GuardedLearner},
 * so that the network keeps what it learned before while it adapts to new examples (the "experience replay" of
 * continual learning). The sample is drawn without replacement from {@code data} by a generator seeded with
 * {@code seed}; each update continues that generator's stream, so the same seed and the same updates give the
 * same samples.
 *
 * <p>Its size is either a fixed {@code count} or {@code ratio} old examples per new example (rounded up), never
 * more than {@code data} holds. Make one with {@link #count} or {@link #ratio}.
 *
 * @param data  the old training examples
 * @param count old examples per update (0 when {@code ratio} sets the size)
 * @param ratio old examples per new example (0 when {@code count} sets the size)
 * @param seed  the seed of the sampling stream
 */
public record Replay(Dataset data, int count, double ratio, long seed) {
    public Replay {
        if (data == null) {
            throw new IllegalArgumentException("replay needs a dataset of old examples, got null");
        }
        if (count < 0) {
            throw new IllegalArgumentException("replay count must be at least 0, got " + count);
        }
        if (!(ratio >= 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("replay ratio must be finite and at least 0, got " + ratio);
        }
        if ((count > 0) == (ratio > 0)) {
            throw new IllegalArgumentException("replay takes either a count or a ratio above 0, got count " + count + " and ratio " + ratio);
        }
    }

    /** {@code count} old examples in every update. */
    public static Replay count(Dataset data, int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("replay count must be at least 1, got " + count);
        }
        return new Replay(data, count, 0, seed);
    }

    /** {@code ratio} old examples per new example in every update (1: as many old as new), rounded up. */
    public static Replay ratio(Dataset data, double ratio, long seed) {
        if (!(ratio > 0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("replay ratio must be finite and above 0, got " + ratio);
        }
        return new Replay(data, 0, ratio, seed);
    }

    /** How many old examples go with {@code fresh} new ones. */
    public int sampleSize(int fresh) {
        long n = count > 0 ? count : (long) Math.ceil(ratio * fresh);
        return (int) Math.min(n, data.size());
    }

    /**
     * The batch of an update: the {@code fresh} examples, then {@link #sampleSize} old examples drawn without
     * replacement (a partial Fisher–Yates shuffle) with {@code rng}.
     */
    public Dataset mix(Dataset fresh, Rng rng) {
        int s = sampleSize(fresh.size());
        if (s == 0) {
            return fresh;
        }
        int n = data.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < s; i++) {
            int j = i + rng.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return fresh.concat(data.subset(java.util.Arrays.copyOf(idx, s)));
    }
}
