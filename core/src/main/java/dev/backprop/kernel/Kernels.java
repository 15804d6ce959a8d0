package dev.backprop.kernel;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Precision;

/**
 * The narrow list of numeric operations that layers, costs and optimizers are built from. Every loop over
 * numbers in a training step runs in one of these; a backend (scalar reference, Vector API, CUDA) implements
 * this list and nothing else.
 *
 * <p>Conventions: matrices are dense and row-major inside a {@link Vec} (element (r, c) of an R×C matrix is
 * at {@code r*C + c}); all vectors passed to one call have this backend's {@link #precision()}; results that
 * are sums are returned in double precision whatever the storage. Operations that "accumulate" add into
 * their output; the others overwrite it. Unless said otherwise an output may not alias an input.
 *
 * <p>Implementations must be deterministic: the same inputs give the same bits, run after run.
 */
public interface Kernels {

    /** The precision of every vector this backend works on. */
    Precision precision();

    /** A short name for logs, e.g. {@code scalar-float32}. */
    String name();

    /** The plain scalar reference kernels for a precision. */
    static Kernels scalar(Precision precision) {
        return precision == Precision.FLOAT32 ? ScalarFloatKernels.INSTANCE : ScalarDoubleKernels.INSTANCE;
    }

    /**
     * The kernels a new network uses by default for a precision: those of the fastest {@link KernelsProvider}
     * available in this JVM (the Vector API backend of the {@code simd} module when it is on the class path and
     * {@code jdk.incubator.vector} is enabled), else {@link #scalar(Precision)}. Chosen once per JVM; the system
     * property {@code backprop.kernels=scalar} forces the reference.
     */
    static Kernels preferred(Precision precision) {
        return KernelSelection.get().kernels(precision);
    }

    /** Which backend {@link #preferred(Precision)} chose and why, in one line, e.g. {@code vector (512-bit: ...)}. */
    static String selection() {
        return KernelSelection.get().description();
    }

    /** A new zero-filled vector of length n in this backend's precision. */
    default Vec allocate(int n) {
        return Vec.allocate(precision(), n);
    }

    // ------------------------------------------------------------------ matrix products

