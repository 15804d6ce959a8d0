package dev.backprop.bench;

import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.simd.Peak;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a second core adds on this machine, measured on the work of a W1 training step: the float32 FMA peak of
 * two threads against one, and the weight gradient of W1's first layer, ∂J/∂W₀ = Δ₀ᵀ·X (256×784 over 128
 * examples), split by units over two threads as a training step splits it, first on inputs no core has just
 * written, then with each thread rewriting its half of the examples' rows of X and Δ₀ before the product, as the
 * step's earlier phases do (each thread takes its examples through the forward pass and the deltas). In the
 * second case half of each product's inputs comes from the other core's cache. The ratios to one thread bound the
 * thread scaling of a step: the step cannot scale better than its products do. Last, W1's first product,
 * Z₀ = X·W₀ᵀ split by units, written by both threads into one shared Z (rows 256 apart: the cache line of each row
 * where one thread's units meet the other's is written by both cores) and into a Z of each thread's own, as a
 * training step does ({@code SplitPass}).
 *
 * <p>The two threads meet at a spinning barrier before every product, as the network's workers do; each figure is
 * the median over rounds of the mean time per product.
 */
final class Cores {
    private static final int M = 128;
    private static final int UNITS = 256;
    private static final int INPUTS = 784;
    private static final int ROUNDS = 7;
    /** Round trips per round of {@link #roundTripNanos}: a few milliseconds a round. */
    static final int TRIPS = 20_000;

    private Cores() {
    }

