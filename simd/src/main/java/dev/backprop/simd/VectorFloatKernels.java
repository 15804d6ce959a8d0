package dev.backprop.simd;

import dev.backprop.Activation;
import dev.backprop.Precision;
import dev.backprop.kernel.FloatVec;
import dev.backprop.kernel.ScalarFloatKernels;
import dev.backprop.kernel.Shapes;
import dev.backprop.kernel.Vec;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 kernels on the Vector API: the matrix products (packed, register-blocked, {@link FloatGemm}), the
 * bias add and bias gradient, the input scaling, ReLU, tanh and sigmoid forward and backward, the vector updates and reductions, and
 * Adam's step. Everything else is inherited from the scalar reference, {@link ScalarFloatKernels}.
 *
 * <p>{@link VectorDoubleKernels} is the float64 twin; the kernel conformance suite checks both against the
 * float64 reference over sizes that hit every vector and block edge. Deterministic: the order of every sum
 * depends only on the sizes, never on timing.
 */
public final class VectorFloatKernels extends ScalarFloatKernels {
    /** The shared instance (the class holds no state; packing buffers are per thread). */
    public static final VectorFloatKernels INSTANCE = new VectorFloatKernels();

    private static final VectorSpecies<Float> S = FloatGemm.S;
    private static final int L = S.length();

    private VectorFloatKernels() {
    }

    @Override
    public String name() {
        return "vector-float32";
    }

    private static float[] arr(Vec v) {
        return ((FloatVec) v).array();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Vec a, int lda, Vec b, int ldb, double beta, Vec c,
            int ldc) {
        Shapes.checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        FloatGemm.gemm(transA, transB, m, n, k, (float) alpha, arr(a), a.offset(), lda, arr(b), b.offset(), ldb, (float) beta, arr(c), c.offset(), ldc,
                FloatGemm.ALL);
    }

    /**
     * The product with the bias add and, for ReLU, tanh and sigmoid, the activation in its epilogue ({@link FloatGemm#dense}); other
     * activations take the reference's loops over Z afterwards. The same bits as the three steps apart.
     */
    @Override
    public void denseForward(int m, int n, int k, Vec y, Vec w, Vec b, Activation f, Vec z, Vec a, int ldz) {
        Shapes.checkDenseForward(m, n, k, y, w, b, z, a, ldz);
        boolean fused = f instanceof Activation.Relu || f instanceof Activation.Tanh || f instanceof Activation.Sigmoid || f instanceof Activation.Identity;
        int act = fused ? f instanceof Activation.Relu ? FloatGemm.RELU : f instanceof Activation.Tanh ? FloatGemm.TANH
                : f instanceof Activation.Sigmoid ? FloatGemm.SIGMOID : FloatGemm.IDENTITY : FloatGemm.IDENTITY;
        float[] Z = arr(z);
        FloatGemm.dense(m, n, k, arr(y), y.offset(), arr(w), w.offset(), b.length() == 0 ? null : arr(b), b.offset(), act, Z, z.offset(),
                fused ? arr(a) : Z, fused ? a.offset() : z.offset(), ldz);
        if (f instanceof Activation.Softmax) {
            softmaxRows(Z, z.offset(), arr(a), a.offset(), m, n, ldz);
        } else if (!fused) {
            activateRows(f, Z, z.offset(), arr(a), a.offset(), m, n, ldz);
        }
    }

