package dev.backprop.kernel;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Precision;

/**
 * The float64 reference implementation of {@link Kernels}: plain loops, no blocking, no threads. Every faster
 * kernel is tested against this one (and its float32 twin {@link ScalarFloatKernels}). The per-element math
 * is in {@link ScalarMath}, shared by both twins.
 */
public class ScalarDoubleKernels implements Kernels {

    /** The shared instance (the class holds no state). */
    public static final ScalarDoubleKernels INSTANCE = new ScalarDoubleKernels();

    /** For backends that replace some of these loops and keep the rest as the reference. */
    protected ScalarDoubleKernels() {
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT64;
    }

    @Override
    public String name() {
        return "scalar-float64";
    }

    private static double[] arr(Vec v) {
        return ((DoubleVec) v).data;
    }

    // ------------------------------------------------------------------ matrix products

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Vec a, int lda, Vec b, int ldb, double beta, Vec c,
            int ldc) {
        Shapes.checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        double[] A = arr(a), B = arr(b), C = arr(c);
        int ao = a.offset, bo = b.offset, co = c.offset;
        for (int i = 0; i < m; i++) {
            int ci = co + i * ldc;
            if (beta == 0) {
                for (int j = 0; j < n; j++) {
                    C[ci + j] = 0;
                }
            } else if (beta != 1) {
                for (int j = 0; j < n; j++) {
                    C[ci + j] *= beta;
                }
            }
        }
        if (!transA && transB) {
            // C[i][j] += α Σ_p A[i][p]·B[j][p]: dot products of rows
            for (int i = 0; i < m; i++) {
                int ai = ao + i * lda;
                for (int j = 0; j < n; j++) {
                    int bj = bo + j * ldb;
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += A[ai + p] * B[bj + p];
                    }
                    C[co + i * ldc + j] += alpha * s;
                }
            }
        } else {
            // C[i][:] += α Σ_p op(A)[i][p]·op(B)[p][:]
            for (int i = 0; i < m; i++) {
                int ci = co + i * ldc;
                for (int p = 0; p < k; p++) {
                    double aip = alpha * (transA ? A[ao + p * lda + i] : A[ao + i * lda + p]);
                    if (transB) {
                        for (int j = 0; j < n; j++) {
                            C[ci + j] += aip * B[bo + j * ldb + p];
                        }
                    } else {
                        int bp = bo + p * ldb;
                        for (int j = 0; j < n; j++) {
                            C[ci + j] += aip * B[bp + j];
                        }
                    }
                }
            }
        }
    }

    /** Rows of A taken at a time by {@link #syrk}, so that they stay in cache while every row of C is updated. */
    private static final int SYRK_ROWS = 32;

    @Override
    public void syrk(int m, int n, double alpha, Vec a, double beta, Vec c) {
        Shapes.checkMatrix(a, m, n, "syrk A");
        Shapes.checkMatrix(c, n, n, "syrk C");
        double[] A = arr(a), C = arr(c);
        int ao = a.offset, co = c.offset;
        for (int i = 0; i < n; i++) {
            int ci = co + i * n;
            if (beta == 0) {
                for (int j = i; j < n; j++) {
                    C[ci + j] = 0;
                }
            } else if (beta != 1) {
                for (int j = i; j < n; j++) {
                    C[ci + j] *= beta;
                }
            }
        }
        // the upper triangle, C[i][i:] += α Σ_p A[p][i]·A[p][i:], in the order gemm(true, false) sums
        for (int p0 = 0; p0 < m; p0 += SYRK_ROWS) {
            int p1 = Math.min(m, p0 + SYRK_ROWS);
            for (int i = 0; i < n; i++) {
                int ci = co + i * n;
                for (int p = p0; p < p1; p++) {
                    int ap = ao + p * n;
                    double aip = alpha * A[ap + i];
                    for (int j = i; j < n; j++) {
                        C[ci + j] += aip * A[ap + j];
                    }
                }
            }
        }
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                C[co + i * n + j] = C[co + j * n + i];
            }
        }
    }

    @Override
    public boolean cholesky(int n, double shift, Vec a, Vec r) {
        Shapes.checkMatrix(a, n, n, "cholesky A");
        Shapes.checkMatrix(r, n, n, "cholesky R");
        double[] A = arr(a), R = arr(r);
        int ao = a.offset, ro = r.offset;
        for (int i = 0; i < n; i++) {
            int ri = ro + i * n;
            for (int j = 0; j < i; j++) {
                R[ri + j] = 0;
            }
            System.arraycopy(A, ao + i * n + i, R, ri + i, n - i);
            R[ri + i] = (double) (R[ri + i] + shift);
        }
        for (int k = 0; k < n; k++) {
            int rk = ro + k * n;
            double pivot = R[rk + k];
            if (!(pivot > 0) || !Double.isFinite(pivot)) {
                return false;
            }
            double d = Math.sqrt(pivot);
            R[rk + k] = (double) d;
            for (int j = k + 1; j < n; j++) {
                R[rk + j] = (double) (R[rk + j] / d);
            }
            for (int i = k + 1; i < n; i++) {
                int ri = ro + i * n;
                double f = R[rk + i];
                for (int j = i; j < n; j++) {
                    R[ri + j] = (double) (R[ri + j] - f * R[rk + j]);
                }
            }
        }
        return true;
    }

    @Override
    public void addRowVector(Vec row, Vec x, int rows, int cols) {
        Shapes.checkMatrix(x, rows, cols, "x");
        Shapes.checkLength(row, cols, "row");
        double[] R = arr(row), X = arr(x);
        for (int r = 0; r < rows; r++) {
            int xr = x.offset + r * cols;
            for (int c = 0; c < cols; c++) {
                X[xr + c] += R[row.offset + c];
            }
        }
    }

    @Override
    public void sumRows(double alpha, Vec x, int rows, int cols, int ldx, Vec out) {
        Shapes.checkStrided(x, rows, cols, ldx, "x");
        Shapes.checkLength(out, cols, "out");
        double[] X = arr(x), O = arr(out);
        for (int c = 0; c < cols; c++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += X[x.offset + r * ldx + c];
            }
            O[out.offset + c] += alpha * s;
        }
    }

    @Override
    public void standardize(Vec x, Vec center, Vec scale, int rows, int cols) {
        Shapes.checkMatrix(x, rows, cols, "x");
        Shapes.checkLength(center, cols, "center");
        Shapes.checkLength(scale, cols, "scale");
        double[] X = arr(x), C = arr(center), S = arr(scale);
        for (int r = 0; r < rows; r++) {
            int xr = x.offset + r * cols;
            for (int c = 0; c < cols; c++) {
                X[xr + c] = (X[xr + c] - C[center.offset + c]) / S[scale.offset + c];
            }
        }
    }

    // ------------------------------------------------------------------ element-wise vector work

    @Override
    public void fill(Vec x, double value) {
        java.util.Arrays.fill(arr(x), x.offset, x.offset + x.length, value);
    }

    @Override
    public void copy(Vec src, Vec dst) {
        Shapes.checkSameLength(src, dst);
        System.arraycopy(arr(src), src.offset, arr(dst), dst.offset, src.length);
    }

    @Override
    public void scale(double alpha, Vec x) {
        double[] X = arr(x);
        for (int i = x.offset, e = x.offset + x.length; i < e; i++) {
            X[i] *= alpha;
        }
    }

    @Override
    public void axpy(double alpha, Vec x, Vec y) {
        Shapes.checkSameLength(x, y);
        double[] X = arr(x), Y = arr(y);
        for (int i = 0; i < x.length; i++) {
            Y[y.offset + i] += alpha * X[x.offset + i];
        }
    }

    @Override
    public void addSign(double alpha, Vec x, Vec y) {
        Shapes.checkSameLength(x, y);
        double[] X = arr(x), Y = arr(y);
        for (int i = 0; i < x.length; i++) {
            Y[y.offset + i] += alpha * Math.signum(X[x.offset + i]);
        }
    }

    @Override
    public void clamp(Vec x, double lo, double hi) {
        double[] X = arr(x);
        for (int i = x.offset, e = x.offset + x.length; i < e; i++) {
            X[i] = Math.min(Math.max(X[i], lo), hi);
        }
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public double dot(Vec x, Vec y) {
        Shapes.checkSameLength(x, y);
        double[] X = arr(x), Y = arr(y);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += X[x.offset + i] * Y[y.offset + i];
        }
        return s;
    }

    @Override
    public double sumSquares(Vec x) {
        double[] X = arr(x);
        double s = 0;
        for (int i = x.offset, e = x.offset + x.length; i < e; i++) {
            s += X[i] * X[i];
        }
        return s;
    }

    @Override
    public double sumAbs(Vec x) {
        double[] X = arr(x);
        double s = 0;
        for (int i = x.offset, e = x.offset + x.length; i < e; i++) {
            s += Math.abs(X[i]);
        }
        return s;
    }

    @Override
    public double maxAbs(Vec x) {
        double[] X = arr(x);
        double m = 0;
        for (int i = x.offset, e = x.offset + x.length; i < e; i++) {
            double v = Math.abs(X[i]);
            if (!(v <= m)) {
                m = v; // also takes NaN, which then sticks
                if (Double.isNaN(v)) {
                    return v;
                }
            }
        }
        return m;
    }

    @Override
    public double sumSquaredDifference(Vec a, Vec b) {
        Shapes.checkSameLength(a, b);
        double[] A = arr(a), B = arr(b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = A[a.offset + i] - B[b.offset + i];
            s += d * d;
        }
        return s;
    }

    @Override
    public double sumXLogX(Vec y) {
        double[] Y = arr(y);
        double s = 0;
        for (int i = y.offset, e = y.offset + y.length; i < e; i++) {
            s += ScalarMath.xLogX(Y[i]);
        }
        return s;
    }

    // ------------------------------------------------------------------ activations

    @Override
    public void activate(Activation f, Vec z, Vec a, int rows, int cols) {
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(a, rows, cols, "a");
        activateRows(f, arr(z), z.offset, arr(a), a.offset, rows, cols, cols);
    }

    /**
     * A = f(Z) for a rows×cols block whose consecutive rows are {@code ld} apart in Z and in A (softmax over each
     * row's cols entries): {@link #activate}'s loops, for the backends that fuse part of the work elsewhere.
     */
    protected static void activateRows(Activation f, double[] Z, int zo, double[] A, int ao, int rows, int cols, int ld) {
        if (f instanceof Activation.Softmax) {
            for (int r = 0; r < rows; r++) {
                int zr = zo + r * ld, ar = ao + r * ld;
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < cols; c++) {
                    max = Math.max(max, Z[zr + c]);
                }
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    double e = Math.exp(Z[zr + c] - max);
                    A[ar + c] = e;
                    sum += e;
                }
                double inv = 1.0 / sum;
                for (int c = 0; c < cols; c++) {
                    A[ar + c] *= inv;
                }
            }
            return;
        }
        if (ld == cols) {
            activateRange(f, Z, zo, A, ao, rows * cols);
            return;
        }
        for (int r = 0; r < rows; r++) {
            activateRange(f, Z, zo + r * ld, A, ao + r * ld, cols);
        }
    }

    /** A[ao + i] = f(Z[zo + i]) for i &lt; n, f element-wise. */
    private static void activateRange(Activation f, double[] Z, int zo, double[] A, int ao, int n) {
        switch (f) {
            case Activation.Sigmoid s -> { for (int i = 0; i < n; i++) A[ao + i] = ScalarMath.sigmoid(Z[zo + i]); }
            case Activation.Tanh t -> { for (int i = 0; i < n; i++) A[ao + i] = Math.tanh(Z[zo + i]); }
            case Activation.Relu r -> { for (int i = 0; i < n; i++) A[ao + i] = ScalarMath.relu(Z[zo + i]); }
            case Activation.LeakyRelu(double slope) -> { for (int i = 0; i < n; i++) A[ao + i] = ScalarMath.leakyRelu(Z[zo + i], slope); }
            case Activation.Elu(double alpha) -> { for (int i = 0; i < n; i++) A[ao + i] = ScalarMath.elu(Z[zo + i], alpha); }
            case Activation.Softplus s -> { for (int i = 0; i < n; i++) A[ao + i] = ScalarMath.softplus(Z[zo + i]); }
            case Activation.Identity id -> { if (Z != A || zo != ao) System.arraycopy(Z, zo, A, ao, n); }
            case Activation.Gelu g -> { for (int i = 0; i < n; i++) A[ao + i] = ScalarMath.gelu(Z[zo + i]); }
            case Activation.Softmax s -> throw new IllegalArgumentException("softmax is not element-wise");
        }
    }

    @Override
    public void denseForward(int m, int n, int k, Vec y, Vec w, Vec b, Activation f, Vec z, Vec a, int ldz) {
        Shapes.checkDenseForward(m, n, k, y, w, b, z, a, ldz);
        gemm(false, true, m, n, k, 1.0, y, Math.max(1, k), w, Math.max(1, k), 0.0, z, ldz);
        double[] Z = arr(z), B = arr(b);
        if (b.length != 0) {
            for (int r = 0; r < m; r++) {
                int zr = z.offset + r * ldz;
                for (int c = 0; c < n; c++) {
                    Z[zr + c] += B[b.offset + c];
                }
            }
        }
        activateRows(f, Z, z.offset, arr(a), a.offset, m, n, ldz);
    }

    @Override
    public void activationBackward(Activation f, Vec z, Vec a, Vec dA, Vec dZ, int rows, int cols) {
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(a, rows, cols, "a");
        Shapes.checkMatrix(dA, rows, cols, "dA");
        Shapes.checkMatrix(dZ, rows, cols, "dZ");
        double[] Z = arr(z), A = arr(a), G = arr(dA), D = arr(dZ);
        int zo = z.offset, ao = a.offset, go = dA.offset, dO = dZ.offset, n = rows * cols;
        switch (f) {
            case Activation.Sigmoid s -> { for (int i = 0; i < n; i++) D[dO + i] = G[go + i] * ScalarMath.sigmoidDerivativeFromOutput(A[ao + i]); }
            case Activation.Tanh t -> { for (int i = 0; i < n; i++) D[dO + i] = G[go + i] * ScalarMath.tanhDerivativeFromOutput(A[ao + i]); }
            case Activation.Relu r -> { for (int i = 0; i < n; i++) D[dO + i] = G[go + i] * ScalarMath.reluDerivative(Z[zo + i]); }
            case Activation.LeakyRelu(double slope) -> { for (int i = 0; i < n; i++) D[dO + i] = G[go + i] * ScalarMath.leakyReluDerivative(Z[zo + i], slope); }
            case Activation.Elu(double alpha) -> { for (int i = 0; i < n; i++) D[dO + i] = G[go + i] * ScalarMath.eluDerivative(Z[zo + i], alpha); }
            case Activation.Softplus s -> { for (int i = 0; i < n; i++) D[dO + i] = G[go + i] * ScalarMath.softplusDerivative(Z[zo + i]); }
            case Activation.Identity id -> { if (G != D || go != dO) System.arraycopy(G, go, D, dO, n); }
            case Activation.Gelu g -> { for (int i = 0; i < n; i++) D[dO + i] = G[go + i] * ScalarMath.geluDerivative(Z[zo + i]); }
            case Activation.Softmax s -> {
                for (int r = 0; r < rows; r++) {
                    int ar = ao + r * cols, gr = go + r * cols, dr = dO + r * cols;
                    double dotGA = 0;
                    for (int c = 0; c < cols; c++) {
                        dotGA += G[gr + c] * A[ar + c];
                    }
                    for (int c = 0; c < cols; c++) {
                        D[dr + c] = A[ar + c] * (G[gr + c] - dotGA);
                    }
                }
            }
        }
    }

    @Override
    public int countSaturated(Activation f, Vec z, Vec a, int rows, int cols) {
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(a, rows, cols, "a");
        double[] Z = arr(z), A = arr(a);
        int zo = z.offset, ao = a.offset, n = rows * cols, count = 0;
        switch (f) {
            case Activation.Sigmoid s -> { for (int i = 0; i < n; i++) if (4 * ScalarMath.sigmoidDerivativeFromOutput(A[ao + i]) < ScalarMath.SATURATION) count++; }
            case Activation.Tanh t -> { for (int i = 0; i < n; i++) if (ScalarMath.tanhDerivativeFromOutput(A[ao + i]) < ScalarMath.SATURATION) count++; }
            case Activation.Softplus s -> { for (int i = 0; i < n; i++) if (ScalarMath.softplusDerivative(Z[zo + i]) < ScalarMath.SATURATION) count++; }
            case Activation.Elu(double alpha) -> { for (int i = 0; i < n; i++) if (Z[zo + i] <= 0 && Math.exp(Z[zo + i]) < ScalarMath.SATURATION) count++; }
            case Activation.Gelu g -> { for (int i = 0; i < n; i++) if (Math.abs(ScalarMath.geluDerivative(Z[zo + i])) < ScalarMath.SATURATION && Z[zo + i] < 0) count++; }
            case Activation.Softmax s -> {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        if (A[ao + r * cols + c] > 1 - ScalarMath.SATURATION) {
                            count += cols;
                            break;
                        }
                    }
                }
            }
            case Activation.Relu r -> { }
            case Activation.LeakyRelu l -> { }
            case Activation.Identity id -> { }
        }
        return count;
    }

    @Override
    public void activationRBackward(Activation f, Vec z, Vec a, Vec rz, Vec g, Vec rg, Vec out, int rows, int cols) {
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(a, rows, cols, "a");
        Shapes.checkMatrix(rz, rows, cols, "rz");
        Shapes.checkMatrix(g, rows, cols, "g");
        Shapes.checkMatrix(rg, rows, cols, "rg");
        Shapes.checkMatrix(out, rows, cols, "out");
        double[] Z = arr(z), A = arr(a), RZ = arr(rz), G = arr(g), RG = arr(rg), O = arr(out);
        if (f instanceof Activation.Softmax) {
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                double aRz = 0;
                double aG = 0;
                double aRg = 0;
                for (int c = 0; c < cols; c++) {
                    double ac = A[a.offset + base + c];
                    aRz += ac * RZ[rz.offset + base + c];
                    aG += ac * G[g.offset + base + c];
                    aRg += ac * RG[rg.offset + base + c];
                }
                double raG = 0;
                for (int c = 0; c < cols; c++) {
                    double ac = A[a.offset + base + c];
                    raG += ac * (RZ[rz.offset + base + c] - aRz) * G[g.offset + base + c];
                }
                for (int c = 0; c < cols; c++) {
                    double ac = A[a.offset + base + c];
                    double ra = ac * (RZ[rz.offset + base + c] - aRz);
                    O[out.offset + base + c] = (ra * (G[g.offset + base + c] - aG) + ac * (RG[rg.offset + base + c] - raG - aRg));
                }
            }
            return;
        }
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            double zi = Z[z.offset + i];
            double ai = A[a.offset + i];
            double first = ScalarMath.derivativeFromBoth(f, zi, ai);
            O[out.offset + i] = (ScalarMath.secondDerivative(f, zi, ai) * RZ[rz.offset + i] * G[g.offset + i] + first * RG[rg.offset + i]);
        }
    }

    @Override
    public void costHessianVector(Cost c, Vec a, Vec y, Vec u, double scale, Vec out, int rows, int cols) {
        Shapes.checkMatrix(a, rows, cols, "a");
        Shapes.checkMatrix(y, rows, cols, "y");
        Shapes.checkMatrix(u, rows, cols, "u");
        Shapes.checkMatrix(out, rows, cols, "out");
        double[] A = arr(a), Y = arr(y), U = arr(u), O = arr(out);
        if (c instanceof Cost.Exponential(double tau)) {
            for (int r = 0; r < rows; r++) {
                int base = r * cols;
                double ss = 0;
                double du = 0;
                for (int k = 0; k < cols; k++) {
                    double d = (double) A[a.offset + base + k] - Y[y.offset + base + k];
                    ss += d * d;
                    du += d * U[u.offset + base + k];
                }
                double e = Math.exp(ss / tau);
                for (int k = 0; k < cols; k++) {
                    double d = (double) A[a.offset + base + k] - Y[y.offset + base + k];
                    O[out.offset + base + k] = (scale * (2 * e * U[u.offset + base + k] + 4 * e / tau * d * du));
                }
            }
            return;
        }
        int n = rows * cols;
        for (int i = 0; i < n; i++) {
            O[out.offset + i] = (scale * ScalarMath.costSecondDerivative(c, A[a.offset + i], Y[y.offset + i]) * U[u.offset + i]);
        }
    }

    @Override
    public void scaleRowsBySum(Vec x, Vec y, double scale, Vec out, int rows, int cols) {
        Shapes.checkMatrix(x, rows, cols, "x");
        Shapes.checkMatrix(y, rows, cols, "y");
        Shapes.checkMatrix(out, rows, cols, "out");
        double[] X = arr(x), Y = arr(y), O = arr(out);
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int k = 0; k < cols; k++) {
                sum += Y[y.offset + r * cols + k];
            }
            for (int k = 0; k < cols; k++) {
                O[out.offset + r * cols + k] = (scale * sum * X[x.offset + r * cols + k]);
            }
        }
    }

    @Override
    public void jacobianRows(Vec delta, Vec y, int rows, int outputs, int inputs, boolean bias, Vec jac, int stride, int offset) {
        Shapes.checkMatrix(delta, rows, outputs, "delta");
        Shapes.checkMatrix(y, rows, inputs, "y");
        int width = outputs * inputs + (bias ? outputs : 0);
        if (rows > 0 && ((long) (rows - 1) * stride + offset + width > jac.length || offset < 0 || offset + width > stride)) {
            throw new IllegalArgumentException("jacobian rows: " + rows + " rows of " + width + " at offset " + offset + " (stride " + stride
                    + ") do not fit a vector of length " + jac.length);
        }
        double[] D = arr(delta), YY = arr(y), J = arr(jac);
        for (int r = 0; r < rows; r++) {
            int jr = jac.offset + r * stride + offset;
            for (int o = 0; o < outputs; o++) {
                double d = D[delta.offset + r * outputs + o];
                int jo = jr + o * inputs;
                for (int j = 0; j < inputs; j++) {
                    J[jo + j] = (d * YY[y.offset + r * inputs + j]);
                }
                if (bias) {
                    J[jr + outputs * inputs + o] = (d);
                }
            }
        }
    }

    // ------------------------------------------------------------------ costs

    @Override
    public double cost(Cost c, Vec a, Vec y, int rows, int cols) {
        Shapes.checkMatrix(a, rows, cols, "a");
        Shapes.checkMatrix(y, rows, cols, "y");
        double[] A = arr(a), Y = arr(y);
        int ao = a.offset, yo = y.offset, n = rows * cols;
        double s = 0;
        switch (c) {
            case Cost.Quadratic q -> { for (int i = 0; i < n; i++) { double d = A[ao + i] - Y[yo + i]; s += 0.5 * d * d; } }
            case Cost.BinaryCrossEntropy b -> { for (int i = 0; i < n; i++) s += ScalarMath.binaryCrossEntropy(A[ao + i], Y[yo + i]); }
            case Cost.CrossEntropy e -> { for (int i = 0; i < n; i++) s -= ScalarMath.xLogY(Y[yo + i], A[ao + i]); }
            case Cost.KullbackLeibler k -> { for (int i = 0; i < n; i++) s += ScalarMath.kullbackLeibler(A[ao + i], Y[yo + i]); }
            case Cost.Hellinger h -> { for (int i = 0; i < n; i++) s += ScalarMath.hellinger(A[ao + i], Y[yo + i]); }
            case Cost.ItakuraSaito is -> { for (int i = 0; i < n; i++) s += ScalarMath.itakuraSaito(A[ao + i], Y[yo + i]); }
            case Cost.Exponential(double tau) -> {
                for (int r = 0; r < rows; r++) {
                    double ss = 0;
                    for (int k = 0; k < cols; k++) {
                        double d = A[ao + r * cols + k] - Y[yo + r * cols + k];
                        ss += d * d;
                    }
                    s += tau * Math.exp(ss / tau);
                }
            }
        }
        return s;
    }

    @Override
    public void costGradient(Cost c, Vec a, Vec y, double scale, Vec dA, int rows, int cols) {
        Shapes.checkMatrix(a, rows, cols, "a");
        Shapes.checkMatrix(y, rows, cols, "y");
        Shapes.checkMatrix(dA, rows, cols, "dA");
        double[] A = arr(a), Y = arr(y), D = arr(dA);
        int ao = a.offset, yo = y.offset, dO = dA.offset, n = rows * cols;
        switch (c) {
            case Cost.Quadratic q -> { for (int i = 0; i < n; i++) D[dO + i] = scale * (A[ao + i] - Y[yo + i]); }
            case Cost.BinaryCrossEntropy b -> { for (int i = 0; i < n; i++) D[dO + i] = scale * ScalarMath.binaryCrossEntropyDerivative(A[ao + i], Y[yo + i]); }
            case Cost.CrossEntropy e -> { for (int i = 0; i < n; i++) D[dO + i] = scale * ScalarMath.negativeLogDerivative(A[ao + i], Y[yo + i]); }
            case Cost.KullbackLeibler k -> { for (int i = 0; i < n; i++) D[dO + i] = scale * ScalarMath.negativeLogDerivative(A[ao + i], Y[yo + i]); }
            case Cost.Hellinger h -> { for (int i = 0; i < n; i++) D[dO + i] = scale * ScalarMath.hellingerDerivative(A[ao + i], Y[yo + i]); }
            case Cost.ItakuraSaito is -> { for (int i = 0; i < n; i++) D[dO + i] = scale * ScalarMath.itakuraSaitoDerivative(A[ao + i], Y[yo + i]); }
            case Cost.Exponential(double tau) -> {
                for (int r = 0; r < rows; r++) {
                    int ar = ao + r * cols, yr = yo + r * cols, dr = dO + r * cols;
                    double ss = 0;
                    for (int k = 0; k < cols; k++) {
                        double d = A[ar + k] - Y[yr + k];
                        ss += d * d;
                    }
                    double e = 2.0 * scale * Math.exp(ss / tau);
                    for (int k = 0; k < cols; k++) {
                        D[dr + k] = e * (A[ar + k] - Y[yr + k]);
                    }
                }
            }
        }
    }

    @Override
    public double softmaxCrossEntropy(Vec z, Vec y, int rows, int cols) {
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(y, rows, cols, "y");
        double[] Z = arr(z), Y = arr(y);
        double s = 0;
        for (int r = 0; r < rows; r++) {
            int zr = z.offset + r * cols, yr = y.offset + r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, Z[zr + c]);
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(Z[zr + c] - max);
            }
            s = addCrossEntropy(s, Z, zr, Y, yr, cols, max + Math.log(sum));
        }
        return s;
    }

    /**
     * s plus Σ_c y_c·(lse − z_c) over one row, added term by term, lse = ln Σ e^z: the row's cross-entropy against
     * the softmax of z. Terms with y_c = 0 are skipped, so a −∞ logit of a class that is not the target costs nothing.
     */
    protected static double addCrossEntropy(double s, double[] Z, int zr, double[] Y, int yr, int cols, double lse) {
        for (int c = 0; c < cols; c++) {
            double yc = Y[yr + c];
            if (yc != 0) {
                s += yc * (lse - Z[zr + c]);
            }
        }
        return s;
    }

    @Override
    public void softmaxCrossEntropyDelta(Vec a, Vec y, double scale, Vec dZ, int rows, int cols) {
        Shapes.checkMatrix(a, rows, cols, "a");
        Shapes.checkMatrix(y, rows, cols, "y");
        Shapes.checkMatrix(dZ, rows, cols, "dZ");
        double[] A = arr(a), Y = arr(y), D = arr(dZ);
        for (int r = 0; r < rows; r++) {
            int ar = a.offset + r * cols, yr = y.offset + r * cols, dr = dZ.offset + r * cols;
            double ySum = 0;
            for (int c = 0; c < cols; c++) {
                ySum += Y[yr + c];
            }
            for (int c = 0; c < cols; c++) {
                D[dr + c] = scale * (A[ar + c] * ySum - Y[yr + c]);
            }
        }
    }

    @Override
    public double sigmoidBinaryCrossEntropy(Vec z, Vec y) {
        Shapes.checkSameLength(z, y);
        double[] Z = arr(z), Y = arr(y);
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            s += ScalarMath.binaryCrossEntropyFromLogit(Z[z.offset + i], Y[y.offset + i]);
        }
        return s;
    }

    @Override
    public void scaledDifference(double scale, Vec a, Vec y, Vec out) {
        Shapes.checkSameLength(a, y);
        Shapes.checkSameLength(a, out);
        double[] A = arr(a), Y = arr(y), O = arr(out);
        for (int i = 0; i < a.length; i++) {
            O[out.offset + i] = scale * (A[a.offset + i] - Y[y.offset + i]);
        }
    }

    // ------------------------------------------------------------------ metrics

    @Override
    public int argmaxMatches(Vec a, Vec y, int rows, int cols) {
        Shapes.checkMatrix(a, rows, cols, "a");
        Shapes.checkMatrix(y, rows, cols, "y");
        double[] A = arr(a), Y = arr(y);
        int matches = 0;
        for (int r = 0; r < rows; r++) {
            int ar = a.offset + r * cols, yr = y.offset + r * cols;
            int ia = 0, iy = 0;
            for (int c = 1; c < cols; c++) {
                if (A[ar + c] > A[ar + ia]) {
                    ia = c;
                }
                if (Y[yr + c] > Y[yr + iy]) {
                    iy = c;
                }
            }
            if (ia == iy) {
                matches++;
            }
        }
        return matches;
    }

    @Override
    public int thresholdMatches(Vec a, Vec y, double threshold) {
        Shapes.checkSameLength(a, y);
        double[] A = arr(a), Y = arr(y);
        int matches = 0;
        for (int i = 0; i < a.length; i++) {
            if ((A[a.offset + i] > threshold) == (Y[y.offset + i] > threshold)) {
                matches++;
            }
        }
        return matches;
    }

    // ------------------------------------------------------------------ optimizer updates

    @Override
    public void momentumStep(Vec theta, Vec g, Vec buf, double lr, double momentum, double dampening, boolean nesterov, boolean first) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, buf);
        double[] T = arr(theta), G = arr(g), B = arr(buf);
        int to = theta.offset, go = g.offset, bo = buf.offset;
        for (int i = 0; i < theta.length; i++) {
            double gi = G[go + i];
            double b = first ? gi : momentum * B[bo + i] + (1 - dampening) * gi;
            b = Math.abs(b) < Double.MIN_NORMAL ? 0 : b; // subnormal state is flushed (see Kernels#adamStep)
            B[bo + i] = b;
            T[to + i] -= lr * (nesterov ? gi + momentum * b : b);
        }
    }

    @Override
    public void adamStep(Vec theta, Vec g, Vec m, Vec v, double lr, double beta1, double beta2, double eps, double bc1, double bc2) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, m);
        Shapes.checkSameLength(theta, v);
        double[] T = arr(theta), G = arr(g), M = arr(m), V = arr(v);
        int to = theta.offset, go = g.offset, mo = m.offset, vo = v.offset;
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        for (int i = 0; i < theta.length; i++) {
            double gi = G[go + i];
            double mi = beta1 * M[mo + i] + (1 - beta1) * gi;
            double vi = beta2 * V[vo + i] + (1 - beta2) * gi * gi;
            mi = Math.abs(mi) < Double.MIN_NORMAL ? 0 : mi; // subnormal moments are flushed (see Kernels#adamStep)
            vi = vi < Double.MIN_NORMAL ? 0 : vi;
            M[mo + i] = mi;
            V[vo + i] = vi;
            T[to + i] -= stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps);
        }
    }

    @Override
    public void rmspropStep(Vec theta, Vec g, Vec v, Vec gAvg, Vec buf, double lr, double alpha, double eps, double momentum) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, v);
        double[] T = arr(theta), G = arr(g), V = arr(v);
        double[] GA = gAvg == null ? null : arr(gAvg);
        double[] B = buf == null ? null : arr(buf);
        int to = theta.offset, go = g.offset, vo = v.offset;
        int gao = gAvg == null ? 0 : gAvg.offset, bo = buf == null ? 0 : buf.offset;
        for (int i = 0; i < theta.length; i++) {
            double gi = G[go + i];
            double vi = alpha * V[vo + i] + (1 - alpha) * gi * gi;
            vi = vi < Double.MIN_NORMAL ? 0 : vi; // subnormal state is flushed (see Kernels#adamStep)
            V[vo + i] = vi;
            double avg = vi;
            if (GA != null) {
                double ga = alpha * GA[gao + i] + (1 - alpha) * gi;
                ga = Math.abs(ga) < Double.MIN_NORMAL ? 0 : ga;
                GA[gao + i] = ga;
                avg = vi - ga * ga;
            }
            double d = Math.sqrt(avg) + eps;
            if (B != null) {
                double b = momentum * B[bo + i] + gi / d;
                b = Math.abs(b) < Double.MIN_NORMAL ? 0 : b;
                B[bo + i] = b;
                T[to + i] -= lr * b;
            } else {
                T[to + i] -= lr * gi / d;
            }
        }
    }

    @Override
    public void rpropStep(Vec theta, Vec g, Vec gPrev, Vec step, double etaMinus, double etaPlus, double stepMin, double stepMax) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, gPrev);
        Shapes.checkSameLength(theta, step);
        double[] T = arr(theta), G = arr(g), P = arr(gPrev), S = arr(step);
        int to = theta.offset, go = g.offset, po = gPrev.offset, so = step.offset;
        for (int i = 0; i < theta.length; i++) {
            double gi = G[go + i];
            double sign = gi * P[po + i];
            double s = S[so + i];
            if (sign > 0) {
                s *= etaPlus;
            } else if (sign < 0) {
                s *= etaMinus;
                gi = 0;
            }
            s = Math.min(Math.max(s, stepMin), stepMax);
            S[so + i] = s;
            T[to + i] -= Math.signum(gi) * s;
            P[po + i] = gi;
        }
    }

    @Override
    public void quickpropStep(Vec theta, Vec g, Vec gPrev, Vec stepPrev, double lr, double mu) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, gPrev);
        Shapes.checkSameLength(theta, stepPrev);
        double[] T = arr(theta), G = arr(g), P = arr(gPrev), D = arr(stepPrev);
        int to = theta.offset, go = g.offset, po = gPrev.offset, dO = stepPrev.offset;
        for (int i = 0; i < theta.length; i++) {
            double step = ScalarMath.quickpropStep(-G[go + i], -P[po + i], D[dO + i], lr, mu);
            T[to + i] += step;
            D[dO + i] = step;
            P[po + i] = G[go + i];
        }
    }
}
