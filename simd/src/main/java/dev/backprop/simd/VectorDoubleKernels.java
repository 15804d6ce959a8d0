package dev.backprop.simd;

import dev.backprop.Activation;
import dev.backprop.Precision;
import dev.backprop.kernel.DoubleVec;
import dev.backprop.kernel.ScalarDoubleKernels;
import dev.backprop.kernel.Shapes;
import dev.backprop.kernel.Vec;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float64 kernels on the Vector API: the matrix products (packed, register-blocked, {@link DoubleGemm}), the
 * Cholesky factorisation of the second-order methods, the bias add and bias gradient, the input scaling, ReLU, tanh and sigmoid forward and backward, the vector updates and reductions, and
 * Adam's step. Everything else is inherited from the scalar reference, {@link ScalarDoubleKernels}.
 *
 * <p>{@link VectorFloatKernels} is the float32 twin; the kernel conformance suite checks both against the
 * float64 reference over sizes that hit every vector and block edge. Deterministic: the order of every sum
 * depends only on the sizes, never on timing.
 */
public final class VectorDoubleKernels extends ScalarDoubleKernels {
    /** The shared instance (the class holds no state; packing buffers are per thread). */
    public static final VectorDoubleKernels INSTANCE = new VectorDoubleKernels();

    private static final VectorSpecies<Double> S = DoubleGemm.S;
    private static final int L = S.length();

    private VectorDoubleKernels() {
    }

    @Override
    public String name() {
        return "vector-float64";
    }

    private static double[] arr(Vec v) {
        return ((DoubleVec) v).array();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Vec a, int lda, Vec b, int ldb, double beta, Vec c,
            int ldc) {
        Shapes.checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        DoubleGemm.gemm(transA, transB, m, n, k, alpha, arr(a), a.offset(), lda, arr(b), b.offset(), ldb, beta, arr(c), c.offset(), ldc,
                DoubleGemm.ALL);
    }

    /**
     * The product with the bias add and, for ReLU, the activation in its epilogue ({@link DoubleGemm#dense}); other
     * activations take the reference's loops over Z afterwards. The same bits as the three steps apart.
     */
    @Override
    public void denseForward(int m, int n, int k, Vec y, Vec w, Vec b, Activation f, Vec z, Vec a, int ldz) {
        Shapes.checkDenseForward(m, n, k, y, w, b, z, a, ldz);
        boolean fused = f instanceof Activation.Relu || f instanceof Activation.Identity;
        int act = fused ? f instanceof Activation.Relu ? DoubleGemm.RELU : DoubleGemm.IDENTITY : DoubleGemm.IDENTITY;
        double[] Z = arr(z);
        DoubleGemm.dense(m, n, k, arr(y), y.offset(), arr(w), w.offset(), b.length() == 0 ? null : arr(b), b.offset(), act, Z, z.offset(),
                fused ? arr(a) : Z, fused ? a.offset() : z.offset(), ldz);
        if (!fused) {
            activateRows(f, Z, z.offset(), arr(a), a.offset(), m, n, ldz);
        }
    }