    /** {@code --products N}: products per round (default 400). */
    record Options(int products) {
        static Options parse(String[] args) {
            int products = 400;
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--products") && i + 1 < args.length) {
                    try {
                        products = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--products takes a whole number, not '" + args[i] + "'");
                    }
                    if (products < 1) {
                        throw new IllegalArgumentException("--products must be at least 1, not " + products);
                    }
                } else {
                    throw new IllegalArgumentException("unknown option '" + args[i] + "' for cores; known: --products N");
                }
            }
            return new Options(products);
        }
    }

    private static final Kernels K = Kernels.preferred(Precision.FLOAT32);

    /** The shared inputs and the gradient, with each thread's views. */
    static final class Work {
        final Vec delta = random(M * UNITS, 1);
        final Vec x = random(M * INPUTS, 2);
        final Vec grad = K.allocate(UNITS * INPUTS);
        final Vec w0 = random(UNITS * INPUTS, 3);
        final Vec z = K.allocate(M * UNITS);
        final Vec[] ownZ = {K.allocate(M * UNITS / 2), K.allocate(M * UNITS / 2)};

        /**
         * Part p of t of the forward product Z = X·W₀ᵀ: its units' columns, into the shared Z (rows UNITS apart) or,
         * with {@code own}, into a Z of its own (rows its units apart).
         */
        void forward(int p, int t, boolean own) {
            int w = UNITS / t;
            Vec rows = w0.view(p * w * INPUTS, w * INPUTS);
            if (own) {
                K.gemm(false, true, M, w, INPUTS, 1.0, x, INPUTS, rows, INPUTS, 0.0, ownZ[p].view(0, M * w), w);
            } else {
                K.gemm(false, true, M, w, INPUTS, 1.0, x, INPUTS, rows, INPUTS, 0.0, z.view(p * w, (M - 1) * UNITS + w), UNITS);
            }
        }

        /** Part p of t: its units' rows of Δ₀ᵀ·X (Δ₀'s columns read in place, rows UNITS apart). */
        void product(int p, int t) {
            int w = UNITS / t;
            K.gemm(true, false, w, INPUTS, M, 1.0, delta.view(p * w, (M - 1) * UNITS + w), UNITS, x, INPUTS, 0.0,
                    grad.view(p * w * INPUTS, w * INPUTS), INPUTS);
        }

        /** Part p of t rewrites its examples' rows of X and Δ₀ (the same values: it multiplies them by 1). */
        void rewrite(int p, int t) {
            int rows = M / t;
            K.scale(1.0, x.view(p * rows * INPUTS, rows * INPUTS));
            K.scale(1.0, delta.view(p * rows * UNITS, rows * UNITS));
        }

        private static Vec random(int n, long seed) {
            Vec v = K.allocate(n);
            dev.backprop.util.Rng rng = new dev.backprop.util.Rng(seed);
            for (int i = 0; i < n; i++) {
                v.set(i, rng.uniform(-1, 1));
            }
            return v;
        }
    }

    /**
     * µs per step of {@code t} threads (the main one and t − 1 others) that each run {@code part(p)} after a spinning
     * barrier, {@code steps} times per round; the median of the rounds.
     */
    private static double time(int t, int steps, java.util.function.IntConsumer part) throws InterruptedException {
        double[] rounds = new double[ROUNDS];
        for (int r = -2; r < ROUNDS; r++) { // two rounds of warm-up
            AtomicInteger arrived = new AtomicInteger();
            Thread[] others = new Thread[t - 1];
            for (int p = 1; p < t; p++) {
                int part2 = p;
                others[p - 1] = new Thread(() -> loop(part2, t, steps, arrived, part));
                others[p - 1].start();
            }
            long t0 = System.nanoTime();
            loop(0, t, steps, arrived, part);
            for (Thread o : others) {
                o.join();
            }
            if (r >= 0) {
                rounds[r] = (System.nanoTime() - t0) / 1e3 / steps;
            }
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    private static void loop(int p, int t, int steps, AtomicInteger arrived, java.util.function.IntConsumer part) {
        for (int i = 0; i < steps; i++) {
            arrived.incrementAndGet();
            while (arrived.get() < (i + 1) * t) {
                Thread.onSpinWait();
            }
            part.accept(p);
        }
    }

    /** The float32 FMA peak of each of {@code threads} threads measured at the same time (the caller's first). */
    static double[] peaks(int threads) {
        double[] each = new double[threads];
        Thread[] others = new Thread[threads - 1];
        for (int p = 1; p < threads; p++) {
            int q = p;
            others[p - 1] = new Thread(() -> each[q] = Peak.float32Gflops());
            others[p - 1].start();
        }
        each[0] = Peak.float32Gflops();
        for (Thread o : others) {
            try {
                o.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new double[threads]; // zeros: unknown
            }
        }
        return each;
    }

    /** The counter the two threads of {@link #roundTripNanos} pass back and forth. */
    private static volatile long ping;
    private static volatile long pong;

    /**
     * Nanoseconds for a cache line to go from one core to another and back: the calling thread writes a counter, a
     * second thread spinning on it writes it back, {@code trips} times, and the median over {@link #ROUNDS} rounds is returned.
     * Two threads that hand data from core to core, as a split training step does, pay this latency on every line
     * they share. On a VM it depends on where the hypervisor placed the vCPUs (on this project's machine 60–145 ns
     * some of the time and 315–450 ns at other times; see DEVELOPERS). NaN with fewer than two processors, where the
     * two threads would take turns on one core.
     */
    static double roundTripNanos(int trips) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return Double.NaN;
        }
        long start = pong;
        ping = start;
        Thread echo = new Thread(() -> {
            long seen = start;
            for (long end = start + (long) ROUNDS * trips; seen < end; ) {
                long v = ping;
                if (v != seen) {
                    seen = v;
                    pong = v;
                } else {
                    Thread.onSpinWait();
                }
            }
        }, "backprop-round-trip");
        echo.setDaemon(true);
        echo.start();
        double[] rounds = new double[ROUNDS];
        long id = start;
        for (int r = 0; r < rounds.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < trips; i++) {
                ping = ++id;
                while (pong != id) {
                    Thread.onSpinWait();
                }
            }
            rounds[r] = (System.nanoTime() - t0) / (double) trips;
        }
        try {
            echo.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Stats.median(rounds);
    }

    /** The float32 FMA peak of {@code threads} threads together, GFLOP/s. */
    static double fmaPeak(int threads) {
        return Arrays.stream(peaks(threads)).sum();
    }

    static int run(Options options, PrintStream out) {
        int n = options.products();
        out.println("cores: " + Runtime.getRuntime().availableProcessors() + " available; kernels " + K.name());
        double one = Peak.float32Gflops();
        double[] two = peaks(2);
        double trip = roundTripNanos(TRIPS);
        try {
            Work w = new Work();
            double whole = time(1, n, p -> w.product(0, 1));
            double clean = time(2, n, p -> w.product(p, 2));
            double wholeRewrite = time(1, n, p -> {
                w.rewrite(0, 1);
                w.product(0, 1);
            });
            double rewritten = time(2, n, p -> {
                w.rewrite(p, 2);
                w.product(p, 2);
            });
            double rewriteOnly = time(2, n, p -> w.rewrite(p, 2));
            double halfAlone = time(1, n, p -> w.forward(0, 2, false));
            double sharedZ = time(2, n, p -> w.forward(p, 2, false));
            double ownZ = time(2, n, p -> w.forward(p, 2, true));
            out.printf("float32 FMA peak: one thread %.1f GFLOP/s, two threads %.1f + %.1f = %.1f (%.2fx)%n", one, two[0], two[1],
                    two[0] + two[1], (two[0] + two[1]) / one);
            out.printf("a cache line's round trip between two cores (two spinning threads passing a counter): %.0f ns%n", trip);
            out.printf("W1's first weight gradient, dW0 = delta0^T X (256x784 over 128 examples), split by units:%n");
            out.printf("  clean inputs:        1 thread %.1f us, 2 threads %.1f us (%.2fx)%n", whole, clean, whole / clean);
            out.printf("  inputs rewritten by rows first (half of them then in the other core's cache):%n");
            out.printf("                       1 thread %.1f us, 2 threads %.1f us (%.2fx); the rewrite alone on 2 threads: %.1f us%n",
                    wholeRewrite, rewritten, wholeRewrite / rewritten, rewriteOnly);
            out.printf("  reading the other core's half costs %.1f us of each 2-thread product%n", rewritten - rewriteOnly - clean);
            out.printf("W1's first product, Z0 = X W0^T (128 examples, 784 inputs), each thread 128 of the 256 units:%n");
            out.printf("  one thread alone %.1f us; two threads into one shared Z %.1f us, each into its own Z %.1f us%n",
                    halfAlone, sharedZ, ownZ);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        return 0;
    }
}
