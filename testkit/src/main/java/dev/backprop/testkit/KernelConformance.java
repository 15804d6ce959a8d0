package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite every {@link Kernels} implementation must pass: each operation is run by the candidate
 * and by the float64 scalar reference on the same inputs (rounded to the candidate's precision first), over
 * sizes that hit every edge of blocked and vectorised loops (1, 7, 15, 16, 17, 31, 255, 257, 1023, 4097), on
 * views that start at an odd offset inside a larger buffer whose other elements must stay untouched.
 *
 * <p>Results must agree within a tolerance scaled to the candidate's precision and, for sums, to the length of
 * the reduction: |candidate − reference| ≤ tol·(Σ|terms|) for reductions and products, ≤ tol·max(|reference|, 1)
 * element-wise. Counting operations must agree exactly. Subclass it, implement {@link #candidate()}, and
 * loosen {@link #elementTolerance()} if the candidate uses approximations of exp, log or erf.
 */
public abstract class KernelConformance {

    /** The sizes the suite runs over. */
    public static final int[] SIZES = {1, 7, 15, 16, 17, 31, 255, 257, 1023, 4097};
    private static final int PAD = 3;
    private static final double SENTINEL = 12345.0;

    /** The implementation under test. */
    protected abstract Kernels candidate();

    /** The reference implementation (default: the float64 scalar kernels). */
    protected Kernels reference() {
        return Kernels.scalar(Precision.FLOAT64);
    }

    /** Machine epsilon of the candidate's precision. */
    protected double epsilon() {
        return candidate().precision() == Precision.FLOAT32 ? 0x1.0p-23 : 0x1.0p-52;
    }

    /** Relative tolerance of element-wise results (default 8 ulp). */
    protected double elementTolerance() {
        return 8 * epsilon();
    }

    /** Relative tolerance per term of a reduction of length n (default 2·ε·n, the classic bound for recursive summation). */
    protected double reductionTolerance(int n) {
        return 2 * epsilon() * Math.max(n, 4);
    }

    static Stream<Integer> sizes() {
        return java.util.Arrays.stream(SIZES).boxed();
    }

    static Stream<Arguments> sizesAndActivations() {
        List<Arguments> list = new ArrayList<>();
        for (int n : SIZES) {
            for (Activation a : Activation.all()) {
                list.add(Arguments.of(n, a));
            }
        }
        return list.stream();
    }

    static Stream<Arguments> sizesAndCosts() {
        List<Arguments> list = new ArrayList<>();
        for (int n : SIZES) {
            for (Cost c : Cost.all()) {
                list.add(Arguments.of(n, c));
            }
        }
        return list.stream();
    }

    // ------------------------------------------------------------------ helpers

    /** A padded pair of buffers (candidate precision, float64 reference) holding the same values. */
    protected final class Buf {
        final Vec cFull;
        final Vec rFull;
        final Vec c;
        final Vec r;
        final int n;

        Buf(double[] values) {
            n = values.length;
            cFull = candidate().allocate(n + 2 * PAD);
            rFull = reference().allocate(n + 2 * PAD);
            for (int i = 0; i < cFull.length(); i++) {
                cFull.set(i, SENTINEL);
            }
            c = cFull.view(PAD, n);
            c.copyFrom(values, 0, 0, n);
            rFull.copyFrom(cFull, 0, 0, cFull.length());
            r = rFull.view(PAD, n);
        }

        void checkPadding(String what) {
            for (int i = 0; i < PAD; i++) {
                if (cFull.get(i) != SENTINEL || cFull.get(PAD + n + i) != SENTINEL) {
                    fail(what + ": the candidate wrote outside its vector");
                }
            }
        }
    }

    protected Buf buf(double[] values) {
        return new Buf(values);
    }

    protected static double[] random(long seed, int n, double lo, double hi) {
        Rng rng = new Rng(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.uniform(lo, hi);
        }
        return v;
    }

    /** Element-wise agreement within {@link #elementTolerance()}. */
    protected void assertElementsClose(String what, Buf b) {
        b.checkPadding(what);
        for (int i = 0; i < b.n; i++) {
            double c = b.c.get(i);
            double r = b.r.get(i);
            double tol = elementTolerance() * Math.max(Math.abs(r), 1.0);
            if (!(Math.abs(c - r) <= tol) && !(Double.isNaN(c) && Double.isNaN(r)) && c != r) {
                fail(what + ": element " + i + " of " + b.n + " is " + c + ", reference " + r);
            }
        }
    }

    /** Agreement of each element within tol·scale[i] (scale: Σ|terms| of that element). */
    protected void assertWithinScale(String what, Buf b, double[] scale, double tol) {
        b.checkPadding(what);
        for (int i = 0; i < b.n; i++) {
            double c = b.c.get(i);
            double r = b.r.get(i);
            if (!(Math.abs(c - r) <= tol * scale[i] + 1e-300)) {
                fail(what + ": element " + i + " of " + b.n + " is " + c + ", reference " + r + " (allowed " + tol * scale[i] + ")");
            }
        }
    }

    protected void assertSumClose(String what, double c, double r, double absSum, int n) {
        double tol = reductionTolerance(n) * absSum + 1e-300;
        if (!(Math.abs(c - r) <= tol) && !(Double.isNaN(c) && Double.isNaN(r))) {
            fail(what + " over " + n + ": " + c + ", reference " + r + " (allowed difference " + tol + ")");
        }
    }

    // ------------------------------------------------------------------ matrix products

    static Stream<Arguments> gemmShapes() {
        List<Arguments> list = new ArrayList<>();
        for (int s : SIZES) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    list.add(Arguments.of(s, 7, 17, ta, tb));
                    list.add(Arguments.of(5, s, 3, ta, tb));
                    list.add(Arguments.of(3, 9, s, ta, tb));
                }
            }
        }
        list.add(Arguments.of(64, 64, 64, false, true));
        list.add(Arguments.of(33, 65, 129, true, false));
        // several cache blocks in every dimension at once (blocked kernels use blocks of 144 rows and 256 of k)
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                list.add(Arguments.of(301, 67, 517, ta, tb));
                list.add(Arguments.of(150, 130, 260, ta, tb));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "gemm {0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("gemmShapes")
    void gemm(int m, int n, int k, boolean ta, boolean tb) {
        double[] av = random(m * 31L + n, m * k, -1, 1);
        double[] bv = random(k * 17L + m, k * n, -1, 1);
        double[] cv = random(n * 13L + k, m * n, -1, 1);
        for (double beta : new double[] {0.0, 1.0, 0.5}) {
            Buf a = buf(av), b = buf(bv), c = buf(cv);
            if (beta == 0) {
                for (int i = 0; i < m * n; i++) {
                    c.c.set(i, Double.NaN); // beta = 0 must ignore old contents
                }
            }
            candidate().gemm(ta, tb, m, n, k, 0.75, a.c, b.c, beta, c.c);
            reference().gemm(ta, tb, m, n, k, 0.75, a.r, b.r, beta, c.r);
            assertWithinScale("gemm beta=" + beta, c, productScale(ta, tb, m, n, k, av, bv, beta, cv), reductionTolerance(k) + 4 * epsilon());
        }
    }

    /** The scale of each entry of 0.75·op(A)·op(B) + β·C: 0.75·|A|·|B| + |β·C|, by the reference. */
    private double[] productScale(boolean ta, boolean tb, int m, int n, int k, double[] av, double[] bv, double beta, double[] cv) {
        Buf absA = buf(abs(av)), absB = buf(abs(bv));
        Vec scaleV = reference().allocate(m * n);
        reference().gemm(ta, tb, m, n, k, 0.75, absA.r, absB.r, 0, scaleV);
        double[] scale = scaleV.toDoubleArray();
        for (int i = 0; i < scale.length; i++) {
            scale[i] += Math.abs(beta * cv[i]) + 1e-30;
        }
        return scale;
    }

    static Stream<Arguments> stridedGemmShapes() {
        List<Arguments> list = new ArrayList<>();
        int[][] shapes = {{1, 1, 1}, {7, 17, 15}, {17, 31, 16}, {33, 65, 129}, {150, 130, 260}, {128, 40, 257}};
        for (int[] sh : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    list.add(Arguments.of(sh[0], sh[1], sh[2], ta, tb));
                }
            }
        }
        return list.stream();
    }

    /**
     * The product on blocks of wider matrices (leading dimensions beyond the row lengths): within the tolerance of the
     * reference, the same bits as the candidate's own contiguous product, and the elements between C's rows untouched.
     */
    @ParameterizedTest(name = "strided gemm {0}x{1}x{2} transA={3} transB={4}")
    @MethodSource("stridedGemmShapes")
    void stridedGemm(int m, int n, int k, boolean ta, boolean tb) {
        int ar = ta ? k : m, ac = ta ? m : k, br = tb ? n : k, bc = tb ? k : n;
        int lda = ac + 3, ldb = bc + 5, ldc = n + 2;
        double[] av = random(m * 7L + k, ar * ac, -1, 1);
        double[] bv = random(n * 5L + k, br * bc, -1, 1);
        double[] cv = random(m * 3L + n, m * n, -1, 1);
        for (double beta : new double[] {0.0, 1.0}) {
            Buf a = buf(spread(av, ar, ac, lda)), b = buf(spread(bv, br, bc, ldb)), c = buf(spread(cv, m, n, ldc));
            Buf ca = buf(av), cb = buf(bv), cc = buf(cv);
            candidate().gemm(ta, tb, m, n, k, 0.75, a.c, lda, b.c, ldb, beta, c.c, ldc);
            candidate().gemm(ta, tb, m, n, k, 0.75, ca.c, cb.c, beta, cc.c);
            reference().gemm(ta, tb, m, n, k, 0.75, ca.r, cb.r, beta, cc.r);
            assertWithinScale("contiguous gemm beta=" + beta, cc, productScale(ta, tb, m, n, k, av, bv, beta, cv),
                    reductionTolerance(k) + 4 * epsilon());
            c.checkPadding("strided gemm");
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < ldc && i * ldc + j < c.n; j++) {
                    double got = c.c.get(i * ldc + j);
                    double want = j < n ? cc.c.get(i * n + j) : SENTINEL;
                    if (Double.doubleToLongBits(got) != Double.doubleToLongBits(want)) {
                        fail("strided gemm beta=" + beta + ": C[" + i + "][" + j + "] is " + got + ", the contiguous product " + want);
                    }
                }
            }
        }
    }

    /** v (rows×cols) laid out with rows ld apart, the gaps holding the sentinel. */
    private static double[] spread(double[] v, int rows, int cols, int ld) {
        double[] s = new double[rows == 0 ? 0 : (rows - 1) * ld + cols];
        java.util.Arrays.fill(s, SENTINEL);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, r * cols, s, r * ld, cols);
        }
        return s;
    }

    static Stream<Arguments> denseShapes() {
        List<Arguments> list = new ArrayList<>();
        int[][] shapes = {{1, 1, 1}, {7, 17, 31}, {16, 33, 15}, {33, 65, 129}, {130, 40, 257}};
        for (Activation f : Activation.all()) {
            for (int[] sh : shapes) {
                list.add(Arguments.of(sh[0], sh[1], sh[2], f));
            }
        }
        return list.stream();
    }

    /**
     * The fused forward step: the same bits as the candidate's own product, bias add and activation apart, with and
     * without a bias, for whole rows and for a block of columns of a wider Z and A (the gaps untouched), and in place.
     */
    @ParameterizedTest(name = "denseForward {0}x{1}x{2} {3}")
    @MethodSource("denseShapes")
    void denseForward(int m, int n, int k, Activation f) {
        double[] yv = random(m * 13L + k, m * k, -1, 1);
        double[] wv = random(n * 11L + k, n * k, -1, 1);
        double[] bv = random(n * 3L + 1, n, -1, 1);
        for (boolean bias : new boolean[] {true, false}) {
            for (int ldz : new int[] {n, n + 3}) {
                Buf y = buf(yv), w = buf(wv), b = buf(bias ? bv : new double[0]);
                Vec zu = candidate().allocate(m * n), au = candidate().allocate(m * n);
                candidate().gemm(false, true, m, n, k, 1.0, y.c, w.c, 0.0, zu);
                if (bias) {
                    candidate().addRowVector(b.c, zu, m, n);
                }
                candidate().activate(f, zu, au, m, n);
                double[] nan = new double[m * n];
                java.util.Arrays.fill(nan, Double.NaN); // Z's old contents must be ignored
                Buf z = buf(spread(nan, m, n, ldz)), a = buf(spread(nan, m, n, ldz));
                candidate().denseForward(m, n, k, y.c, w.c, b.c, f, z.c, a.c, ldz);
                String what = "denseForward " + f.id() + (bias ? "" : " without bias") + " ldz=" + ldz;
                assertBlock(what + " Z", z, zu, m, n, ldz);
                assertBlock(what + " A", a, au, m, n, ldz);
                // in place: A is Z
                Buf za = buf(spread(nan, m, n, ldz));
                candidate().denseForward(m, n, k, y.c, w.c, b.c, f, za.c, za.c, ldz);
                assertBlock(what + " in place", za, au, m, n, ldz);
            }
        }
        // and Z against the reference
        Buf y = buf(yv), w = buf(wv), b = buf(bv), z = buf(new double[m * n]), a = buf(new double[m * n]);
        candidate().denseForward(m, n, k, y.c, w.c, b.c, f, z.c, a.c, n);
        reference().denseForward(m, n, k, y.r, w.r, b.r, f, z.r, a.r, n);
        double[] scale = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = Math.abs(bv[j]) + 1e-30;
                for (int p = 0; p < k; p++) {
                    s += Math.abs(yv[i * k + p] * wv[j * k + p]);
                }
                scale[i * n + j] = s;
            }
        }
        assertWithinScale("denseForward " + f.id() + " Z against the reference", z, scale, reductionTolerance(k) + 4 * epsilon());
    }

    /**
     * The delta handed down with the activation derivative fused: the same bits as the candidate's own product and
     * activation backward apart, and within tolerance of the reference.
     */
    @ParameterizedTest(name = "propagateDelta {0}x{1}x{2} {3}")
    @MethodSource("denseShapes")
    void propagateDelta(int m, int in, int out, Activation f) {
        double[] dv = random(m * 5L + out, m * out, -1, 1);
        double[] wv = random(in * 3L + out, out * in, -1, 1);
        double[] zv = random(m * 7L + in, m * in, -3, 3);
        Buf delta = buf(dv), w = buf(wv), z = buf(zv), a = buf(new double[m * in]);
        reference().activate(f, z.r, a.r, m, in);
        a.c.copyFrom(a.r, 0, 0, m * in); // the lower layer's A as the reference computes it, so only the backward differs
        Vec apart = candidate().allocate(m * in);
        candidate().gemm(false, false, m, in, out, 1.0, delta.c, w.c, 0.0, apart);
        candidate().activationBackward(f, z.c, a.c, apart, apart, m, in);
        double[] nan = new double[m * in];
        java.util.Arrays.fill(nan, Double.NaN); // dZ's old contents must be ignored
        Buf dz = buf(nan);
        candidate().propagateDelta(m, in, out, delta.c, w.c, f, z.c, a.c, dz.c);
        assertBlock("propagateDelta " + f.id(), dz, apart, m, in, in);
        Vec ref = reference().allocate(m * in);
        reference().propagateDelta(m, in, out, delta.r, w.r, f, z.r, a.r, ref);
        for (int i = 0; i < m * in; i++) {
            int r = i / in, c = i % in;
            double scale = 1e-30;
            for (int o = 0; o < out; o++) {
                scale += Math.abs(dv[r * out + o] * wv[o * in + c]);
            }
            // |f'| ≤ 1.13 for every activation here (GELU's largest slope), and softmax's Jacobian mixes a row's entries
            double bound = (reductionTolerance(out) + 16 * epsilon()) * (f instanceof Activation.Softmax ? 2 * scale * in : 1.2 * scale)
                    + elementTolerance() * Math.abs(ref.get(i));
            if (!(Math.abs(dz.c.get(i) - ref.get(i)) <= bound)) {
                fail("propagateDelta " + f.id() + ": element " + i + " is " + dz.c.get(i) + ", reference " + ref.get(i));
            }
        }
    }

    /** The block (rows ld apart) equals the contiguous m×n matrix bit for bit; the gaps and padding hold the sentinel. */
    private static void assertBlock(String what, Buf got, Vec want, int m, int n, int ld) {
        got.checkPadding(what);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ld && i * ld + j < got.n; j++) {
                double g = got.c.get(i * ld + j);
                double e = j < n ? want.get(i * n + j) : SENTINEL;
                if (Double.doubleToLongBits(g) != Double.doubleToLongBits(e)) {
                    fail(what + ": [" + i + "][" + j + "] is " + g + ", the steps apart give " + e);
                }
            }
        }
    }

    static Stream<Arguments> syrkShapes() {
        List<Arguments> list = new ArrayList<>();
        for (int s : SIZES) {
            list.add(Arguments.of(s, 7));
            list.add(Arguments.of(5, s));
        }
        list.add(Arguments.of(70, 65));
        list.add(Arguments.of(517, 301)); // several blocks of rows, columns and k
        list.add(Arguments.of(300, 150));
        return list.stream();
    }

    /** syrk against the reference's gemm(true, false) with A for both factors; the result is exactly symmetric. */
    @ParameterizedTest(name = "syrk {0}x{1}")
    @MethodSource("syrkShapes")
    void syrk(int m, int n) {
        double[] av = random(m * 37L + n, m * n, -1, 1);
        double[] cv = random(n * 11L + m, n * n, -1, 1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                cv[i * n + j] = cv[j * n + i]; // C starts symmetric, as a Gauss-Newton matrix does
            }
        }
        for (double beta : new double[] {0.0, 1.0, 0.5}) {
            Buf a = buf(av), c = buf(cv);
            if (beta == 0) {
                for (int i = 0; i < n * n; i++) {
                    c.c.set(i, Double.NaN);
                }
            }
            candidate().syrk(m, n, 0.75, a.c, beta, c.c);
            reference().gemm(true, false, n, n, m, 0.75, a.r, a.r, beta, c.r);
            Buf absA = buf(abs(av));
            Vec scaleV = reference().allocate(n * n);
            reference().gemm(true, false, n, n, m, 0.75, absA.r, absA.r, 0, scaleV);
            double[] scale = scaleV.toDoubleArray();
            for (int i = 0; i < scale.length; i++) {
                scale[i] += Math.abs(beta * cv[i]) + 1e-30;
            }
            assertWithinScale("syrk beta=" + beta, c, scale, reductionTolerance(m) + 4 * epsilon());
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    assertEquals(c.c.get(j * n + i), c.c.get(i * n + j), "syrk symmetric at " + i + "," + j);
                }
            }
        }
    }

    private static double[] abs(double[] v) {
        double[] a = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = Math.abs(v[i]);
        }
        return a;
    }

    @ParameterizedTest(name = "addRowVector rows={0}")
    @MethodSource("sizes")
    void addRowVector(int rows) {
        int cols = 7;
        Buf x = buf(random(rows, rows * cols, -2, 2));
        Buf row = buf(random(rows + 1, cols, -2, 2));
        candidate().addRowVector(row.c, x.c, rows, cols);
        reference().addRowVector(row.r, x.r, rows, cols);
        assertElementsClose("addRowVector", x);
    }

    @ParameterizedTest(name = "sumRows rows={0}")
    @MethodSource("sizes")
    void sumRows(int rows) {
        int cols = 5;
        double[] xv = random(rows, rows * cols, -2, 2);
        Buf x = buf(xv);
        Buf out = buf(random(rows + 2, cols, -1, 1));
        double[] outStart = out.r.toDoubleArray();
        Buf wide = buf(spread(xv, rows, cols, cols + 4)), outWide = buf(out.c.toDoubleArray());
        candidate().sumRows(0.5, x.c, rows, cols, out.c);
        reference().sumRows(0.5, x.r, rows, cols, out.r);
        candidate().sumRows(0.5, wide.c, rows, cols, cols + 4, outWide.c);
        for (int c = 0; c < cols; c++) {
            assertEquals(out.c.get(c), outWide.c.get(c), "sumRows with rows " + (cols + 4) + " apart, column " + c);
        }
        double[] scale = new double[cols];
        for (int c = 0; c < cols; c++) {
            scale[c] = Math.abs(outStart[c]) + 1e-30;
            for (int r = 0; r < rows; r++) {
                scale[c] += 0.5 * Math.abs(xv[r * cols + c]);
            }
        }
        assertWithinScale("sumRows", out, scale, reductionTolerance(rows) + 4 * epsilon());
    }

    @ParameterizedTest(name = "standardize rows={0}")
    @MethodSource("sizes")
    void standardize(int rows) {
        int cols = 6;
        Buf x = buf(random(rows * 3L, rows * cols, -50, 50));
        Buf center = buf(random(rows * 3L + 1, cols, -5, 5));
        Buf scale = buf(random(rows * 3L + 2, cols, 0.1, 20));
        candidate().standardize(x.c, center.c, scale.c, rows, cols);
        reference().standardize(x.r, center.r, scale.r, rows, cols);
        assertElementsClose("standardize", x);
    }

    @ParameterizedTest(name = "widenUnsignedBytes n={0}")
    @MethodSource("sizes")
    void widenUnsignedBytes(int n) {
        byte[] src = new byte[n + 5];
        Rng rng = new Rng(n * 7L);
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) rng.nextInt(256); // the upper half too: read as 128..255, not as negative bytes
        }
        src[3] = (byte) 0xff;
        Buf x = buf(new double[n + 1]);
        candidate().widenUnsignedBytes(src, 3, x.c, 1, n);
        reference().widenUnsignedBytes(src, 3, x.r, 1, n);
        for (int i = 0; i < n; i++) {
            assertEquals(src[3 + i] & 0xff, x.c.get(1 + i), "element " + i);
            assertEquals(x.r.get(1 + i), x.c.get(1 + i), "element " + i);
        }
        assertEquals(0.0, x.c.get(0), "before the window");
        x.checkPadding("widenUnsignedBytes");
        assertThrows(IndexOutOfBoundsException.class, () -> candidate().widenUnsignedBytes(src, 6, x.c, 1, n));
    }

    // ------------------------------------------------------------------ element-wise

    @ParameterizedTest(name = "vector ops n={0}")
    @MethodSource("sizes")
    void elementwise(int n) {
        double[] xv = random(n, n, -3, 3);
        double[] yv = random(n + 1, n, -3, 3);
        xv[0] = 0; // sign(0) = 0
        Buf x = buf(xv), y = buf(yv);
        candidate().axpy(-0.3, x.c, y.c);
        reference().axpy(-0.3, x.r, y.r);
        assertElementsClose("axpy", y);
        candidate().addSign(0.1, x.c, y.c);
        reference().addSign(0.1, x.r, y.r);
        assertElementsClose("addSign", y);
        candidate().scale(1.7, y.c);
        reference().scale(1.7, y.r);
        assertElementsClose("scale", y);
        candidate().clamp(y.c, -1.5, 2);
        reference().clamp(y.r, -1.5, 2);
        assertElementsClose("clamp", y);
        candidate().copy(x.c, y.c);
        reference().copy(x.r, y.r);
        assertElementsClose("copy", y);
        candidate().fill(y.c, 0.25);
        reference().fill(y.r, 0.25);
        assertElementsClose("fill", y);
    }

    @ParameterizedTest(name = "reductions n={0}")
    @MethodSource("sizes")
    void reductions(int n) {
        double[] xv = random(3 * n, n, -3, 3);
        double[] yv = random(3 * n + 1, n, -3, 3);
        double[] pv = random(3 * n + 2, n, 0, 1);
        pv[0] = 0; // 0·ln 0
        Buf x = buf(xv), y = buf(yv), p = buf(pv);
        double absXY = 0, absXX = 0, absX = 0, absD = 0, absP = 0;
        for (int i = 0; i < n; i++) {
            double xi = x.r.get(i), yi = y.r.get(i), pi = p.r.get(i);
            absXY += Math.abs(xi * yi);
            absXX += xi * xi;
            absX += Math.abs(xi);
            absD += (xi - yi) * (xi - yi);
            absP += Math.abs(pi == 0 ? 0 : pi * Math.log(pi)) + epsilon();
        }
        assertSumClose("dot", candidate().dot(x.c, y.c), reference().dot(x.r, y.r), absXY, n);
        assertSumClose("sumSquares", candidate().sumSquares(x.c), reference().sumSquares(x.r), absXX, n);
        assertSumClose("sumAbs", candidate().sumAbs(x.c), reference().sumAbs(x.r), absX, n);
        assertSumClose("sumSquaredDifference", candidate().sumSquaredDifference(x.c, y.c), reference().sumSquaredDifference(x.r, y.r), absD, n);
        assertSumClose("sumXLogX", candidate().sumXLogX(p.c), reference().sumXLogX(p.r), absP, n);
        assertEquals(reference().maxAbs(x.r), candidate().maxAbs(x.c), "maxAbs");
        x.c.set(n / 2, Double.NaN);
        if (!Double.isNaN(candidate().maxAbs(x.c))) {
            fail("maxAbs must be NaN when an element is NaN");
        }
        if (!Double.isNaN(candidate().sumSquares(x.c))) {
            fail("sumSquares must be NaN when an element is NaN");
        }
    }

    // ------------------------------------------------------------------ activations

    @ParameterizedTest(name = "activation {1} n={0}")
    @MethodSource("sizesAndActivations")
    void activations(int n, Activation f) {
        int cols = f instanceof Activation.Softmax ? Math.max(2, Math.min(n, 31)) : 3;
        int rows = Math.max(1, n / cols);
        int len = rows * cols;
        double[] zv = random(n * 7L, len, -12, 12);
        Buf z = buf(zv), a = buf(new double[len]), g = buf(random(n * 7L + 1, len, -1, 1)), d = buf(new double[len]);
        candidate().activate(f, z.c, a.c, rows, cols);
        reference().activate(f, z.r, a.r, rows, cols);
        assertElementsClose(f.id() + " forward", a);
        // backward on the reference's activations (so only the backward arithmetic differs)
        a.c.copyFrom(a.r, 0, 0, len);
        candidate().activationBackward(f, z.c, a.c, g.c, d.c, rows, cols);
        reference().activationBackward(f, z.r, a.r, g.r, d.r, rows, cols);
        assertElementsClose(f.id() + " backward", d);
        // in place: dZ aliasing dA
        candidate().activationBackward(f, z.c, a.c, g.c, g.c, rows, cols);
        reference().activationBackward(f, z.r, a.r, g.r, g.r, rows, cols);
        assertElementsClose(f.id() + " backward in place", g);
        assertEquals(reference().countSaturated(f, z.r, a.r, rows, cols), candidate().countSaturated(f, z.c, a.c, rows, cols),
                1 + len / 100, f.id() + " countSaturated");
        if (f instanceof Activation.Softmax) { // a NaN logit makes its row NaN, and only its row
            z.c.set(len - 1, Double.NaN);
            candidate().activate(f, z.c, a.c, rows, cols);
            for (int c = 0; c < cols; c++) {
                assertTrue(Double.isNaN(a.c.get(len - cols + c)), "softmax of a row with a NaN: element " + c + " is " + a.c.get(len - cols + c));
            }
            for (int i = 0; i < len - cols; i++) {
                assertEquals(a.r.get(i), a.c.get(i), elementTolerance() * Math.max(1, Math.abs(a.r.get(i))), "softmax, rows without a NaN");
            }
        }
    }

    /** Softmax and its cross-entropy on two rows of n logits each: rows as wide as every edge size. */
    @ParameterizedTest(name = "softmax rows of {0}")
    @MethodSource("sizes")
    void softmaxWideRows(int n) {
        int cols = Math.max(2, n);
        int len = 2 * cols;
        Buf z = buf(random(n * 3L, len, -12, 12)), a = buf(new double[len]);
        double[] yv = new double[len];
        yv[n / 3] = 1; // one-hot targets
        yv[cols + cols - 1] = 1;
        Buf y = buf(yv);
        candidate().activate(Activation.softmax(), z.c, a.c, 2, cols);
        reference().activate(Activation.softmax(), z.r, a.r, 2, cols);
        assertElementsClose("softmax forward", a);
        assertSumClose("softmaxCrossEntropy", candidate().softmaxCrossEntropy(z.c, y.c, 2, cols),
                reference().softmaxCrossEntropy(z.r, y.r, 2, cols), 2 * 24, cols);
    }

    @ParameterizedTest(name = "activation R-backward {1} n={0}")
    @MethodSource("sizesAndActivations")
    void activationRBackward(int n, Activation f) {
        int cols = f instanceof Activation.Softmax ? Math.max(2, Math.min(n, 31)) : 3;
        int rows = Math.max(1, n / cols);
        int len = rows * cols;
        Buf z = buf(random(n * 5L, len, -6, 6)), a = buf(new double[len]);
        reference().activate(f, z.r, a.r, rows, cols);
        a.c.copyFrom(a.r, 0, 0, len);
        Buf rz = buf(random(n * 5L + 1, len, -1, 1)), g = buf(random(n * 5L + 2, len, -1, 1)), rg = buf(random(n * 5L + 3, len, -1, 1));
        Buf out = buf(new double[len]);
        candidate().activationRBackward(f, z.c, a.c, rz.c, g.c, rg.c, out.c, rows, cols);
        reference().activationRBackward(f, z.r, a.r, rz.r, g.r, rg.r, out.r, rows, cols);
        assertElementsClose(f.id() + " R-backward", out);
    }

    @ParameterizedTest(name = "cost Hessian-vector {1} n={0}")
    @MethodSource("sizesAndCosts")
    void costHessianVector(int n, Cost cost) {
        int cols = 3;
        int rows = Math.max(1, n / cols);
        int len = rows * cols;
        Buf a = buf(random(n * 13L, len, 0.05, 0.95)), y = buf(random(n * 13L + 1, len, 0.05, 0.95));
        Buf u = buf(random(n * 13L + 2, len, -1, 1)), out = buf(new double[len]);
        candidate().costHessianVector(cost, a.c, y.c, u.c, 0.5, out.c, rows, cols);
        reference().costHessianVector(cost, a.r, y.r, u.r, 0.5, out.r, rows, cols);
        assertElementsClose(cost.id() + " Hessian-vector", out);
    }

    @ParameterizedTest(name = "second-order helpers n={0}")
    @MethodSource("sizes")
    void secondOrderHelpers(int n) {
        int cols = 4;
        Buf x = buf(random(n * 17L, n * cols, -2, 2)), y = buf(random(n * 17L + 1, n * cols, 0, 1)), out = buf(new double[n * cols]);
        candidate().scaleRowsBySum(x.c, y.c, 0.25, out.c, n, cols);
        reference().scaleRowsBySum(x.r, y.r, 0.25, out.r, n, cols);
        assertElementsClose("scaleRowsBySum", out);
        int in = 3;
        int width = cols * in + cols;
        int stride = width + 5;
        Buf delta = buf(random(n * 17L + 2, n * cols, -1, 1)), inputs = buf(random(n * 17L + 3, n * in, -1, 1));
        Buf jac = buf(new double[n * stride]);
        candidate().jacobianRows(delta.c, inputs.c, n, cols, in, true, jac.c, stride, 2);
        reference().jacobianRows(delta.r, inputs.r, n, cols, in, true, jac.r, stride, 2);
        assertElementsClose("jacobianRows", jac);
    }

    static Stream<Integer> choleskySizes() {
        return Stream.of(1, 2, 7, 15, 16, 17, 31, 33, 129, 255, 257);
    }

    /**
     * Cholesky of a well-conditioned symmetric positive definite A = BᵀB/n + I, and of A − 1.2I + shift·I with a
     * shift that restores definiteness: the factor R (A = RᵀR) matches the reference's within a tolerance scaled to
     * n, its lower triangle is exactly zero, RᵀR reproduces A, and a matrix that is not positive definite is
     * refused.
     */
    @ParameterizedTest(name = "cholesky n={0}")
    @MethodSource("choleskySizes")
    void cholesky(int n) {
        double[] bv = random(n * 41L, n * n, -1, 1);
        double[] av = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += bv[p * n + i] * bv[p * n + j];
                }
                av[i * n + j] = s / n + (i == j ? 1 : 0);
            }
        }
        for (double shift : new double[] {0.0, 0.5}) {
            double[] shifted = av.clone();
            for (int i = 0; i < n; i++) {
                shifted[i * n + i] -= shift == 0 ? 0 : 1.2; // shift 0.5 then makes the diagonal 1 - 1.2 + 0.5 > 0
            }
            Buf a = buf(shifted), l = buf(random(n * 43L, n * n, -1, 1));
            boolean okC = candidate().cholesky(n, shift, a.c, l.c);
            boolean okR = reference().cholesky(n, shift, a.r, l.r);
            assertEquals(okR, okC, "cholesky: positive definite according to the reference, n=" + n + " shift=" + shift);
            if (okR) {
                double[] scale = new double[n * n];
                java.util.Arrays.fill(scale, 1.0);
                assertWithinScale("cholesky R", l, scale, 64 * n * epsilon());
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < i; j++) {
                        assertEquals(0.0, l.c.get(i * n + j), "cholesky: R's lower triangle at " + i + "," + j);
                    }
                }
            }
            a.checkPadding("cholesky A");
            if (okC) {
                for (int i = 0; i < n; i += Math.max(1, n / 7)) { // RᵀR = A + shift·I on a sample of entries
                    for (int j = i; j < n; j += Math.max(1, n / 5)) {
                        double s = 0;
                        for (int p = 0; p <= i; p++) {
                            s += l.c.get(p * n + i) * l.c.get(p * n + j);
                        }
                        double want = shifted[i * n + j] + (i == j ? shift : 0);
                        assertEquals(want, s, 64 * n * epsilon() * 4, "cholesky: (RᵀR)[" + i + "][" + j + "]");
                    }
                }
            }
        }
        double[] notPd = new double[n * n];
        for (int i = 0; i < n; i++) {
            notPd[i * n + i] = i == n / 2 ? -1 : 1;
        }
        Buf a = buf(notPd), l = buf(new double[n * n]);
        assertEquals(false, candidate().cholesky(n, 0.0, a.c, l.c), "cholesky must refuse an indefinite matrix");
        assertEquals(false, candidate().cholesky(n, Double.NaN, a.c, l.c), "cholesky must refuse a NaN shift");
    }

    // ------------------------------------------------------------------ costs

    @ParameterizedTest(name = "cost {1} n={0}")
    @MethodSource("sizesAndCosts")
    void costs(int n, Cost cost) {
        int cols = 3;
        int rows = Math.max(1, n / cols);
        int len = rows * cols;
        double[] av = random(n * 11L, len, 0.05, 0.95);
        double[] yv = random(n * 11L + 1, len, 0.05, 0.95);
        if (!(cost instanceof Cost.ItakuraSaito)) {
            yv[0] = 0; // the 0·ln 0 cases
        }
        Buf a = buf(av), y = buf(yv), d = buf(new double[len]);
        double c = candidate().cost(cost, a.c, y.c, rows, cols);
        double r = reference().cost(cost, a.r, y.r, rows, cols);
        assertSumClose(cost.id() + " value", c, r, Math.abs(r) + len * 1e-3 * epsilon() + rows * epsilon() * 10, len);
        candidate().costGradient(cost, a.c, y.c, 0.5, d.c, rows, cols);
        reference().costGradient(cost, a.r, y.r, 0.5, d.r, rows, cols);
        assertElementsClose(cost.id() + " gradient", d);
    }

    @ParameterizedTest(name = "fused output forms n={0}")
    @MethodSource("sizes")
    void fusedForms(int n) {
        int cols = Math.max(2, Math.min(n, 17));
        int rows = Math.max(1, n / cols);
        int len = rows * cols;
        double[] zv = random(n * 5L, len, -30, 30);
        double[] yv = random(n * 5L + 1, len, 0, 1);
        Buf z = buf(zv), y = buf(yv), a = buf(new double[len]), d = buf(new double[len]);
        double absY = 0;
        for (double v : yv) {
            absY += Math.abs(v) * 70;
        }
        assertSumClose("softmaxCrossEntropy", candidate().softmaxCrossEntropy(z.c, y.c, rows, cols),
                reference().softmaxCrossEntropy(z.r, y.r, rows, cols), absY, cols);
        assertSumClose("sigmoidBinaryCrossEntropy", candidate().sigmoidBinaryCrossEntropy(z.c, y.c),
                reference().sigmoidBinaryCrossEntropy(z.r, y.r), absY, len);
        reference().activate(Activation.softmax(), z.r, a.r, rows, cols);
        a.c.copyFrom(a.r, 0, 0, len);
        candidate().softmaxCrossEntropyDelta(a.c, y.c, 0.25, d.c, rows, cols);
        reference().softmaxCrossEntropyDelta(a.r, y.r, 0.25, d.r, rows, cols);
        assertElementsClose("softmaxCrossEntropyDelta", d);
        candidate().scaledDifference(0.25, a.c, y.c, d.c);
        reference().scaledDifference(0.25, a.r, y.r, d.r);
        assertElementsClose("scaledDifference", d);
    }

    @ParameterizedTest(name = "metrics n={0}")
    @MethodSource("sizes")
    void metrics(int n) {
        int cols = 4;
        Buf a = buf(random(n * 3L, n * cols, 0, 1)), y = buf(random(n * 3L + 1, n * cols, 0, 1));
        assertEquals(reference().argmaxMatches(a.r, y.r, n, cols), candidate().argmaxMatches(a.c, y.c, n, cols), "argmaxMatches");
        assertEquals(reference().thresholdMatches(a.r, y.r, 0.5), candidate().thresholdMatches(a.c, y.c, 0.5), "thresholdMatches");
    }

    // ------------------------------------------------------------------ optimizer updates

    @ParameterizedTest(name = "optimizer updates n={0}")
    @MethodSource("sizes")
    void optimizerUpdates(int n) {
        for (int variant = 0; variant < 3; variant++) {
            Buf p = buf(random(n * 13L + variant, n, -1, 1)), g = buf(random(n * 13L + 5 + variant, n, -1, 1));
            Buf s1 = buf(random(n * 13L + 9, n, -0.5, 0.5)), s2 = buf(random(n * 13L + 10, n, 0.01, 0.5));
            Buf s3 = buf(random(n * 13L + 11, n, -0.5, 0.5));
            switch (variant) {
                case 0 -> {
                    candidate().momentumStep(p.c, g.c, s1.c, 0.1, 0.9, 0.1, false, false);
                    reference().momentumStep(p.r, g.r, s1.r, 0.1, 0.9, 0.1, false, false);
                    candidate().momentumStep(p.c, g.c, s3.c, 0.1, 0.9, 0, true, true);
                    reference().momentumStep(p.r, g.r, s3.r, 0.1, 0.9, 0, true, true);
                    candidate().adamStep(p.c, g.c, s1.c, s2.c, 1e-2, 0.9, 0.999, 1e-8, 0.19, 0.002);
                    reference().adamStep(p.r, g.r, s1.r, s2.r, 1e-2, 0.9, 0.999, 1e-8, 0.19, 0.002);
                }
                case 1 -> {
                    candidate().rmspropStep(p.c, g.c, s2.c, s1.c, s3.c, 1e-2, 0.99, 1e-8, 0.9);
                    reference().rmspropStep(p.r, g.r, s2.r, s1.r, s3.r, 1e-2, 0.99, 1e-8, 0.9);
                    candidate().rmspropStep(p.c, g.c, s2.c, null, null, 1e-2, 0.99, 1e-8, 0);
                    reference().rmspropStep(p.r, g.r, s2.r, null, null, 1e-2, 0.99, 1e-8, 0);
                    candidate().rmspropStep(p.c, g.c, s2.c, null, s3.c, 1e-2, 0.99, 1e-8, 0.9);
                    reference().rmspropStep(p.r, g.r, s2.r, null, s3.r, 1e-2, 0.99, 1e-8, 0.9);
                }
                default -> {
                    candidate().rpropStep(p.c, g.c, s1.c, s2.c, 0.5, 1.2, 1e-6, 50);
                    reference().rpropStep(p.r, g.r, s1.r, s2.r, 0.5, 1.2, 1e-6, 50);
                    candidate().quickpropStep(p.c, g.c, s3.c, s1.c, 0.7, 1.75);
                    reference().quickpropStep(p.r, g.r, s3.r, s1.r, 0.7, 1.75);
                }
            }
            assertElementsClose("optimizer update variant " + variant + " parameters", p);
            assertElementsClose("optimizer update variant " + variant + " state 1", s1);
            assertElementsClose("optimizer update variant " + variant + " state 2", s2);
            assertElementsClose("optimizer update variant " + variant + " state 3", s3);
        }
    }
    /**
     * Adam stores a moment that falls below the smallest normal number of the precision as 0 (see
     * {@link Kernels#adamStep}), in the candidate and in its scalar twin alike; moments that stay normal are kept.
     */
    @ParameterizedTest(name = "adam flushes subnormal moments n={0}")
    @MethodSource("sizes")
    void adamFlushesSubnormalMoments(int n) {
        double tiny = candidate().precision() == Precision.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        double[] m0 = new double[n], v0 = new double[n], g0 = new double[n];
        for (int i = 0; i < n; i++) {
            switch (i % 4) {
                case 0 -> { // β₁·m and β₂·v fall just below the smallest normal number
                    m0[i] = (i % 8 == 0 ? 1.05 : -1.05) * tiny;
                    v0[i] = 1.0005 * tiny;
                }
                case 1 -> { // they stay normal
                    m0[i] = -2 * tiny;
                    v0[i] = 2 * tiny;
                }
                case 2 -> { // already subnormal (state saved by an older version)
                    m0[i] = tiny / 4;
                    v0[i] = tiny / 4;
                }
                default -> {
                    m0[i] = 0.1;
                    v0[i] = 0.01;
                    g0[i] = 0.5;
                }
            }
        }
        for (Kernels k : new Kernels[] {candidate(), Kernels.scalar(candidate().precision())}) {
            Vec p = k.allocate(n), g = k.allocate(n), m = k.allocate(n), v = k.allocate(n);
            g.copyFrom(g0, 0, 0, n);
            m.copyFrom(m0, 0, 0, n);
            v.copyFrom(v0, 0, 0, n);
            k.adamStep(p, g, m, v, 1e-3, 0.9, 0.999, 1e-8, 0.5, 0.01);
            for (int i = 0; i < n; i++) {
                double mi = m.get(i), vi = v.get(i);
                String at = k.name() + " adamStep, element " + i + " of " + n + ": ";
                switch (i % 4) {
                    case 0, 2 -> {
                        assertEquals(0.0, mi, at + "m");
                        assertEquals(0.0, vi, at + "v");
                    }
                    case 1 -> {
                        assertEquals(-1.8 * tiny, mi, 1e-6 * tiny, at + "m");
                        assertEquals(1.998 * tiny, vi, 1e-6 * tiny, at + "v");
                    }
                    default -> {
                        assertEquals(0.14, mi, 1e-6, at + "m");
                        assertEquals(0.999 * 0.01 + 0.001 * 0.25, vi, 1e-6, at + "v");
                    }
                }
                if (!Double.isFinite(p.get(i))) {
                    fail(at + "θ is " + p.get(i));
                }
            }
        }
    }
    /** Momentum's and RMSprop's decaying buffers flush like Adam's moments, in the candidate and its scalar twin. */
    @ParameterizedTest(name = "momentum and rmsprop flush subnormal state n={0}")
    @MethodSource("sizes")
    void momentumAndRmspropFlushSubnormalState(int n) {
        double tiny = candidate().precision() == Precision.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        for (Kernels k : new Kernels[] {candidate(), Kernels.scalar(candidate().precision())}) {
            Vec p = k.allocate(n), g = k.allocate(n), buf = k.allocate(n), v = k.allocate(n), avg = k.allocate(n), rbuf = k.allocate(n);
            for (int i = 0; i < n; i++) {
                double s = i % 2 == 0 ? 1.05 : 3; // β·state falls below the smallest normal number for even i only
                buf.set(i, (i % 4 == 0 ? -s : s) * tiny);
                v.set(i, s * tiny);
                avg.set(i, (i % 4 == 0 ? -s : s) * tiny);
                rbuf.set(i, (i % 4 == 0 ? -s : s) * tiny);
            }
            k.momentumStep(p, g, buf, 0.1, 0.9, 0, false, false);
            k.rmspropStep(p, g, v, avg, rbuf, 0.01, 0.9, 1e-8, 0.9);
            for (int i = 0; i < n; i++) {
                String at = k.name() + ", element " + i + " of " + n + ": ";
                if (i % 2 == 0) {
                    assertEquals(0.0, buf.get(i), at + "momentum buffer");
                    assertEquals(0.0, v.get(i), at + "rmsprop v");
                    assertEquals(0.0, avg.get(i), at + "rmsprop gAvg");
                    assertEquals(0.0, rbuf.get(i), at + "rmsprop buffer");
                } else {
                    assertEquals(2.7 * tiny, Math.abs(buf.get(i)), 1e-6 * tiny, at + "momentum buffer");
                    assertEquals(2.7 * tiny, v.get(i), 1e-6 * tiny, at + "rmsprop v");
                    assertEquals(2.7 * tiny, Math.abs(avg.get(i)), 1e-6 * tiny, at + "rmsprop gAvg");
                    assertEquals(2.7 * tiny, Math.abs(rbuf.get(i)), 1e-6 * tiny, at + "rmsprop buffer");
                }
                if (!Double.isFinite(p.get(i))) {
                    fail(at + "θ is " + p.get(i));
                }
            }
        }
    }
}
