package dev.backprop;

/**
 * Each thread's share of a split pass, learned from how fast the threads went through the last ones.
 *
 * <p>Why: this VM's cores do not keep one speed. An FMA loop pinned to one core ran up to 1.8 times slower than on
 * the other for a second or more at a time, on either core (in 2 of 12 runs of 1.5 s each); in such a stretch, a pass cut
 * into equal halves waits for the slower core at every phase. So after each chunk of a batch the pass reports each
 * thread's work (its fraction of each phase, weighed by the phase's cost) and its busy time; a thread's speed is
 * their ratio, and its share moves toward its fraction of the summed speeds by an exponential moving average over
 * about {@link #SPAN} chunks, never leaving [1/(2t), 3/(2t)] (so a thread's buffers can be sized for its most). With one of two threads held to 1/1.6 of its speed
 * (a scratch build), W1's epochs took 0.48–0.49 s against 0.56–0.61 s with the shares held at one half, and the
 * shares settled at 0.62 (the ideal is 1.6/2.6 = 0.615).
 *
 * <p>The shares only say who computes what: every gradient entry, cost and figure is the same sum whatever the cut
 * ({@link SplitPass}), so results do not depend on them, only the time does.
 */
final class Shares {
    /** How many chunks the moving average spans (its weight on the newest is 1/SPAN). */
    static final int SPAN = 16;

    final int t;
    private final double[] share;
    /** Filled by the caller before {@link #learn()}: each thread's work and busy time (any units, the same for all). */
    final double[] work;
    final double[] time;

    Shares(int t) {
        if (t < 1) {
            throw new IllegalArgumentException("at least one thread, got " + t);
        }
        this.t = t;
        this.share = new double[t];
        this.work = new double[t];
        this.time = new double[t];
        java.util.Arrays.fill(share, 1.0 / t);
    }

    /** Thread p's share now. */
    double share(int p) {
        return share[p];
    }

    /** Sets the shares (for tests): scaled to sum to 1, each must then lie in [1/(2t), 3/(2t)]. */
    void set(double... s) {
        if (s.length != t) {
            throw new IllegalArgumentException(s.length + " shares for " + t + " threads");
        }
        double sum = 0;
        for (double v : s) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("shares must be positive, got " + v);
            }
            sum += v;
        }
        for (int p = 0; p < t; p++) {
            double v = s[p] / sum;
            if (v < lo() - 1e-12 || v > hi() + 1e-12) {
                throw new IllegalArgumentException("share " + v + " is outside [" + lo() + ", " + hi() + "]");
            }
        }
        for (int p = 0; p < t; p++) {
            share[p] = s[p] / sum;
        }
    }

    /**
     * Cuts {@code units} indivisible pieces into t contiguous runs by the shares: thread p gets [into[p], into[p+1]),
     * into[0] = 0, into[t] = units, each boundary the nearest to the shares' running sum.
     */
    void cut(int units, int[] into) {
        into[0] = 0;
        double sum = 0;
        for (int p = 0; p < t - 1; p++) {
            sum += share[p];
            into[p + 1] = Math.clamp(Math.round(sum * units), into[p], units);
        }
        into[t] = units;
    }

    /** Cuts {@code units} pieces into t runs as evenly as possible (the first units % t runs one longer). */
    static void evenCut(int units, int[] into) {
        int t = into.length - 1;
        into[0] = 0;
        for (int p = 0; p < t; p++) {
            into[p + 1] = into[p] + units / t + (p < units % t ? 1 : 0);
        }
    }

    /**
     * Moves the shares toward the speeds in {@link #work} and {@link #time}: thread p's target is its speed
     * work[p]/time[p] over the summed speeds. A measurement with a thread that did no work or took no time says
     * nothing and is skipped.
     */
    void learn() {
        double sum = 0;
        for (int p = 0; p < t; p++) {
            if (!(work[p] > 0) || !(time[p] > 0)) {
                return;
            }
            sum += work[p] / time[p];
        }
        for (int p = 0; p < t; p++) {
            share[p] += (work[p] / time[p] / sum - share[p]) / SPAN;
        }
        bound();
    }

    /** The lowest and highest share a thread can have: 1/(2t) and 3/(2t). */
    private double lo() {
        return 0.5 / t;
    }

    private double hi() {
        return 1.5 / t;
    }

    /**
     * Brings the shares within [1/(2t), 3/(2t)], summing to 1: clamps them, then spreads what the clamping added or
     * took over the shares that can still move, until nothing is left.
     */
    private void bound() {
        double lo = lo(), hi = hi();
        for (int round = 0; round <= t; round++) {
            double sum = 0;
            for (int p = 0; p < t; p++) {
                share[p] = Math.clamp(share[p], lo, hi);
                sum += share[p];
            }
            double excess = sum - 1;
            if (Math.abs(excess) < 1e-15) {
                return;
            }
            int free = 0;
            for (int p = 0; p < t; p++) {
                free += excess > 0 ? (share[p] > lo ? 1 : 0) : (share[p] < hi ? 1 : 0);
            }
            for (int p = 0; p < t && free > 0; p++) {
                if (excess > 0 ? share[p] > lo : share[p] < hi) {
                    share[p] -= excess / free;
                }
            }
        }
    }

    /**
     * The most of {@code pieces} that {@link #cut} can give one thread: its share is at most 3/(2t), and rounding
     * its two ends adds at most one piece.
     */
    int maxRun(int pieces) {
        return Math.min(pieces, (int) Math.floor(hi() * pieces + 1 + 1e-9));
    }
}
