package dev.backprop.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures this core's float32 FMA throughput with the Vector API: twelve independent chains of fused
 * multiply-adds on the preferred vectors (enough to cover the FMA latency on two pipes), no memory traffic.
 * The benchmarks report kernels as a fraction of this measured peak rather than of a datasheet figure, which a
 * virtual machine's clock may not reach.
 */
public final class Peak {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private Peak() {
    }

    /** GFLOP/s (an FMA counts 2) of one thread, best of five 0.1-second runs after a warm-up. */
    public static double float32Gflops() {
        double best = 0;
        chains(2_000_000);
        for (int r = 0; r < 5; r++) {
            long n = 5_000_000;
            long t0 = System.nanoTime();
            float v = chains(n);
            double s = (System.nanoTime() - t0) / 1e9;
            if (v != 0) { // always true; keeps the result alive
                best = Math.max(best, n * 12.0 * S.length() * 2 / s / 1e9);
            }
        }
        return best;
    }

    private static float chains(long n) {
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector x = FloatVector.broadcast(S, 0.9999999f), y = FloatVector.broadcast(S, 1e-7f);
        for (long i = 0; i < n; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