    @Override
    public void syrk(int m, int n, double alpha, Vec a, double beta, Vec c) {
        Shapes.checkMatrix(a, m, n, "syrk A");
        Shapes.checkMatrix(c, n, n, "syrk C");
        float[] A = arr(a), C = arr(c);
        int co = c.offset();
        FloatGemm.gemm(true, false, n, n, m, (float) alpha, A, a.offset(), A, a.offset(), (float) beta, C, co, FloatGemm.LOWER);
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                C[co + j * n + i] = C[co + i * n + j];
            }
        }
    }

    @Override
    public void addRowVector(Vec row, Vec x, int rows, int cols) {
        Shapes.checkMatrix(x, rows, cols, "x");
        Shapes.checkLength(row, cols, "row");
        float[] R = arr(row), X = arr(x);
        int ro = row.offset(), bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = x.offset() + r * cols;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector.fromArray(S, X, xr + c).add(FloatVector.fromArray(S, R, ro + c)).intoArray(X, xr + c);
            }
            for (; c < cols; c++) {
                X[xr + c] += R[ro + c];
            }
        }
    }

    /** x[r, :] = (x[r, :] − center) / scale in vector lanes (the reference divides in double and rounds once). */
    /** L bytes: the lanes that widen to one float vector. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * Byte.SIZE));
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, S.vectorShape());

    @Override
    public void widenUnsignedBytes(byte[] src, int srcPos, Vec dst, int dstPos, int len) {
        java.util.Objects.checkFromIndexSize(dstPos, len, dst.length());
        java.util.Objects.checkFromIndexSize(srcPos, len, src.length);
        float[] D = arr(dst);
        int d = dst.offset() + dstPos, bound = S.loopBound(len), i = 0;
        for (; i < bound; i += L) {
            Vector<Integer> v = ByteVector.fromArray(BYTES, src, srcPos + i).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0);
            ((FloatVector) v.convert(VectorOperators.I2F, 0)).intoArray(D, d + i);
        }
        for (; i < len; i++) {
            D[d + i] = src[srcPos + i] & 0xff;
        }
    }

    @Override
    public void standardize(Vec x, Vec center, Vec scale, int rows, int cols) {
        Shapes.checkMatrix(x, rows, cols, "x");
        Shapes.checkLength(center, cols, "center");
        Shapes.checkLength(scale, cols, "scale");
        float[] X = arr(x), C = arr(center), D = arr(scale);
        int co = center.offset(), so = scale.offset(), bound = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = x.offset() + r * cols;
            int c = 0;
            for (; c < bound; c += L) {
                FloatVector.fromArray(S, X, xr + c).sub(FloatVector.fromArray(S, C, co + c)).div(FloatVector.fromArray(S, D, so + c)).intoArray(X, xr + c);
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
        float[] X = arr(x), O = arr(out);
        int xo = x.offset(), oo = out.offset(), bound = S.loopBound(cols);
        float al = (float) alpha;
        int c = 0;
        for (; c < bound; c += L) {
            FloatVector s = FloatVector.zero(S);
            for (int r = 0; r < rows; r++) {
                s = s.add(FloatVector.fromArray(S, X, xo + r * ldx + c));
            }
            FloatVector.fromArray(S, O, oo + c).add(s.mul(al)).intoArray(O, oo + c);
        }
        for (; c < cols; c++) {
            float s = 0;
            for (int r = 0; r < rows; r++) {
                s += X[xo + r * ldx + c];
            }
            O[oo + c] += al * s;
        }
    }

    @Override
    public void scale(double alpha, Vec x) {
        float[] X = arr(x);
        float al = (float) alpha;
        int o = x.offset(), n = x.length(), bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, X, o + i).mul(al).intoArray(X, o + i);
        }
        for (; i < n; i++) {
            X[o + i] *= al;
        }
    }

    @Override
    public void axpy(double alpha, Vec x, Vec y) {
        Shapes.checkSameLength(x, y);
        float[] X = arr(x), Y = arr(y);
        float al = (float) alpha;
        int xo = x.offset(), yo = y.offset(), n = x.length(), bound = S.loopBound(n), i = 0;
        FloatVector av = FloatVector.broadcast(S, al);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, X, xo + i).fma(av, FloatVector.fromArray(S, Y, yo + i)).intoArray(Y, yo + i);
        }
        for (; i < n; i++) {
            Y[yo + i] = Math.fma(al, X[xo + i], Y[yo + i]);
        }
    }

    /** Lane i + L/2, i + L/4, …, i + 1 (mod L) into lane i: the steps of a fixed summation tree over the lanes. */
    private static final jdk.incubator.vector.VectorShuffle<Float>[] HALVES = halves();

    @SuppressWarnings("unchecked")
    private static jdk.incubator.vector.VectorShuffle<Float>[] halves() {
        int steps = Integer.numberOfTrailingZeros(L);
        jdk.incubator.vector.VectorShuffle<Float>[] h = new jdk.incubator.vector.VectorShuffle[steps];
        for (int i = 0, d = L / 2; i < steps; i++, d /= 2) {
            h[i] = jdk.incubator.vector.VectorShuffle.iota(S, d, 1, true);
        }
        return h;
    }

    /** Σ x·y, in float lanes summed into a double per block of 1024 elements (so error grows with blocks, not n). */
    @Override
    public double dot(Vec x, Vec y) {
        Shapes.checkSameLength(x, y);
        float[] X = arr(x), Y = arr(y);
        int xo = x.offset(), yo = y.offset(), n = x.length();
        double total = 0;
        for (int start = 0; start < n; start += 1024) {
            int len = Math.min(1024, n - start), bound = S.loopBound(len), i = 0;
            FloatVector s = FloatVector.zero(S);
            for (; i < bound; i += L) {
                s = FloatVector.fromArray(S, X, xo + start + i).fma(FloatVector.fromArray(S, Y, yo + start + i), s);
            }
            // the lanes are added in a fixed tree (halves, then quarters, ...): reduceLanes(ADD) adds them in the
            // interpreter's order before the JIT compiles this method and in its own tree after, which differ in the last bit
            for (jdk.incubator.vector.VectorShuffle<Float> half : HALVES) {
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
     * ReLU, tanh and the logistic sigmoid in vector lanes (tanh and exp are {@link FloatLanes}', within about 2 ulp
     * and the same bits in interpreted and compiled code); the others are the reference's. σ is computed as in the
     * reference without overflow: with e = exp(−|z|), σ = 1/(1+e) for z ≥ 0 and e/(1+e) below.
     */
    @Override
    public void activate(Activation f, Vec z, Vec a, int rows, int cols) {
        if (f instanceof Activation.Softmax) {
            Shapes.checkMatrix(z, rows, cols, "z");
            Shapes.checkMatrix(a, rows, cols, "a");
            softmaxRows(arr(z), z.offset(), arr(a), a.offset(), rows, cols, cols);
            return;
        }
        if (!(f instanceof Activation.Relu || f instanceof Activation.Tanh || f instanceof Activation.Sigmoid)) {
            super.activate(f, z, a, rows, cols);
            return;
        }
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(a, rows, cols, "a");
        float[] Z = arr(z), A = arr(a);
        int zo = z.offset(), ao = a.offset(), n = rows * cols, bound = S.loopBound(n), i = 0;
        switch (f) {
            case Activation.Relu r -> {
                for (; i < bound; i += L) {
                    FloatVector.fromArray(S, Z, zo + i).max(0f).intoArray(A, ao + i);
                }
                if (i < n) { // the same lanes under a mask, as the fused forward step's last tile (NaN stays NaN)
                    VectorMask<Float> in = S.indexInRange(i, n);
                    FloatVector.fromArray(S, Z, zo + i, in).max(0f).intoArray(A, ao + i, in);
                }
            }
            // the last, partial vector goes through the same vector function under a mask, not through the scalar
            // Math.tanh or exp (within 2 ulp of these, not equal): an element's value then does not depend on where it
            // falls in the array (a thread's share of a batch), and any thread count gives the same bits
            case Activation.Tanh t -> {
                for (; i < bound; i += L) {
                    FloatLanes.tanh(FloatVector.fromArray(S, Z, zo + i)).intoArray(A, ao + i);
                }
                if (i < n) {
                    VectorMask<Float> in = S.indexInRange(i, n);
                    FloatLanes.tanh(FloatVector.fromArray(S, Z, zo + i, in)).intoArray(A, ao + i, in);
                }
            }
            default -> {
                for (; i < bound; i += L) {
                    FloatLanes.sigmoid(FloatVector.fromArray(S, Z, zo + i)).intoArray(A, ao + i);
                }
                if (i < n) {
                    VectorMask<Float> in = S.indexInRange(i, n);
                    FloatLanes.sigmoid(FloatVector.fromArray(S, Z, zo + i, in)).intoArray(A, ao + i, in);
                }
            }
        }
    }

    /**
     * Softmax over each row of a rows×cols block whose rows are {@code ld} apart in Z and in A: A = e^(z − max)/Σ, as
     * the reference computes it, with the exponentials in vector lanes ({@link FloatLanes#expNonPositive}, within
     * 2 ulp of the reference's Math.exp rounded to float) and the row's maximum and sum in scalar arithmetic, the
     * sum in float64 as in the reference. A NaN in a row makes the whole row NaN, as there.
     */
    static void softmaxRows(float[] Z, int zo, float[] A, int ao, int rows, int cols, int ld) {
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * ld, ar = ao + r * ld;
            float max = rowMax(Z, zr, cols);
            expShifted(Z, zr, A, ar, cols, max);
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += A[ar + c];
            }
            divideRow(A, ar, cols, (float) sum);
        }
    }

    /** The largest of cols floats (NaN if one is NaN), scalar: a softmax row is usually shorter than a vector. */
    private static float rowMax(float[] x, int from, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, x[from + c]);
        }
        return max;
    }

    /** A = e^(Z − max) over one row, in whole vectors and a last one under a mask. */
    private static void expShifted(float[] Z, int zr, float[] A, int ar, int cols, float max) {
        int bound = S.loopBound(cols), c = 0;
        for (; c < bound; c += L) {
            FloatLanes.expNonPositive(FloatVector.fromArray(S, Z, zr + c).sub(max)).intoArray(A, ar + c);
        }
        if (c < cols) {
            VectorMask<Float> in = S.indexInRange(c, cols);
            FloatLanes.expNonPositive(FloatVector.fromArray(S, Z, zr + c, in).sub(max)).intoArray(A, ar + c, in);
        }
    }

    /** Σ e^(Z − max) over one row, the exponentials in vector lanes and added up in float lanes. */
    private static float sumExpShifted(float[] Z, int zr, int cols, float max) {
        int bound = S.loopBound(cols), c = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; c < bound; c += L) {
            acc = acc.add(FloatLanes.expNonPositive(FloatVector.fromArray(S, Z, zr + c).sub(max)));
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        if (c < cols) {
            VectorMask<Float> in = S.indexInRange(c, cols);
            sum += FloatLanes.expNonPositive(FloatVector.fromArray(S, Z, zr + c, in).sub(max)).reduceLanes(VectorOperators.ADD, in);
        }
        return sum;
    }

    /** A /= d over one row. */
    private static void divideRow(float[] A, int ar, int cols, float d) {
        int bound = S.loopBound(cols), c = 0;
        for (; c < bound; c += L) {
            FloatVector.fromArray(S, A, ar + c).div(d).intoArray(A, ar + c);
        }
        if (c < cols) {
            VectorMask<Float> in = S.indexInRange(c, cols);
            FloatVector.fromArray(S, A, ar + c, in).div(d).intoArray(A, ar + c, in);
        }
    }

    /**
     * Σ over rows of Σ_c y_c·(lse − z_c), lse = max + ln Σ e^(z − max), as the reference computes it
     * ({@link #addCrossEntropy}) with the exponentials in vector lanes, added up in float lanes: the row's sum lies
     * in [1, cols], so its relative error is a few ulp.
     */
    @Override
    public double softmaxCrossEntropy(Vec z, Vec y, int rows, int cols) {
        Shapes.checkMatrix(z, rows, cols, "z");
        Shapes.checkMatrix(y, rows, cols, "y");
        float[] Z = arr(z), Y = arr(y);
        double s = 0;
        for (int r = 0; r < rows; r++) {
            int zr = z.offset() + r * cols, yr = y.offset() + r * cols;
            float max = rowMax(Z, zr, cols);
            s = addCrossEntropy(s, Z, zr, Y, yr, cols, max + Math.log(sumExpShifted(Z, zr, cols, max)));
        }
        return s;
    }

    /**
     * The product Δ·W with ReLU's, tanh's or the sigmoid's derivative applied to each tile as it is stored
     * ({@link FloatGemm#propagate}); the other activations take the product and then the reference's backward.
     */
    @Override
    public void propagateDelta(int m, int in, int out, Vec delta, Vec w, Activation f, Vec z, Vec a, Vec dZ) {
        int act = f instanceof Activation.Relu ? FloatGemm.RELU_BACK : f instanceof Activation.Tanh ? FloatGemm.TANH_BACK
                : f instanceof Activation.Sigmoid ? FloatGemm.SIGMOID_BACK : FloatGemm.PLAIN;
        if (act == FloatGemm.PLAIN) {
            super.propagateDelta(m, in, out, delta, w, f, z, a, dZ);
            return;
        }
        Shapes.checkGemm(false, false, m, in, out, delta, w, dZ);
        Shapes.checkMatrix(z, m, in, "z");
        Shapes.checkMatrix(a, m, in, "a");
        FloatGemm.propagate(m, in, out, arr(delta), delta.offset(), arr(w), w.offset(), act, arr(a), a.offset(), arr(dZ), dZ.offset());
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
        float[] Z = arr(z), A = arr(a), G = arr(dA), D = arr(dZ);
        int zo = z.offset(), ao = a.offset(), go = dA.offset(), dO = dZ.offset(), n = rows * cols, bound = S.loopBound(n), i = 0;
        switch (f) {
            case Activation.Relu r -> {
                FloatVector zero = FloatVector.zero(S);
                for (; i < bound; i += L) {
                    VectorMask<Float> on = FloatVector.fromArray(S, Z, zo + i).compare(VectorOperators.GT, 0f);
                    zero.blend(FloatVector.fromArray(S, G, go + i), on).intoArray(D, dO + i);
                }
                for (; i < n; i++) {
                    D[dO + i] = Z[zo + i] > 0 ? G[go + i] : 0f;
                }
            }
            case Activation.Tanh t -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += L) {
                    FloatVector av = FloatVector.fromArray(S, A, ao + i);
                    FloatVector.fromArray(S, G, go + i).mul(one.sub(av.mul(av))).intoArray(D, dO + i);
                }
                for (; i < n; i++) {
                    D[dO + i] = G[go + i] * (1f - A[ao + i] * A[ao + i]);
                }
            }
            default -> {
                FloatVector one = FloatVector.broadcast(S, 1f);
                for (; i < bound; i += L) {
                    FloatVector av = FloatVector.fromArray(S, A, ao + i);
                    FloatVector.fromArray(S, G, go + i).mul(av.mul(one.sub(av))).intoArray(D, dO + i);
                }
                for (; i < n; i++) {
                    D[dO + i] = G[go + i] * (A[ao + i] * (1f - A[ao + i]));
                }
            }
        }
    }

    /** Adam in float lanes, as PyTorch's float32 Adam computes it. */
    @Override
    public void adamStep(Vec theta, Vec g, Vec m, Vec v, double lr, double beta1, double beta2, double eps, double bc1, double bc2) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, m);
        Shapes.checkSameLength(theta, v);
        float[] T = arr(theta), G = arr(g), M = arr(m), V = arr(v);
        int to = theta.offset(), go = g.offset(), mo = m.offset(), vo = v.offset(), n = theta.length();
        float b1 = (float) beta1, b2 = (float) beta2, c1 = (float) (1 - beta1), c2 = (float) (1 - beta2);
        float step = (float) (lr / bc1), invSqrtBc2 = (float) (1 / Math.sqrt(bc2)), e = (float) eps;
        int bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(S, G, go + i);
            FloatVector mi = FloatVector.fromArray(S, M, mo + i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, V, vo + i).mul(b2).add(gi.mul(gi).mul(c2));
            mi = mi.blend(0f, mi.abs().lt(Float.MIN_NORMAL)); // subnormal moments are flushed (see Kernels#adamStep)
            vi = vi.blend(0f, vi.lt(Float.MIN_NORMAL));
            mi.intoArray(M, mo + i);
            vi.intoArray(V, vo + i);
            FloatVector den = vi.sqrt().mul(invSqrtBc2).add(e);
            FloatVector.fromArray(S, T, to + i).sub(mi.mul(step).div(den)).intoArray(T, to + i);
        }
        for (; i < n; i++) {
            float gi = G[go + i];
            float mi = M[mo + i] * b1 + gi * c1;
            float vi = V[vo + i] * b2 + gi * gi * c2;
            mi = Math.abs(mi) < Float.MIN_NORMAL ? 0f : mi;
            vi = vi < Float.MIN_NORMAL ? 0f : vi;
            M[mo + i] = mi;
            V[vo + i] = vi;
            T[to + i] -= mi * step / ((float) Math.sqrt(vi) * invSqrtBc2 + e);
        }
    }

    @Override
    public void momentumStep(Vec theta, Vec g, Vec buf, double lr, double momentum, double dampening, boolean nesterov, boolean first) {
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, buf);
        float[] T = arr(theta), G = arr(g), B = arr(buf);
        int to = theta.offset(), go = g.offset(), bo = buf.offset(), n = theta.length();
        float mu = (float) momentum, keep = (float) (1 - dampening), rate = (float) lr;
        int bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(S, G, go + i);
            FloatVector b = first ? gi : FloatVector.fromArray(S, B, bo + i).mul(mu).add(gi.mul(keep));
            b = b.blend(0f, b.abs().lt(Float.MIN_NORMAL)); // subnormal state is flushed (see Kernels#adamStep)
            b.intoArray(B, bo + i);
            FloatVector step = nesterov ? gi.add(b.mul(mu)) : b;
            FloatVector.fromArray(S, T, to + i).sub(step.mul(rate)).intoArray(T, to + i);
        }
        for (; i < n; i++) {
            float gi = G[go + i];
            float b = first ? gi : B[bo + i] * mu + gi * keep;
            b = Math.abs(b) < Float.MIN_NORMAL ? 0f : b;
            B[bo + i] = b;
            T[to + i] -= (nesterov ? gi + b * mu : b) * rate;
        }
    }

    /**
     * The non-centered form (PyTorch's default) in vectors, with the reference's order of operations; the centered
     * form, whose v − gAvg² can cancel, stays with the scalar twin (which computes in float64).
     */
    @Override
    public void rmspropStep(Vec theta, Vec g, Vec v, Vec gAvg, Vec buf, double lr, double alpha, double eps, double momentum) {
        if (gAvg != null) {
            super.rmspropStep(theta, g, v, gAvg, buf, lr, alpha, eps, momentum);
            return;
        }
        Shapes.checkSameLength(theta, g);
        Shapes.checkSameLength(theta, v);
        float[] T = arr(theta), G = arr(g), V = arr(v);
        float[] B = buf == null ? null : arr(buf);
        int to = theta.offset(), go = g.offset(), vo = v.offset(), n = theta.length();
        int bo = buf == null ? 0 : buf.offset();
        float a = (float) alpha, c = (float) (1 - alpha), e = (float) eps, rate = (float) lr, mu = (float) momentum;
        int bound = S.loopBound(n), i = 0;
        for (; i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(S, G, go + i);
            FloatVector vi = FloatVector.fromArray(S, V, vo + i).mul(a).add(gi.mul(c).mul(gi));
            vi = vi.blend(0f, vi.lt(Float.MIN_NORMAL)); // subnormal state is flushed (see Kernels#adamStep)
            vi.intoArray(V, vo + i);
            FloatVector d = vi.sqrt().add(e);
            if (B != null) {
                FloatVector b = FloatVector.fromArray(S, B, bo + i).mul(mu).add(gi.div(d));
                b = b.blend(0f, b.abs().lt(Float.MIN_NORMAL));
                b.intoArray(B, bo + i);
                FloatVector.fromArray(S, T, to + i).sub(b.mul(rate)).intoArray(T, to + i);
            } else {
                FloatVector.fromArray(S, T, to + i).sub(gi.mul(rate).div(d)).intoArray(T, to + i);
            }
        }
        for (; i < n; i++) {
            float gi = G[go + i];
            float vi = V[vo + i] * a + c * gi * gi;
            vi = vi < Float.MIN_NORMAL ? 0f : vi;
            V[vo + i] = vi;
            float d = (float) Math.sqrt(vi) + e;
            if (B != null) {
                float b = B[bo + i] * mu + gi / d;
                b = Math.abs(b) < Float.MIN_NORMAL ? 0f : b;
                B[bo + i] = b;
                T[to + i] -= rate * b;
            } else {
                T[to + i] -= rate * gi / d;
            }
        }
    }
}