    @Override
    public void syrk(int m, int n, double alpha, Vec a, double beta, Vec c) {
        Shapes.checkMatrix(a, m, n, "syrk A");
        Shapes.checkMatrix(c, n, n, "syrk C");
        double[] A = arr(a), C = arr(c);
        int co = c.offset();
        DoubleGemm.gemm(true, false, n, n, m, alpha, A, a.offset(), A, a.offset(), beta, C, co, DoubleGemm.LOWER);
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                C[co + j * n + i] = C[co + i * n + j];
            }
        }
    }

    /** Rows of R factored together before the rest of the matrix is updated by one product. */
    private static final int CHOLESKY_BLOCK = 16;

    /**
     * The reference's right-looking Cholesky, blocked (Golub &amp; Van Loan §4.2.9): the rows of a block of 16 are
     * factored against each other by rank-1 row updates in vector lanes, then the whole trailing matrix is updated
     * at once by the block's product, R[e:, e:] −= PᵀP with P = R[b:e, e:], on the packed GEMM ({@link DoubleGemm},
     * upper tiles only). Most of the n³/3 flops thus run in the register-blocked micro-kernel. The same factor as the
     * reference up to rounding; entries below the diagonal that a diagonal tile touched are zeroed at the end (no
     * step reads them).
     */
    @Override
    public boolean cholesky(int n, double shift, Vec a, Vec r) {
        Shapes.checkMatrix(a, n, n, "cholesky A");
        Shapes.checkMatrix(r, n, n, "cholesky R");
        double[] A = arr(a), U = arr(r);
        int ao = a.offset(), lo = r.offset();
        for (int i = 0; i < n; i++) {
            int ui = lo + i * n;
            System.arraycopy(A, ao + i * n + i, U, ui + i, n - i);
            U[ui + i] += shift;
        }
        boolean ok = true;
        for (int kb = 0; kb < n && ok; kb += CHOLESKY_BLOCK) {
            int ke = Math.min(n, kb + CHOLESKY_BLOCK);
            for (int k = kb; k < ke; k++) {
                int uk = lo + k * n;
                double pivot = U[uk + k];
                if (!(pivot > 0) || !Double.isFinite(pivot)) {
                    ok = false;
                    break;
                }
                double d = Math.sqrt(pivot);
                U[uk + k] = d;
                scaleRow(U, uk + k + 1, n - k - 1, d);
                for (int i = k + 1; i < ke; i++) {
                    // U[i][i:] -= U[k][i]·U[k][i:]
                    rowAxpy(-U[uk + i], U, uk + i, U, lo + i * n + i, n - i);
                }
            }
            if (ok && ke < n) {
                int p = lo + kb * n + ke;
                DoubleGemm.gemm(true, false, n - ke, n - ke, ke - kb, -1.0, U, p, n, U, p, n, 1.0, U, lo + ke * n + ke, n, DoubleGemm.UPPER);
            }
        }
        for (int i = 1; i < n; i++) {
            java.util.Arrays.fill(U, lo + i * n, lo + i * n + i, 0.0);
        }
        return ok;
    }

    /** x[o:o+len) /= d (divided, as the reference does, not multiplied by 1/d). */
    private static void scaleRow(double[] x, int o, int len, double d) {
        int bound = S.loopBound(len), i = 0;
        for (; i < bound; i += L) {
            DoubleVector.fromArray(S, x, o + i).div(d).intoArray(x, o + i);
        }
        for (; i < len; i++) {
            x[o + i] /= d;
        }
    }

    private static void rowAxpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
        int bound = S.loopBound(len), i = 0;
        DoubleVector av = DoubleVector.broadcast(S, alpha);
        for (; i < bound; i += L) {
            DoubleVector.fromArray(S, x, xo + i).fma(av, DoubleVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < len; i++) {
            y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
        }
    }

    @Override
    public void addRowVector(Vec row, Vec x, int rows, int cols) {
        Shapes.checkMatrix(x, rows, cols, "x");
        Shapes.checkLength(row, cols, "row");
        double[] R = arr(row), X = arr(x);
        int ro = row.offset(), bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = x.offset() + r * cols;
            int c = 0;
            for (; c < bound; c += L) {
                DoubleVector.fromArray(S, X, xr + c).add(DoubleVector.fromArray(S, R, ro + c)).intoArray(X, xr + c);
            }
            for (; c < cols; c++) {
                X[xr + c] += R[ro + c];
            }
        }
    }

    /** x[r, :] = (x[r, :] − center) / scale in vector lanes (the reference divides in double and rounds once). */
    @Override
    public void standardize(Vec x, Vec center, Vec scale, int rows, int cols) {
        Shapes.checkMatrix(x, rows, cols, "x");
        Shapes.checkLength(center, cols, "center");
        Shapes.checkLength(scale, cols, "scale");
        double[] X = arr(x), C = arr(center), D = arr(scale);
        int co = center.offset(), so = scale.offset(), bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = x.offset() + r * cols;
            int c = 0;
            for (; c < bound; c += L) {
                DoubleVector.fromArray(S, X, xr + c).sub(DoubleVector.fromArray(S, C, co + c)).div(DoubleVector.fromArray(S, D, so + c)).intoArray(X, xr + c);
            }
            for (; c < cols; c++) {
                X[xr + c] = (X[xr + c] - C[co + c]) / D[so + c];
            }
        }
    }

    @Override
    public void sumRows(double alpha, Vec x, int rows, int cols, int ldx, Vec out) {
        Shapes.checkStrided(x, rows, cols, ldx, "x");
        Shapes.checkLength(out, cols, "out");
        double[] X = arr(x), O = arr(out);
        int xo = x.offset(), oo = out.offset(), bound = S.loopBound(cols);
        double al = alpha;
        int c = 0;
        for (; c < bound; c += L) {
            DoubleVector s = DoubleVector.zero(S);
            for (int r = 0; r < rows; r++) {
                s = s.add(DoubleVector.fromArray(S, X, xo + r * ldx + c));
            }
            DoubleVector.fromArray(S, O, oo + c).add(s.mul(al)).intoArray(O, oo + c);
        }
        for (; c < cols; c++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += X[xo + r * ldx + c];
            }
            O[oo + c] += al * s;
        }
    }

    @Override
    public void scale(double alpha, Vec x) {
        double[] X = arr(x);
        double al = alpha;
        int o = x.offset(), n = x.length(), bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            DoubleVector.fromArray(S, X, o + i).mul(al).intoArray(X, o + i);
        }
        for (; i < n; i++) {
            X[o + i] *= al;
        }
    }

    @Override
    public void axpy(double alpha, Vec x, Vec y) {
        Shapes.checkSameLength(x, y);
        double[] X = arr(x), Y = arr(y);
        double al = alpha;
        int xo = x.offset(), yo = y.offset(), n = x.length(), bound = S.loopBound(n), i = 0;
        DoubleVector av = DoubleVector.broadcast(S, al);
        for (; i < bound; i += L) {
            DoubleVector.fromArray(S, X, xo + i).fma(av, DoubleVector.fromArray(S, Y, yo + i)).intoArray(Y, yo + i);
        }
        for (; i < n; i++) {
            Y[yo + i] = Math.fma(al, X[xo + i], Y[yo + i]);
        }
    }

    /** Lane i + L/2, i + L/4, …, i + 1 (mod L) into lane i: the steps of a fixed summation tree over the lanes. */
    private static final jdk.incubator.vector.VectorShuffle<Double>[] HALVES = halves();

    @SuppressWarnings("unchecked")
    private static jdk.incubator.vector.VectorShuffle<Double>[] halves() {
        int steps = Integer.numberOfTrailingZeros(L);
        jdk.incubator.vector.VectorShuffle<Double>[] h = new jdk.incubator.vector.VectorShuffle[steps];
        for (int i = 0, d = L / 2; i < steps; i++, d /= 2) {
            h[i] = jdk.incubator.vector.VectorShuffle.iota(S, d, 1, true);
        }
        return h;
    }

    /** Σ x·y, in double lanes summed into a double per block of 1024 elements (so error grows with blocks, not n). */
    @Override
    public double dot(Vec x, Vec y) {
        Shapes.checkSameLength(x, y);
        double[] X = arr(x), Y = arr(y);
        int xo = x.offset(), yo = y.offset(), n = x.length();
        double total = 0;
        for (int start = 0; start < n; start += 1024) {
            int len = Math.min(1024, n - start), bound = S.loopBound(len), i = 0;
            DoubleVector s = DoubleVector.zero(S);
            for (; i < bound; i += L) {
                s = DoubleVector.fromArray(S, X, xo + start + i).fma(DoubleVector.fromArray(S, Y, yo + start + i), s);
            }
            // the lanes are added in a fixed tree (halves, then quarters, ...): reduceLanes(ADD) adds them in the
            // interpreter's order before the JIT compiles this method and in its own tree after, which differ in the last bit
            for (jdk.incubator.vector.VectorShuffle<Double> half : HALVES) {
                s = s.add(s.rearrange(half));
            }
            double t = s.lane(0);
            for (; i < len; i++) {
                t += (double) X[xo + start + i] * Y[yo + start + i];
            }
            total += t;
        }
        return total;
    }

    @Override
    public double sumSquares(Vec x) {
        return dot(x, x);
    }

    /**
     * ReLU in vector lanes; tanh, the sigmoid and the others are the reference's (Math.tanh and Math.exp, the same
     * bits in interpreted and compiled code). The Vector API's own TANH and EXP are the JIT's intrinsics once
     * compiled and Java's Math functions before, which differ in the last bit for some inputs, so a run's weights
     * would depend on when the JIT compiled this method; float32, where the speed matters, has {@link FloatLanes}.
     */
    @Override
    public void activate(Activation f, Vec z, Vec a, int rows, int cols) {
        if (!(f instanceof Activation.Relu)) {
            super.activate(f, z, a, rows, cols);
            return;
        }
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(a, rows, cols, "a");
        double[] Z = arr(z), A = arr(a);
        int zo = z.offset(), ao = a.offset(), n = rows * cols, bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            DoubleVector.fromArray(S, Z, zo + i).max(0.0).intoArray(A, ao + i);
        }
        if (i < n) { // the same lanes under a mask, as the fused forward step's last tile (NaN stays NaN)
            VectorMask<Double> in = S.indexInRange(i, n);
            DoubleVector.fromArray(S, Z, zo + i, in).max(0.0).intoArray(A, ao + i, in);
        }
    }

    /**
     * The product Δ·W with ReLU's, tanh's or the sigmoid's derivative applied to each tile as it is stored
     * ({@link DoubleGemm#propagate}); the other activations take the product and then the reference's backward.
     */
    @Override
    public void propagateDelta(int m, int in, int out, Vec delta, Vec w, Activation f, Vec z, Vec a, Vec dZ) {
        int act = f instanceof Activation.Relu ? DoubleGemm.RELU_BACK : f instanceof Activation.Tanh ? DoubleGemm.TANH_BACK
                : f instanceof Activation.Sigmoid ? DoubleGemm.SIGMOID_BACK : DoubleGemm.PLAIN;
        if (act == DoubleGemm.PLAIN) {
            super.propagateDelta(m, in, out, delta, w, f, z, a, dZ);
            return;
        }
        Shapes.checkGemm(false, false, m, in, out, delta, w, dZ);
        Shapes.checkMatrix(z, m, in, "z");
        Shapes.checkMatrix(a, m, in, "a");
        DoubleGemm.propagate(m, in, out, arr(delta), delta.offset(), arr(w), w.offset(), act, arr(a), a.offset(), arr(dZ), dZ.offset());
    }

    /** ReLU, tanh (1 − a²) and sigmoid (a(1 − a)) backward in vector lanes; the others are the reference's. */
    @Override
    public void activationBackward(Activation f, Vec z, Vec a, Vec dA, Vec dZ, int rows, int cols) {
        if (!(f instanceof Activation.Relu || f instanceof Activation.Tanh || f instanceof Activation.Sigmoid)) {
            super.activationBackward(f, z, a, dA, dZ, rows, cols);
            return;
        }
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(a, rows, cols, "a");
        Shapes.checkMatrix(dA, rows, cols, "dA");
        Shapes.checkMatrix(dZ, rows, cols, "dZ");
        double[] Z = arr(z), A = arr(a), G = arr(dA), D = arr(dZ);
        int zo = z.offset(), ao = a.offset(), go = dA.offset(), dO = dZ.offset(), n = rows * cols, bound = S.loopBound(n), i = 0;
        switch (f) {
            case Activation.Relu r -> {
                DoubleVector zero = DoubleVector.zero(S);
                for (; i < bound; i += L) {
                    VectorMask<Double> on = DoubleVector.fromArray(S, Z, zo + i).compare(VectorOperators.GT, 0.0);
                    zero.blend(DoubleVector.fromArray(S, G, go + i), on).intoArray(D, dO + i);
                }
                for (; i < n; i++) {
                    D[dO + i] = Z[zo + i] > 0 ? G[go + i] : 0.0;
                }
            }
            case Activation.Tanh t -> {
                DoubleVector one = DoubleVector.broadcast(S, 1.0);
                for (; i < bound; i += L) {
                    DoubleVector av = DoubleVector.fromArray(S, A, ao + i);
                    DoubleVector.fromArray(S, G, go + i).mul(one.sub(av.mul(av))).intoArray(D, dO + i);
                }
                for (; i < n; i++) {
                    D[dO + i] = G[go + i] * (1.0 - A[ao + i] * A[ao + i]);
                }
            }
            default -> {
                DoubleVector one = DoubleVector.broadcast(S, 1.0);
                for (; i < bound; i += L) {
                    DoubleVector av = DoubleVector.fromArray(S, A, ao + i);
                    DoubleVector.fromArray(S, G, go + i).mul(av.mul(one.sub(av))).intoArray(D, dO + i);
                }
                for (; i < n; i++) {
                    D[dO + i] = G[go + i] * (A[ao + i] * (1.0 - A[ao + i]));
                }
            }
        }
    }

    /** Adam in double lanes. */
    @Override
    public void adamStep(Vec theta, Vec g, Vec m, Vec v, double lr, double beta1, double beta2, double eps, double bc1, double bc2) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, m);
        Shapes.checkSameLength(theta, v);
        double[] T = arr(theta), G = arr(g), M = arr(m), V = arr(v);
        int to = theta.offset(), go = g.offset(), mo = m.offset(), vo = v.offset(), n = theta.length();
        double b1 = beta1, b2 = beta2, c1 = (1 - beta1), c2 = (1 - beta2);
        double step = (lr / bc1), invSqrtBc2 = (1 / Math.sqrt(bc2)), e = eps;
        int bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            DoubleVector gi = DoubleVector.fromArray(S, G, go + i);
            DoubleVector mi = DoubleVector.fromArray(S, M, mo + i).mul(b1).add(gi.mul(c1));
            DoubleVector vi = DoubleVector.fromArray(S, V, vo + i).mul(b2).add(gi.mul(gi).mul(c2));
            mi = mi.blend(0.0, mi.abs().lt(Double.MIN_NORMAL)); // subnormal moments are flushed (see Kernels#adamStep)
            vi = vi.blend(0.0, vi.lt(Double.MIN_NORMAL));
            mi.intoArray(M, mo + i);
            vi.intoArray(V, vo + i);
            DoubleVector den = vi.sqrt().mul(invSqrtBc2).add(e);
            DoubleVector.fromArray(S, T, to + i).sub(mi.mul(step).div(den)).intoArray(T, to + i);
        }
        for (; i < n; i++) {
            double gi = G[go + i];
            double mi = M[mo + i] * b1 + gi * c1;
            double vi = V[vo + i] * b2 + gi * gi * c2;
            mi = Math.abs(mi) < Double.MIN_NORMAL ? 0 : mi;
            vi = vi < Double.MIN_NORMAL ? 0 : vi;
            M[mo + i] = mi;
            V[vo + i] = vi;
            T[to + i] -= mi * step / (Math.sqrt(vi) * invSqrtBc2 + e);
        }
    }

    @Override
    public void momentumStep(Vec theta, Vec g, Vec buf, double lr, double momentum, double dampening, boolean nesterov, boolean first) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, buf);
        double[] T = arr(theta), G = arr(g), B = arr(buf);
        int to = theta.offset(), go = g.offset(), bo = buf.offset(), n = theta.length();
        double mu = momentum, keep = (1 - dampening), rate = lr;
        int bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            DoubleVector gi = DoubleVector.fromArray(S, G, go + i);
            DoubleVector b = first ? gi : DoubleVector.fromArray(S, B, bo + i).mul(mu).add(gi.mul(keep));
            b = b.blend(0.0, b.abs().lt(Double.MIN_NORMAL)); // subnormal state is flushed (see Kernels#adamStep)
            b.intoArray(B, bo + i);
            DoubleVector step = nesterov ? gi.add(b.mul(mu)) : b;
            DoubleVector.fromArray(S, T, to + i).sub(step.mul(rate)).intoArray(T, to + i);
        }
        for (; i < n; i++) {
            double gi = G[go + i];
            double b = first ? gi : B[bo + i] * mu + gi * keep;
            b = Math.abs(b) < Double.MIN_NORMAL ? 0.0 : b;
            B[bo + i] = b;
            T[to + i] -= (nesterov ? gi + b * mu : b) * rate;
        }
    }

    /**
     * The non-centered form (PyTorch's default) in vectors, with the reference's order of operations; the centered
     * form, whose v − gAvg² can cancel, stays with the scalar twin.
     */
    @Override
    public void rmspropStep(Vec theta, Vec g, Vec v, Vec gAvg, Vec buf, double lr, double alpha, double eps, double momentum) {
        if (gAvg != null) {
            super.rmspropStep(theta, g, v, gAvg, buf, lr, alpha, eps, momentum);
            return;
        }
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, v);
        double[] T = arr(theta), G = arr(g), V = arr(v);
        double[] B = buf == null ? null : arr(buf);
        int to = theta.offset(), go = g.offset(), vo = v.offset(), n = theta.length();
        int bo = buf == null ? 0 : buf.offset();
        double a = alpha, c = (1 - alpha), e = eps, rate = lr, mu = momentum;
        int bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            DoubleVector gi = DoubleVector.fromArray(S, G, go + i);
            DoubleVector vi = DoubleVector.fromArray(S, V, vo + i).mul(a).add(gi.mul(c).mul(gi));
            vi = vi.blend(0.0, vi.lt(Double.MIN_NORMAL)); // subnormal state is flushed (see Kernels#adamStep)
            vi.intoArray(V, vo + i);
            DoubleVector d = vi.sqrt().add(e);
            if (B != null) {
                DoubleVector b = DoubleVector.fromArray(S, B, bo + i).mul(mu).add(gi.div(d));
                b = b.blend(0.0, b.abs().lt(Double.MIN_NORMAL));
                b.intoArray(B, bo + i);
                DoubleVector.fromArray(S, T, to + i).sub(b.mul(rate)).intoArray(T, to + i);
            } else {
                DoubleVector.fromArray(S, T, to + i).sub(gi.mul(rate).div(d)).intoArray(T, to + i);
            }
        }
        for (; i < n; i++) {
            double gi = G[go + i];
            double vi = V[vo + i] * a + c * gi * gi;
            vi = vi < Double.MIN_NORMAL ? 0.0 : vi;
            V[vo + i] = vi;
            double d = Math.sqrt(vi) + e;
            if (B != null) {
                double b = B[bo + i] * mu + gi / d;
                b = Math.abs(b) < Double.MIN_NORMAL ? 0.0 : b;
                B[bo + i] = b;
                T[to + i] -= rate * b;
            } else {
                T[to + i] -= rate * gi / d;
            }
        }
    }
}