    /**
     * C = α·op(A)·op(B) + β·C, where op(X) is X or Xᵀ. C is m×n, op(A) is m×k, op(B) is k×n; A is stored
     * m×k (or k×m when transposed), B is stored k×n (or n×k when transposed). With β = 0, C is overwritten
     * (its old contents, even NaN, are ignored). The three forms a dense layer needs are A·Bᵀ (forward),
     * Aᵀ·B (weight gradient) and A·B (delta to the layer below).
     */
    default void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Vec a, Vec b, double beta, Vec c) {
        Shapes.checkGemm(transA, transB, m, n, k, a, b, c);
        gemm(transA, transB, m, n, k, alpha, a, transA ? m : k, b, transB ? k : n, beta, c, n);
    }

    /**
     * The same product on blocks of wider matrices: consecutive rows of A, B and C (as stored) are {@code lda},
     * {@code ldb} and {@code ldc} apart, BLAS's leading dimensions (each at least its matrix's stored row length).
     * The elements between the rows are neither read nor written. A thread's block of a layer's units is such a
     * block: its columns of Z, or its columns of Δ as the A of Δᵀ·Y. The result equals, bit for bit, the
     * contiguous product of the same values.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Vec a, int lda, Vec b, int ldb, double beta, Vec c,
            int ldc);

    /**
     * C = α·AᵀA + β·C for an m×n matrix A (the symmetric rank-k update, BLAS's syrk): C is n×n and both of its
     * triangles are written. Equal to {@code gemm(true, false, n, n, m, α, A, A, β, C)} at half the work; the
     * Gauss–Newton matrix JᵀJ of Levenberg–Marquardt is built from it. With β = 0, C's old contents are ignored.
     */
    void syrk(int m, int n, double alpha, Vec a, double beta, Vec c);

    /**
     * Factors the symmetric n×n matrix A + shift·I into RᵀR (Cholesky), R upper triangular (R = Lᵀ for the lower
     * factor L), written into {@code r} with its strict lower triangle set to 0; A is only read (its upper triangle
     * and diagonal) and must not alias R. The right-looking form, whose every step is an update of contiguous rows:
     * for k = 0, 1, …: R[k][k] = √(pivot), R[k][k+1:] /= R[k][k], then R[i][i:] −= R[k][i]·R[k][i:] for each later
     * row i. Returns false, leaving R partly written, when a pivot is not a positive finite number (the matrix is
     * not numerically positive definite). Golub &amp; Van Loan, Matrix Computations, 4th ed., Algorithm 4.2.2.
     */
    boolean cholesky(int n, double shift, Vec a, Vec r);

    /** x[r, :] += row for every row r of the rows×cols matrix x (the bias add). */
    void addRowVector(Vec row, Vec x, int rows, int cols);

    /** out[c] += α·Σ_r x[r, c] (accumulates; the bias gradient). */
    default void sumRows(double alpha, Vec x, int rows, int cols, Vec out) {
        sumRows(alpha, x, rows, cols, cols, out);
    }

    /** The same over a block of a wider matrix, whose consecutive rows are {@code ldx} apart (same bits). */
    void sumRows(double alpha, Vec x, int rows, int cols, int ldx, Vec out);

    /**
     * A dense layer's forward step with its element-wise work fused into the product (the GEMM "epilogue"):
     * Z = Y·Wᵀ + 1·bᵀ and A = f(Z) for m examples. Y is m×k and W is n×k, both contiguous; b has n entries, or none
     * (a layer without bias); Z and A are m×n with consecutive rows {@code ldz} apart (ldz = n for whole rows, more
     * for one thread's block of a layer's units). A may be Z itself (then Z is overwritten by f(Z)); f must act
     * element by element (not softmax) when ldz &gt; n.
     *
     * <p>The result equals, bit for bit, {@code gemm(false, true, …)}, then {@link #addRowVector}, then
     * {@link #activate} on the same backend: a fusing backend adds b and applies f to each tile of Z while the tile
     * is in registers or the L1 cache, instead of two more passes over Z in memory (BLIS and cuBLASLt call this the
     * epilogue). The reference does the three steps in turn, and so does this default (which, for ldz &gt; n,
     * allocates a view per row: a backend overrides it).
     */
    default void denseForward(int m, int n, int k, Vec y, Vec w, Vec b, Activation f, Vec z, Vec a, int ldz) {
        Shapes.checkDenseForward(m, n, k, y, w, b, z, a, ldz);
        gemm(false, true, m, n, k, 1.0, y, Math.max(1, k), w, Math.max(1, k), 0.0, z, ldz);
        if (ldz == n) {
            if (b.length() != 0) {
                addRowVector(b, z, m, n);
            }
            activate(f, z, a, m, n);
            return;
        }
        for (int r = 0; r < m; r++) {
            Vec zr = z.view(r * ldz, n);
            Vec ar = a == z ? zr : a.view(r * ldz, n);
            if (b.length() != 0) {
                addRowVector(b, zr, 1, n);
            }
            activate(f, zr, ar, 1, n);
        }
    }

    /**
     * dst[dstPos + i] = src[srcPos + i] read as an unsigned integer 0..255, for i &lt; len: a row of 8-bit stored
     * features (a {@link dev.backprop.Dataset#wrapUnsignedBytes} dataset, such as MNIST's pixels) widened into a
     * batch. Exact in either precision, so every backend gives the same values; this default is
     * {@link Vec#copyFromUnsignedBytes}, a plain loop.
     */
    default void widenUnsignedBytes(byte[] src, int srcPos, Vec dst, int dstPos, int len) {
        dst.copyFromUnsignedBytes(src, srcPos, dstPos, len);
    }

    /** x[r, c] = (x[r, c] − center[c]) / scale[c] for every row r (the model's input scaling). */
    void standardize(Vec x, Vec center, Vec scale, int rows, int cols);

    // ------------------------------------------------------------------ element-wise vector work

    /** x[i] = value. */
    void fill(Vec x, double value);

    /** dst[i] = src[i] (same length). */
    void copy(Vec src, Vec dst);

    /**
     * dst[dstOffset + r·ldd + c] = src[srcOffset + r·lds + c] for r &lt; rows and c &lt; cols: a block of one
     * row-major matrix copied into another (same precision, no overlap). Memory movement only, so every backend
     * gives the same bits; this default copies each row with {@link System#arraycopy}, which the JIT turns into
     * vector moves. The offsets spare callers a view per block.
     */
    default void copy(int rows, int cols, Vec src, int srcOffset, int lds, Vec dst, int dstOffset, int ldd) {
        Shapes.checkStrided(src, srcOffset, rows, cols, lds, "copy source");
        Shapes.checkStrided(dst, dstOffset, rows, cols, ldd, "copy destination");
        if (src.precision() != dst.precision()) {
            throw new IllegalArgumentException("copy from " + src.precision() + " to " + dst.precision());
        }
        for (int r = 0; r < rows; r++) {
            Vec.arraycopy(src, srcOffset + r * lds, dst, dstOffset + r * ldd, cols);
        }
    }

    /** x[i] = α·x[i]. */
    void scale(double alpha, Vec x);

    /** y[i] += α·x[i]. */
    void axpy(double alpha, Vec x, Vec y);

    /** y[i] += α·sign(x[i]) (sign(0) = 0): the gradient of an L1 penalty α·Σ|x|. */
    void addSign(double alpha, Vec x, Vec y);

    /** x[i] = min(max(x[i], lo), hi). */
    void clamp(Vec x, double lo, double hi);

    // ------------------------------------------------------------------ reductions (double results)

    /** Σ x[i]·y[i]. */
    double dot(Vec x, Vec y);

    /** Σ x[i]² (NaN if any element is NaN, +∞ if any is infinite). */
    double sumSquares(Vec x);

    /** Σ |x[i]|. */
    double sumAbs(Vec x);

    /** max |x[i]| (NaN if any element is NaN; 0 for an empty vector). */
    double maxAbs(Vec x);

    /** Σ (a[i] − b[i])². */
    double sumSquaredDifference(Vec a, Vec b);

    /** Σ y[i]·ln y[i] with 0·ln 0 = 0 (the negative entropy of targets). */
    double sumXLogX(Vec y);

    // ------------------------------------------------------------------ activations

    /** a = f(z) for a rows×cols matrix of pre-activations (softmax: over each row). a may alias z. */
    void activate(Activation f, Vec z, Vec a, int rows, int cols);

    /**
     * dZ = (∂a/∂z)ᵀ·dA for each row, given z and a = f(z): for element-wise f that is dZ = f'(z) ⊙ dA; for
     * softmax dZ_k = a_k·(dA_k − Σ_j dA_j·a_j). dZ may alias dA.
     */
    void activationBackward(Activation f, Vec z, Vec a, Vec dA, Vec dZ, int rows, int cols);

    /**
     * The delta handed down through a dense layer, with the lower layer's activation derivative fused into the
     * product: dZ = (∂a/∂z)ᵀ·(Δ·W) for each of m rows, that is f'(Z) ⊙ (Δ·W) for element-wise f (δ_n = f'(z_n) ⊙
     * W_{n+1}ᵀδ_{n+1}). Δ is m×out, W is out×in, and Z, A = f(Z) (the lower layer's) and dZ are m×in, all contiguous.
     * Equal, bit for bit, to {@code gemm(false, false, m, in, out, 1, Δ, W, 0, dZ)} followed by
     * {@code activationBackward(f, Z, A, dZ, dZ, m, in)}, which is what this default does; a fusing backend applies
     * the derivative to each tile of dZ as it stores it (the backward counterpart of {@link #denseForward}).
     */
    default void propagateDelta(int m, int in, int out, Vec delta, Vec w, Activation f, Vec z, Vec a, Vec dZ) {
        gemm(false, false, m, in, out, 1.0, delta, w, 0.0, dZ);
        activationBackward(f, z, a, dZ, dZ, m, in);
    }

    /**
     * How many units of the rows×cols batch are saturated, i.e. have f'(z) &lt; 1e−4 of the function's largest
     * slope where the function flattens out (sigmoid, tanh, softmax with a winner above 1 − 1e−4, softplus and
     * ELU far left); 0 for functions that do not saturate (ReLU family, identity, GELU's right side).
     */
    int countSaturated(Activation f, Vec z, Vec a, int rows, int cols);

    /**
     * The R-operator of the backward step through an activation (Pearlmutter 1994): given z, a = f(z), the
     * directional derivative rz = R{z} and the incoming gradient g = ∂J/∂a with its directional derivative
     * rg = R{g}, writes out = R{(∂a/∂z)ᵀ g}. Element-wise: out = f''(z)·rz·g + f'(z)·rg. Softmax, with
     * ra = a ⊙ (rz − a·rz): out_k = ra_k (g_k − a·g) + a_k (rg_k − ra·g − a·rg).
     */
    void activationRBackward(Activation f, Vec z, Vec a, Vec rz, Vec g, Vec rg, Vec out, int rows, int cols);

    /** out = scale·H_C(a, y)·u for each row, H_C the Hessian of the cost in the outputs a. */
    void costHessianVector(Cost c, Vec a, Vec y, Vec u, double scale, Vec out, int rows, int cols);

    /** out[r, :] = scale·(Σ_k y[r, k])·x[r, :]: the R-operator of the fused softmax cross-entropy delta. */
    void scaleRowsBySum(Vec x, Vec y, double scale, Vec out, int rows, int cols);

    /**
     * Writes one row of a Jacobian per example: for example r, the derivatives of one output with respect to a
     * layer's parameters, jac[r·stride + offset + o·inputs + j] = delta[r, o]·y[r, j] for the weights and, with
     * {@code bias}, jac[r·stride + offset + outputs·inputs + o] = delta[r, o].
     */
    void jacobianRows(Vec delta, Vec y, int rows, int outputs, int inputs, boolean bias, Vec jac, int stride, int offset);

    // ------------------------------------------------------------------ costs

    /** Σ over the rows of C(a_row, y_row) for the cost c (the generic, unfused path). */
    double cost(Cost c, Vec a, Vec y, int rows, int cols);

    /** dA = scale·∂C/∂a for each row (the generic, unfused path). */
    void costGradient(Cost c, Vec a, Vec y, double scale, Vec dA, int rows, int cols);

    /** Σ over the rows of −Σ_k y_k·ln softmax(z)_k, computed from the logits through a log-sum-exp. */
    double softmaxCrossEntropy(Vec z, Vec y, int rows, int cols);

    /** dZ = scale·(a·Σ_k y_k − y) for each row: ∂/∂z of softmax cross-entropy (and of Kullback–Leibler). */
    void softmaxCrossEntropyDelta(Vec a, Vec y, double scale, Vec dZ, int rows, int cols);

    /** Σ over all elements of −[y ln σ(z) + (1 − y) ln(1 − σ(z))] = max(z,0) − z·y + ln(1 + e^−|z|). */
    double sigmoidBinaryCrossEntropy(Vec z, Vec y);

    /** out = scale·(a − y): the fused delta of sigmoid with binary cross-entropy, and the quadratic cost's gradient. */
    void scaledDifference(double scale, Vec a, Vec y, Vec out);

    // ------------------------------------------------------------------ metrics

    /** Number of rows whose largest entry in a is at the same column as the largest entry in y (first on ties). */
    int argmaxMatches(Vec a, Vec y, int rows, int cols);

    /** Number of elements on the same side of the threshold in a and y ({@code a > t} equals {@code y > t}). */
    int thresholdMatches(Vec a, Vec y, double threshold);

    // ------------------------------------------------------------------ optimizer updates (θ is updated in place)

    /**
     * SGD with momentum (PyTorch's form): buf = μ·buf + (1 − dampening)·g, or buf = g on the first step; then
     * θ −= lr·(g + μ·buf) with Nesterov, θ −= lr·buf without. A buffer entry below the smallest normal number is
     * stored, and used, as 0, as Adam's moments are (see {@link #adamStep}).
     */
    void momentumStep(Vec theta, Vec g, Vec buf, double lr, double momentum, double dampening, boolean nesterov, boolean first);

    /**
     * Adam (Kingma &amp; Ba 2015, PyTorch's form): m = β₁m + (1−β₁)g; v = β₂v + (1−β₂)g²;
     * θ −= lr·(m/bc1) / (√(v/bc2) + ε), with bias corrections bc1 = 1 − β₁ᵗ, bc2 = 1 − β₂ᵗ.
     *
     * <p>A moment whose magnitude falls below the smallest normal number of the precision (1.2e−38 in float32,
     * 2.2e−308 in float64) is stored, and used, as 0. A weight whose gradient stays 0 (an input that is always 0,
     * such as a border pixel) would otherwise decay m by β₁ per step into the subnormal range, where every
     * multiplication takes a microcode assist of about a hundred cycles on x86: on Fashion-MNIST that made Adam
     * take twice as long. The flush moves θ by less than lr·1.2e−38/ε (1.2e−33 with PyTorch's defaults), below the
     * rounding of any |θ| above 1e−26, and changes later moments by less than 1.2e−38 (float32).
     */
    void adamStep(Vec theta, Vec g, Vec m, Vec v, double lr, double beta1, double beta2, double eps, double bc1, double bc2);

    /**
     * RMSprop (PyTorch's form): v = αv + (1−α)g²; if centered, gAvg = α·gAvg + (1−α)g and the denominator
     * uses v − gAvg²; d = √(·) + ε; with momentum μ &gt; 0, buf = μ·buf + g/d and θ −= lr·buf, else θ −= lr·g/d.
     * gAvg is null when not centered, buf null when μ = 0. Entries of v, gAvg and buf below the smallest normal
     * number are stored, and used, as 0, as Adam's moments are (see {@link #adamStep}).
     */
    void rmspropStep(Vec theta, Vec g, Vec v, Vec gAvg, Vec buf, double lr, double alpha, double eps, double momentum);

    /**
     * iRprop− (Igel &amp; Hüsken 2000; PyTorch's Rprop): per weight, if g·gPrev &gt; 0 the step grows
     * (×etaPlus), if g·gPrev &lt; 0 it shrinks (×etaMinus) and g is taken as 0; the step is then clamped to
     * [stepMin, stepMax]; θ −= sign(g)·step; gPrev = g.
     */
    void rpropStep(Vec theta, Vec g, Vec gPrev, Vec step, double etaMinus, double etaPlus, double stepMin, double stepMax);

    /**
     * Quickprop (Fahlman 1988), with the rules of FANN's implementation. Per weight, with s = −g the slope
     * and Δ the previous step: a step of lr·s is taken when Δ is about 0 or s has the sign of Δ; if Δ is not
     * about 0, the secant step Δ·s/(sPrev − s) is added, limited to mu·Δ when s ≥ (mu/(1+mu))·sPrev (for
     * Δ &gt; 0; mirrored for Δ &lt; 0). θ += step; gPrev = g; stepPrev = step.
     */
    void quickpropStep(Vec theta, Vec g, Vec gPrev, Vec stepPrev, double lr, double mu);
}
