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
 * Cholesky factorisation of the second-order methods, the bias add and bias gradient, ReLU and identity forward and backward, the vector updates and reductions, and
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
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Vec a, Vec b, double beta, Vec c) {
        Shapes.checkGemm(transA, transB, m, n, k, a, b, c);
        DoubleGemm.gemm(transA, transB, m, n, k, alpha, arr(a), a.offset(), arr(b), b.offset(), beta, arr(c), c.offset(), false);
    }

    @Override
    public void syrk(int m, int n, double alpha, Vec a, double beta, Vec c) {
        Shapes.checkMatrix(a, m, n, "syrk A");
        Shapes.checkMatrix(c, n, n, "syrk C");
        double[] A = arr(a), C = arr(c);
        int co = c.offset();
        DoubleGemm.gemm(true, false, n, n, m, alpha, A, a.offset(), A, a.offset(), beta, C, co, true);
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                C[co + j * n + i] = C[co + i * n + j];
            }
        }
    }

    /**
     * Row-by-row Cholesky as the reference computes it, with each Σ L[i][p]·L[j][p] (two contiguous rows of the
     * row-major factor) taken in vector lanes.
     */
    @Override
    public boolean cholesky(int n, double shift, Vec a, Vec l) {
        Shapes.checkMatrix(a, n, n, "cholesky A");
        Shapes.checkMatrix(l, n, n, "cholesky L");
        double[] A = arr(a), Lm = arr(l);
        int ao = a.offset(), lo = l.offset();
        for (int i = 0; i < n; i++) {
            int li = lo + i * n;
            for (int j = 0; j <= i; j++) {
                int lj = lo + j * n;
                double sum = A[ao + i * n + j] + (i == j ? shift : 0) - rowDot(Lm, li, lj, j);
                if (i == j) {
                    if (!(sum > 0) || !Double.isFinite(sum)) {
                        return false;
                    }
                    Lm[li + i] = Math.sqrt(sum);
                } else {
                    Lm[li + j] = sum / Lm[lj + j];
                }
            }
            java.util.Arrays.fill(Lm, li + i + 1, li + n, 0.0);
        }
        return true;
    }

    private static double rowDot(double[] x, int xo, int yo, int len) {
        int bound = S.loopBound(len), i = 0;
        DoubleVector s0 = DoubleVector.zero(S), s1 = DoubleVector.zero(S);
        for (; i + L < bound; i += 2 * L) {
            s0 = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, x, yo + i), s0);
            s1 = DoubleVector.fromArray(S, x, xo + i + L).fma(DoubleVector.fromArray(S, x, yo + i + L), s1);
        }
        for (; i < bound; i += L) {
            s0 = DoubleVector.fromArray(S, x, xo + i).fma(DoubleVector.fromArray(S, x, yo + i), s0);
        }
        double t = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < len; i++) {
            t += x[xo + i] * x[yo + i];
        }
        return t;
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

    @Override
    public void sumRows(double alpha, Vec x, int rows, int cols, Vec out) {
        Shapes.checkMatrix(x, rows, cols, "x");
        Shapes.checkLength(out, cols, "out");
        double[] X = arr(x), O = arr(out);
        int xo = x.offset(), oo = out.offset(), bound = S.loopBound(cols);
        double al = alpha;
        int c = 0;
        for (; c < bound; c += L) {
            DoubleVector s = DoubleVector.zero(S);
            for (int r = 0; r < rows; r++) {
                s = s.add(DoubleVector.fromArray(S, X, xo + r * cols + c));
            }
            DoubleVector.fromArray(S, O, oo + c).add(s.mul(al)).intoArray(O, oo + c);
        }
        for (; c < cols; c++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += X[xo + r * cols + c];
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
            double t = s.reduceLanes(VectorOperators.ADD);
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
        for (; i < n; i++) {
            A[ao + i] = Math.max(Z[zo + i], 0.0);
        }
    }

    @Override
    public void activationBackward(Activation f, Vec z, Vec a, Vec dA, Vec dZ, int rows, int cols) {
        if (!(f instanceof Activation.Relu)) {
            super.activationBackward(f, z, a, dA, dZ, rows, cols);
            return;
        }
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(dA, rows, cols, "dA");
        Shapes.checkMatrix(dZ, rows, cols, "dZ");
        double[] Z = arr(z), G = arr(dA), D = arr(dZ);
        int zo = z.offset(), go = dA.offset(), dO = dZ.offset(), n = rows * cols, bound = S.loopBound(n), i = 0;
        DoubleVector zero = DoubleVector.zero(S);
        for (; i < bound; i += L) {
            VectorMask<Double> on = DoubleVector.fromArray(S, Z, zo + i).compare(VectorOperators.GT, 0.0);
            zero.blend(DoubleVector.fromArray(S, G, go + i), on).intoArray(D, dO + i);
        }
        for (; i < n; i++) {
            D[dO + i] = Z[zo + i] > 0 ? G[go + i] : 0.0;
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
            mi.intoArray(M, mo + i);
            vi.intoArray(V, vo + i);
            DoubleVector den = vi.sqrt().mul(invSqrtBc2).add(e);
            DoubleVector.fromArray(S, T, to + i).sub(mi.mul(step).div(den)).intoArray(T, to + i);
        }
        for (; i < n; i++) {
            double gi = G[go + i];
            double mi = M[mo + i] * b1 + gi * c1;
            double vi = V[vo + i] * b2 + gi * gi * c2;
            M[mo + i] = mi;
            V[vo + i] = vi;
            T[to + i] -= mi * step / (Math.sqrt(vi) * invSqrtBc2 + e);
        }
    }
}
