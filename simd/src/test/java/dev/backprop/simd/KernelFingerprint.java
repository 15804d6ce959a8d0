package dev.backprop.simd;

import dev.backprop.Activation;
import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.util.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * The bits the Vector API kernels produce on fixed inputs, one hash per operation and precision, as a line of text.
 * Run as a program ({@code KernelFingerprint WARMUP}) it computes them WARMUP times first and prints the last;
 * {@link TierIndependenceTest} runs it in JVMs that interpret everything and that compile everything with C2.
 */
final class KernelFingerprint {
    private KernelFingerprint() {
    }

    static String of(Precision precision) {
        Kernels k = new VectorKernelsProvider().kernels(precision);
        int rows = 37, cols = 29, n = rows * cols, in = 23;
        Rng rng = new Rng(11);
        Vec z = fill(k, n, rng, -12, 12), g = fill(k, n, rng, -1, 1), x = fill(k, rows * in, rng, -1, 1), w = fill(k, cols * in, rng, -1, 1);
        List<String> out = new ArrayList<>();
        for (Activation f : new Activation[] {Activation.tanh(), Activation.sigmoid(), Activation.relu()}) {
            Vec a = k.allocate(n);
            k.activate(f, z, a, rows, cols);
            out.add(f.id() + "=" + hash(a));
            Vec d = k.allocate(n);
            k.activationBackward(f, z, a, g, d, rows, cols);
            out.add(f.id() + "'=" + hash(d));
            // the same activation in the fused forward step's epilogue, on a block of columns of a wider Z
            Vec b = fill(k, cols, new Rng(5), -1, 1), zf = k.allocate((rows - 1) * (cols + 3) + cols), af = k.allocate(zf.length());
            k.denseForward(rows, cols, in, x, w, b, f, zf, af, cols + 3);
            out.add(f.id() + "-dense=" + hash(af));
            // and its derivative in the epilogue of the product that hands a delta down
            Vec dz = k.allocate(rows * in);
            k.propagateDelta(rows, in, cols, g, w, f, x, x, dz);
            out.add(f.id() + "-propagate=" + hash(dz));
        }
        out.add("dot=" + Long.toHexString(Double.doubleToRawLongBits(k.dot(z, g))));
        out.add("sumSquares=" + Long.toHexString(Double.doubleToRawLongBits(k.sumSquares(z))));
        Vec c = k.allocate(rows * cols);
        k.gemm(false, true, rows, cols, in, 1.0, x, w, 0.0, c);
        out.add("gemm=" + hash(c));
        Vec theta = fill(k, n, rng, -1, 1), m = k.allocate(n), v = k.allocate(n);
        k.adamStep(theta, g, m, v, 1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001);
        out.add("adam=" + hash(theta));
        return precision.id() + ": " + String.join(" ", out);
    }

    private static Vec fill(Kernels k, int n, Rng rng, double lo, double hi) {
        Vec v = k.allocate(n);
        for (int i = 0; i < n; i++) {
            v.set(i, rng.uniform(lo, hi));
        }
        return v;
    }

    private static String hash(Vec v) {
        long h = 1125899906842597L;
        for (int i = 0; i < v.length(); i++) {
            h = 31 * h + Double.doubleToRawLongBits(v.get(i));
        }
        return Long.toHexString(h);
    }

    public static void main(String[] args) {
        int warmup = Integer.parseInt(args[0]);
        String last = "";
        for (int i = 0; i <= warmup; i++) {
            last = of(Precision.FLOAT32) + " | " + of(Precision.FLOAT64);
        }
        System.out.println(last);
    }
}
