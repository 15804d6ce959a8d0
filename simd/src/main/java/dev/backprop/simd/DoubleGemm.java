package dev.backprop.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision GEMM: the float64 twin of {@link FloatGemm}, line for line (see there for the method, its
 * sources and the blocking), with a tile of 8 rows × 2 vectors of 8 doubles on AVX-512 (4 × 2 on AVX2). The
 * float64 path is where the second-order methods spend their time: Levenberg–Marquardt's JᵀJ is a
 * {@code LOWER} product of this class and the bulk of its Cholesky factorisation an {@code UPPER} one. Both twins are tested against the scalar reference by the kernel
 * conformance suite; keep them in step.
 */
final class DoubleGemm {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = L >= 8 ? 8 : 4;
    static final int NR = 2 * L;
    /** Vectors of MR lanes, for copying one k-slice of an A panel. */
    static final VectorSpecies<Double> SA = VectorSpecies.of(double.class, jdk.incubator.vector.VectorShape.forBitSize(MR * 64));
    static final int KC = 256;
    static final int MC = 144;
    static final int NC = 2048;
    /**
     * Products with at most this many columns (512 bytes of a row of C, as in {@link FloatGemm#DIRECT_N}, where it was
     * measured) read A in place ({@link #kernel8Direct}, {@link #kernel4Direct}).
     */
    static final int DIRECT_N = 64;

    private DoubleGemm() {
    }

    /** Packing buffers of one thread, allocated on its first product and reused (no allocation per call). */
    private static final class Work {
        final double[] a = new double[MC * KC];
        final double[] b = new double[KC * NC];
        final double[] tile = new double[MR * NR];
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /** Every tile of C is computed. */
    static final int ALL = 0;
    /** Only tiles that reach C's lower triangle (with the diagonal) are computed: syrk's JᵀJ. */
    static final int LOWER = 1;
    /** Only tiles that reach C's upper triangle (with the diagonal) are computed: the Cholesky trailing update. */
    static final int UPPER = 2;

    /**
     * C = α·op(A)·op(B) + β·C; C is m×n at {@code co}, A is m×k (k×m when transA) at {@code ao}, B is k×n (n×k
     * when transB) at {@code bo}, all contiguous. With β = 0, C's old contents are never read.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int ao, double[] b, int bo,
            double beta, double[] c, int co, int triangle) {
        gemm(transA, transB, m, n, k, alpha, a, ao, transA ? m : k, b, bo, transB ? k : n, beta, c, co, n, triangle);
    }

    /**
     * The same on sub-matrices: consecutive rows of A, B and C are {@code lda}, {@code ldb} and {@code ldc} apart.
     * With {@code triangle} LOWER (UPPER), tiles wholly above (below) C's diagonal are skipped; entries of the other
     * triangle that share a tile with the diagonal are written too.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int ao, int lda, double[] b, int bo,
            int ldb, double beta, double[] c, int co, int ldc, int triangle) {
        run(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, triangle, null, 0, PLAIN, null, 0);
    }

    /** No epilogue: C is the product. */
    static final int PLAIN = 0;
    /** The epilogue adds the bias (if any) and stops there. */
    static final int IDENTITY = 1;
    /** The epilogue adds the bias (if any) and writes max(z, 0) to the activations. */
    static final int RELU = 2;
    /** The epilogue multiplies the tile of dY = Δ·W by ReLU's derivative from its output: dZ = dY where A &gt; 0, else 0. */
    static final int RELU_BACK = 5;
    /** The epilogue multiplies by tanh's derivative from its output: dZ = dY·(1 − A²). */
    static final int TANH_BACK = 6;
    /** The epilogue multiplies by the sigmoid's derivative from its output: dZ = dY·(A·(1 − A)). */
    static final int SIGMOID_BACK = 7;

    /**
     * A dense layer's forward step, Z = Y·Wᵀ + 1·bᵀ and A = f(Z), with the bias and f applied to each MR×NR tile of Z
     * right after its last block of k is added, while the tile is in the L1 cache (the GEMM epilogue). Y (m×k) and
     * W (n×k) are contiguous; Z and A have rows {@code ldz} apart; {@code bias} is null for a layer without one;
     * {@code act} is IDENTITY, RELU; A may be Z. Every element gets the same operations, in the same order, as
     * the product, then the bias add, then the activation in separate passes: the same bits.
     */
    static void dense(int m, int n, int k, double[] y, int yo, double[] w, int wo, double[] bias, int bo, int act, double[] z, int zo, double[] out,
            int ao, int ldz) {
        int ld = Math.max(1, k);
        run(false, true, m, n, k, 1.0, y, yo, ld, w, wo, ld, 0.0, z, zo, ldz, ALL, bias, bo, act, out, ao);
    }

    /**
     * The delta handed down through a dense layer: dZ = f'·(Δ·W) with the lower layer's activation derivative applied
     * to each tile of dZ right after it is stored ({@code act} RELU_BACK, TANH_BACK or
     * SIGMOID_BACK with A). Δ is m×n, W is n×k, Z or A and dZ are m×k, all contiguous. The same operations, in the
     * same order, as the product and then the activation kernel's backward: the same bits.
     */
    static void propagate(int m, int k, int n, double[] delta, int deltaOffset, double[] w, int wo, int act, double[] aux, int auxOffset,
            double[] dz, int dzo) {
        run(false, false, m, k, n, 1.0, delta, deltaOffset, Math.max(1, n), w, wo, Math.max(1, k), 0.0, dz, dzo, Math.max(1, k), ALL,
                null, 0, act, aux, auxOffset);
    }

    private static void run(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int ao, int lda, double[] b, int bo,
            int ldb, double beta, double[] c, int co, int ldc, int triangle, double[] bias, int biasOffset, int act, double[] out, int outOffset) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scale(m, n, beta, c, co, ldc, triangle);
            if (act != PLAIN) {
                for (int i = 0; i < m; i += MR) {
                    for (int j = 0; j < n; j += NR) {
                        epilogue(c, co + i * ldc + j, ldc, Math.min(MR, m - i), Math.min(NR, n - j), bias, biasOffset + j, act, out,
                                outOffset + i * ldc + j);
                    }
                }
            }
            return;
        }
        Work w = WORK.get();
        double[] pa = w.a, pb = w.b;
        // k is cut into equal blocks of at most KC (784 = 4 × 196, not 3 × 256 + 16: a thin last block costs a whole
        // pass over C for little work)
        int kBlocks = (k + KC - 1) / KC;
        int kStep = (k + kBlocks - 1) / kBlocks;
        // A read in place, not packed, when its rows meet few panels of B: packing would cost more than it saves
        boolean direct = !transA && n <= DIRECT_N;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kStep) {
                int kc = Math.min(kStep, k - pc);
                double betaNow = pc == 0 ? beta : 1.0;
                int icStart = triangle == LOWER ? jc / MR * MR : 0; // rows above the block's first column have no lower part
                packB(transB, b, bo, ldb, pc, kc, jc, nc, pb);
                for (int ic = icStart; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (!direct) {
                        packA(transA, a, ao, lda, ic, mc, pc, kc, pa);
                    }
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int row = ic + ir, col = jc + jr;
                            if (triangle == LOWER && col > row + mr - 1 || triangle == UPPER && col + nr - 1 < row) {
                                continue;
                            }
                            int ci = co + row * ldc + col;
                            if (direct && MR == 8) {
                                kernel8Direct(kc, a, ao + row * lda + pc, lda, pb, jr * kc, c, ci, ldc, mr, nr, alpha, betaNow, w.tile);
                            } else if (direct) {
                                kernel4Direct(kc, a, ao + row * lda + pc, lda, pb, jr * kc, c, ci, ldc, mr, nr, alpha, betaNow, w.tile);
                            } else if (MR == 8) {
                                kernel8(kc, pa, ir * kc, pb, jr * kc, c, ci, ldc, mr, nr, alpha, betaNow, w.tile);
                            } else {
                                kernel4(kc, pa, ir * kc, pb, jr * kc, c, ci, ldc, mr, nr, alpha, betaNow, w.tile);
                            }
                            if (act != PLAIN && pc + kc >= k) {
                                epilogue(c, ci, ldc, mr, nr, bias, biasOffset + col, act, out, outOffset + row * ldc + col);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The epilogue of one mr×nr tile of Z at {@code ci} (rows {@code ldc} apart), just stored and still in the L1
     * cache: Z += b, then A = f(Z) at {@code ai}. Each row is taken in whole vectors and a last partial one under a
     * mask, as the activation kernels take a row, so an element's value does not depend on where the tiles fall.
     * One small method per step: C2 inlines each, and a vector never crosses a call or a branch (it would be boxed).
     */
    private static void epilogue(double[] c, int ci, int ldc, int mr, int nr, double[] bias, int bi, int act, double[] a, int ai) {
        if (act >= RELU_BACK) { // a backward step: a is the lower layer's Z (ReLU) or A, with C's layout
            switch (act) {
                case RELU_BACK -> reluBackTile(c, ci, ldc, mr, nr, a, ai);
                case TANH_BACK -> tanhBackTile(c, ci, ldc, mr, nr, a, ai);
                default -> sigmoidBackTile(c, ci, ldc, mr, nr, a, ai);
            }
            return;
        }
        if (bias != null) {
            biasTile(c, ci, ldc, mr, nr, bias, bi);
        }
        if (act == IDENTITY && a == c && ai == ci) {
            return;
        }
        if (act == RELU) {
            reluTile(c, ci, ldc, mr, nr, a, ai);
        } else {
            for (int i = 0; i < mr; i++) {
                System.arraycopy(c, ci + i * ldc, a, ai + i * ldc, nr);
            }
        }
    }

    /**
     * dZ = dY where A &gt; 0, else 0, over a tile (x is A = max(Z, 0), positive exactly where Z is): the ReLU kernel's
     * backward, which tests Z. Testing A reads the activations the forward step of the layer above has just read
     * instead of Z, which on several threads is half in the other core's cache.
     */
    private static void reluBackTile(double[] c, int ci, int ldc, int mr, int nr, double[] x, int xi) {
        for (int i = 0; i < mr; i++) {
            int gi = ci + i * ldc, si = xi + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                DoubleVector g = DoubleVector.fromArray(S, c, gi + j);
                DoubleVector s = DoubleVector.fromArray(S, x, si + j);
                DoubleVector.zero(S).blend(g, s.compare(VectorOperators.GT, 0.0)).intoArray(c, gi + j);
            }
            if (j < nr) {
                VectorMask<Double> in = S.indexInRange(j, nr);
                DoubleVector g = DoubleVector.fromArray(S, c, gi + j, in);
                DoubleVector s = DoubleVector.fromArray(S, x, si + j, in);
                DoubleVector.zero(S).blend(g, s.compare(VectorOperators.GT, 0.0)).intoArray(c, gi + j, in);
            }
        }
    }

    /** dZ = dY·(1 − A²) over a tile (x is A): as the tanh kernel's backward. */
    private static void tanhBackTile(double[] c, int ci, int ldc, int mr, int nr, double[] x, int xi) {
        for (int i = 0; i < mr; i++) {
            int gi = ci + i * ldc, si = xi + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                DoubleVector g = DoubleVector.fromArray(S, c, gi + j);
                DoubleVector s = DoubleVector.fromArray(S, x, si + j);
                g.mul(DoubleVector.broadcast(S, 1.0).sub(s.mul(s))).intoArray(c, gi + j);
            }
            if (j < nr) {
                VectorMask<Double> in = S.indexInRange(j, nr);
                DoubleVector g = DoubleVector.fromArray(S, c, gi + j, in);
                DoubleVector s = DoubleVector.fromArray(S, x, si + j, in);
                g.mul(DoubleVector.broadcast(S, 1.0).sub(s.mul(s))).intoArray(c, gi + j, in);
            }
        }
    }

    /** dZ = dY·(A·(1 − A)) over a tile (x is A): as the sigmoid kernel's backward. */
    private static void sigmoidBackTile(double[] c, int ci, int ldc, int mr, int nr, double[] x, int xi) {
        for (int i = 0; i < mr; i++) {
            int gi = ci + i * ldc, si = xi + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                DoubleVector g = DoubleVector.fromArray(S, c, gi + j);
                DoubleVector s = DoubleVector.fromArray(S, x, si + j);
                g.mul(s.mul(DoubleVector.broadcast(S, 1.0).sub(s))).intoArray(c, gi + j);
            }
            if (j < nr) {
                VectorMask<Double> in = S.indexInRange(j, nr);
                DoubleVector g = DoubleVector.fromArray(S, c, gi + j, in);
                DoubleVector s = DoubleVector.fromArray(S, x, si + j, in);
                g.mul(s.mul(DoubleVector.broadcast(S, 1.0).sub(s))).intoArray(c, gi + j, in);
            }
        }
    }

    /** Z += b over a tile. */
    private static void biasTile(double[] c, int ci, int ldc, int mr, int nr, double[] bias, int bi) {
        for (int i = 0; i < mr; i++) {
            int zi = ci + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                DoubleVector.fromArray(S, c, zi + j).add(DoubleVector.fromArray(S, bias, bi + j)).intoArray(c, zi + j);
            }
            if (j < nr) {
                VectorMask<Double> in = S.indexInRange(j, nr);
                DoubleVector.fromArray(S, c, zi + j, in).add(DoubleVector.fromArray(S, bias, bi + j, in)).intoArray(c, zi + j, in);
            }
        }
    }

    /** A = max(Z, 0) over a tile. */
    private static void reluTile(double[] c, int ci, int ldc, int mr, int nr, double[] a, int ai) {
        for (int i = 0; i < mr; i++) {
            int zi = ci + i * ldc, oi = ai + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                DoubleVector.fromArray(S, c, zi + j).max(0.0).intoArray(a, oi + j);
            }
            if (j < nr) {
                VectorMask<Double> in = S.indexInRange(j, nr);
                DoubleVector.fromArray(S, c, zi + j, in).max(0.0).intoArray(a, oi + j, in);
            }
        }
    }

    private static void scale(int m, int n, double beta, double[] c, int co, int ldc, int triangle) {
        for (int i = 0; i < m; i++) {
            int start = triangle == UPPER ? Math.min(n, i) : 0;
            int end = triangle == LOWER ? Math.min(n, i + 1) : n;
            for (int j = start; j < end; j++) {
                c[co + i * ldc + j] = beta == 0 ? 0.0 : beta * c[co + i * ldc + j];
            }
        }
    }

    /** Packs rows [ic, ic+mc) × columns [pc, pc+kc) of op(A) into MR-row panels, k-major, zero-padded. */
    static void packA(boolean trans, double[] a, int ao, int lda, int ic, int mc, int pc, int kc, double[] pa) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (trans) {
                // op(A)(i, p) = A[p][i]: MR consecutive floats per k
                for (int p = 0; p < kc; p++) {
                    int src = ao + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    if (mr == MR) {
                        DoubleVector.fromArray(SA, a, src).intoArray(pa, dst);
                        continue;
                    }
                    for (int i = 0; i < mr; i++) {
                        pa[dst + i] = a[src + i];
                    }
                    for (int i = mr; i < MR; i++) {
                        pa[dst + i] = 0.0;
                    }
                }
            } else if (mr == MR && L == MR) {
                // op(A)(i, p) = A[i][p]: whole blocks of 8 k transposed in registers (8-lane vectors), then one k-slice
                // of the panel per gather, MR rows of A at a time
                int[] idx = gatherIndex(lda);
                int src = ao + (ic + ir) * lda + pc;
                int p = L == 8 ? transpose8(a, src, lda, kc, pa, base, MR) : 0;
                for (; p < kc; p++) {
                    DoubleVector.fromArray(S, a, src + p, idx, 0).intoArray(pa, base + p * MR);
                }
            } else {
                for (int i = 0; i < MR; i++) {
                    if (i < mr) {
                        int src = ao + (ic + ir + i) * lda + pc;
                        for (int p = 0; p < kc; p++) {
                            pa[base + p * MR + i] = a[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            pa[base + p * MR + i] = 0.0;
                        }
                    }
                }
            }
        }
    }

    /**
     * Index tables of the in-register transposes of 8-lane vectors, for {@code selectFrom(x, y)} (lane l takes lane
     * t[l] of x, or lane t[l] − 8 of y): stage s (4, 2, 1) swaps lane bit s with a bit of the vectors' index, so a pair
     * x, y gives lo[l] = (l &amp; s) = 0 ? x[l] : y[l − s] and hi[l] = (l &amp; s) = 0 ? x[l + s] : y[l]. SWAP holds lo
     * and hi of s = 4, 2 and 1 in turn. {@link FloatGemm}'s twin has four stages for 16 lanes.
     */
    private static final double[] SWAP = new double[6 * 8];

    static {
        int t = 0;
        for (int s = 4; s >= 1; s >>= 1, t++) {
            for (int l = 0; l < 8; l++) {
                SWAP[2 * t * 8 + l] = (l & s) == 0 ? l : 8 + l - s;
                SWAP[(2 * t + 1) * 8 + l] = (l & s) == 0 ? l + s : 8 + l;
            }
        }
    }

    /**
     * Packs 8 rows of a matrix (from {@code src}, {@code ld} apart) into a panel whose k-slices are {@code stride}
     * apart, out[dst + p·stride + i] = x[src + i·ld + p], for p below kc rounded down to a multiple of 8, and returns
     * that bound; only with 8-lane vectors. Each 8×8 block is transposed in registers: 8 row loads, three stages of 8
     * two-vector permutes ({@code selectFrom}) and 8 stores; the same values as gathering each k-slice (a gather is
     * slow on AMD Zen 4; see {@code FloatGemm.transpose16}). One method, so that no vector crosses a call.
     */
    private static int transpose8(double[] x, int src, int ld, int kc, double[] out, int dst, int stride) {
        DoubleVector s4l = DoubleVector.fromArray(S, SWAP, 0), s4h = DoubleVector.fromArray(S, SWAP, 8);
        DoubleVector s2l = DoubleVector.fromArray(S, SWAP, 16), s2h = DoubleVector.fromArray(S, SWAP, 24);
        DoubleVector s1l = DoubleVector.fromArray(S, SWAP, 32), s1h = DoubleVector.fromArray(S, SWAP, 40);
        int p = 0;
        for (; p + 8 <= kc; p += 8) {
            int s = src + p;
            DoubleVector r0 = DoubleVector.fromArray(S, x, s), r1 = DoubleVector.fromArray(S, x, s + ld);
            DoubleVector r2 = DoubleVector.fromArray(S, x, s + 2 * ld), r3 = DoubleVector.fromArray(S, x, s + 3 * ld);
            DoubleVector r4 = DoubleVector.fromArray(S, x, s + 4 * ld), r5 = DoubleVector.fromArray(S, x, s + 5 * ld);
            DoubleVector r6 = DoubleVector.fromArray(S, x, s + 6 * ld), r7 = DoubleVector.fromArray(S, x, s + 7 * ld);
            // rows i and i + 4
            DoubleVector a0 = s4l.selectFrom(r0, r4), a4 = s4h.selectFrom(r0, r4);
            DoubleVector a1 = s4l.selectFrom(r1, r5), a5 = s4h.selectFrom(r1, r5);
            DoubleVector a2 = s4l.selectFrom(r2, r6), a6 = s4h.selectFrom(r2, r6);
            DoubleVector a3 = s4l.selectFrom(r3, r7), a7 = s4h.selectFrom(r3, r7);
            // i and i + 2
            DoubleVector b0 = s2l.selectFrom(a0, a2), b2 = s2h.selectFrom(a0, a2);
            DoubleVector b1 = s2l.selectFrom(a1, a3), b3 = s2h.selectFrom(a1, a3);
            DoubleVector b4 = s2l.selectFrom(a4, a6), b6 = s2h.selectFrom(a4, a6);
            DoubleVector b5 = s2l.selectFrom(a5, a7), b7 = s2h.selectFrom(a5, a7);
            // i and i + 1: vector q now holds k-slice p + q
            int d = dst + p * stride;
            s1l.selectFrom(b0, b1).intoArray(out, d);
            s1h.selectFrom(b0, b1).intoArray(out, d + stride);
            s1l.selectFrom(b2, b3).intoArray(out, d + 2 * stride);
            s1h.selectFrom(b2, b3).intoArray(out, d + 3 * stride);
            s1l.selectFrom(b4, b5).intoArray(out, d + 4 * stride);
            s1h.selectFrom(b4, b5).intoArray(out, d + 5 * stride);
            s1l.selectFrom(b6, b7).intoArray(out, d + 6 * stride);
            s1h.selectFrom(b6, b7).intoArray(out, d + 7 * stride);
        }
        return p;
    }

    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[L + 1]);

    private static final ThreadLocal<int[]> PARTIAL = ThreadLocal.withInitial(() -> new int[2 * L]);

    /**
     * Lane offsets for a partial panel of nr &lt; NR rows of a row-major matrix with k columns: lanes 0..L−1 (the
     * first vector) and L..2L−1 (the second, from row L), i·k for the rows below nr and 0 past them.
     */
    private static int[] partialGatherIndex(int k, int nr) {
        int[] idx = PARTIAL.get();
        for (int i = 0; i < L; i++) {
            idx[i] = i < nr ? i * k : 0;
            idx[L + i] = L + i < nr ? i * k : 0;
        }
        return idx;
    }

    /** The long lanes of S's shape, for the bit masks that zero a partial panel's padding. */
    static final VectorSpecies<Long> SK = S.withLanes(long.class);

    private static final ThreadLocal<long[]> KEEP = ThreadLocal.withInitial(() -> new long[2 * L]);

    /** All bits set in lanes 0..nr−1 of the two vectors of a panel's k-slice, none past them. */
    private static long[] partialKeep(int nr) {
        long[] keep = KEEP.get();
        for (int i = 0; i < 2 * L; i++) {
            keep[i] = i < nr ? -1L : 0;
        }
        return keep;
    }

    /** Lane offsets 0, k, 2k, … for gathering one column of L consecutive rows of a row-major matrix with k columns. */
    private static int[] gatherIndex(int k) {
        int[] idx = GATHER.get();
        if (idx[L] != k) {
            for (int i = 0; i < L; i++) {
                idx[i] = i * k;
            }
            idx[L] = k;
        }
        return idx;
    }

    /** Packs rows [pc, pc+kc) × columns [jc, jc+nc) of op(B) into NR-column panels, k-major, zero-padded. */
    static void packB(boolean trans, double[] b, int bo, int ldb, int pc, int kc, int jc, int nc, double[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (!trans) {
                for (int p = 0; p < kc; p++) {
                    int src = bo + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    if (nr == NR) {
                        DoubleVector.fromArray(S, b, src).intoArray(pb, dst);
                        DoubleVector.fromArray(S, b, src + L).intoArray(pb, dst + L);
                    } else { // a partial panel: masked loads, the lanes past nr zero
                        DoubleVector.fromArray(S, b, src, S.indexInRange(0, nr)).intoArray(pb, dst);
                        DoubleVector.fromArray(S, b, src + L, S.indexInRange(L, nr)).intoArray(pb, dst + L);
                    }
                }
            } else if (nr == NR) {
                // op(B)(p, j) = B[j][p]: whole blocks of 8 k transposed in registers (8-lane vectors), then each
                // remaining k-slice of the panel gathered, L rows of B at a time
                int[] idx = gatherIndex(ldb);
                int src = bo + (jc + jr) * ldb + pc;
                int p = 0;
                if (L == 8) {
                    p = transpose8(b, src, ldb, kc, pb, base, NR);
                    transpose8(b, src + L * ldb, ldb, kc, pb, base + L, NR);
                }
                for (; p < kc; p++) {
                    DoubleVector.fromArray(S, b, src + p, idx, 0).intoArray(pb, base + p * NR);
                    DoubleVector.fromArray(S, b, src + L * ldb + p, idx, 0).intoArray(pb, base + p * NR + L);
                }
            } else {
                // a partial panel: the same gathers, the lanes past nr reading offset 0 and then zeroed by a bitwise
                // AND (no mask: with AVX2 a masked gather is not one instruction and allocated on every call, and a
                // blend's mask was not always kept out of the heap either)
                int[] idx = partialGatherIndex(ldb, nr);
                long[] keep = partialKeep(nr);
                LongVector low = LongVector.fromArray(SK, keep, 0), high = LongVector.fromArray(SK, keep, L);
                int src = bo + (jc + jr) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    DoubleVector.fromArray(S, b, src + p, idx, 0).reinterpretAsLongs().and(low).reinterpretAsDoubles().intoArray(pb, base + p * NR);
                    if (nr > L) {
                        DoubleVector.fromArray(S, b, src + L * ldb + p, idx, L).reinterpretAsLongs().and(high).reinterpretAsDoubles().intoArray(pb, base + p * NR + L);
                    } else {
                        DoubleVector.zero(S).intoArray(pb, base + p * NR + L);
                    }
                }
            }
        }
    }

    /** C[0..mr) × [0..nr) = α·(A panel · B panel) + β·C, an 8 × 2-vector register tile. */
    private static void kernel8(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc, int mr, int nr,
            double alpha, double beta, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S), c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S), c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S), c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        DoubleVector c60 = DoubleVector.zero(S), c61 = DoubleVector.zero(S), c70 = DoubleVector.zero(S), c71 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 8, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, a[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, a[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (mr == 8 && nr == NR && alpha == 1 && (beta == 0 || beta == 1)) {
            // a whole tile of C with α = 1 and β of 0 or 1 (every layer's products): straight from the registers
            if (beta == 0) {
                c00.intoArray(c, ci);
                c01.intoArray(c, ci + L);
                c10.intoArray(c, ci + ldc);
                c11.intoArray(c, ci + ldc + L);
                c20.intoArray(c, ci + 2 * ldc);
                c21.intoArray(c, ci + 2 * ldc + L);
                c30.intoArray(c, ci + 3 * ldc);
                c31.intoArray(c, ci + 3 * ldc + L);
                c40.intoArray(c, ci + 4 * ldc);
                c41.intoArray(c, ci + 4 * ldc + L);
                c50.intoArray(c, ci + 5 * ldc);
                c51.intoArray(c, ci + 5 * ldc + L);
                c60.intoArray(c, ci + 6 * ldc);
                c61.intoArray(c, ci + 6 * ldc + L);
                c70.intoArray(c, ci + 7 * ldc);
                c71.intoArray(c, ci + 7 * ldc + L);
            } else {
                c00.add(DoubleVector.fromArray(S, c, ci)).intoArray(c, ci);
                c01.add(DoubleVector.fromArray(S, c, ci + L)).intoArray(c, ci + L);
                c10.add(DoubleVector.fromArray(S, c, ci + ldc)).intoArray(c, ci + ldc);
                c11.add(DoubleVector.fromArray(S, c, ci + ldc + L)).intoArray(c, ci + ldc + L);
                c20.add(DoubleVector.fromArray(S, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
                c21.add(DoubleVector.fromArray(S, c, ci + 2 * ldc + L)).intoArray(c, ci + 2 * ldc + L);
                c30.add(DoubleVector.fromArray(S, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
                c31.add(DoubleVector.fromArray(S, c, ci + 3 * ldc + L)).intoArray(c, ci + 3 * ldc + L);
                c40.add(DoubleVector.fromArray(S, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
                c41.add(DoubleVector.fromArray(S, c, ci + 4 * ldc + L)).intoArray(c, ci + 4 * ldc + L);
                c50.add(DoubleVector.fromArray(S, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
                c51.add(DoubleVector.fromArray(S, c, ci + 5 * ldc + L)).intoArray(c, ci + 5 * ldc + L);
                c60.add(DoubleVector.fromArray(S, c, ci + 6 * ldc)).intoArray(c, ci + 6 * ldc);
                c61.add(DoubleVector.fromArray(S, c, ci + 6 * ldc + L)).intoArray(c, ci + 6 * ldc + L);
                c70.add(DoubleVector.fromArray(S, c, ci + 7 * ldc)).intoArray(c, ci + 7 * ldc);
                c71.add(DoubleVector.fromArray(S, c, ci + 7 * ldc + L)).intoArray(c, ci + 7 * ldc + L);
            }
            return;
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        storeTile(tile, c, ci, ldc, mr, nr, alpha, beta);
    }

    /**
     * {@link #kernel8} with A read in place instead of from a packed panel: row i of the tile is a[ai + i·lda + p], for
     * p &lt; kc. Rows past mr read row mr − 1 again (valid memory; their sums are not stored). A separate method: the
     * packed panel's constant stride of 8 per k is what lets C2 drop the bounds checks there (a stride parameter
     * shared by both made either form 30–50% slower, measured).
     */
    private static void kernel8Direct(int kc, double[] a, int ai, int lda, double[] b, int bi, double[] c, int ci, int ldc, int mr, int nr,
            double alpha, double beta, double[] tile) {
        int a0 = ai, a1 = ai + Math.min(1, mr - 1) * lda, a2 = ai + Math.min(2, mr - 1) * lda, a3 = ai + Math.min(3, mr - 1) * lda;
        int a4 = ai + Math.min(4, mr - 1) * lda, a5 = ai + Math.min(5, mr - 1) * lda, a6 = ai + Math.min(6, mr - 1) * lda;
        int a7 = ai + Math.min(7, mr - 1) * lda;
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S), c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S), c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S), c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        DoubleVector c60 = DoubleVector.zero(S), c61 = DoubleVector.zero(S), c70 = DoubleVector.zero(S), c71 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, a[a6 + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, a[a7 + p]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
        storeTile(tile, c, ci, ldc, mr, nr, alpha, beta);
    }

    /** The 4 × 2-vector tile, for vectors of fewer than 16 lanes (AVX2 has 16 registers). */
    private static void kernel4(int kc, double[] a, int ai, double[] b, int bi, double[] c, int ci, int ldc, int mr, int nr,
            double alpha, double beta, double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S), c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S), c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 4, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        storeTile(tile, c, ci, ldc, mr, nr, alpha, beta);
    }

    /** {@link #kernel4} with A read in place, as {@link #kernel8Direct} reads it. */
    private static void kernel4Direct(int kc, double[] a, int ai, int lda, double[] b, int bi, double[] c, int ci, int ldc, int mr, int nr,
            double alpha, double beta, double[] tile) {
        int a0 = ai, a1 = ai + Math.min(1, mr - 1) * lda, a2 = ai + Math.min(2, mr - 1) * lda, a3 = ai + Math.min(3, mr - 1) * lda;
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S), c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S), c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bi + L);
            DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        storeTile(tile, c, ci, ldc, mr, nr, alpha, beta);
    }

    /**
     * C tile = α·tile + β·C over mr rows and nr columns. The accumulators reach this method through the tile array,
     * never as arguments: a vector passed to a call C2 does not inline is boxed, which costs 20× (measured).
     */
    private static void storeTile(double[] tile, double[] c, int ci, int ldc, int mr, int nr, double alpha, double beta) {
        if (nr == NR) {
            for (int i = 0; i < mr; i++) {
                int row = ci + i * ldc;
                DoubleVector v0 = DoubleVector.fromArray(S, tile, i * NR).mul(alpha);
                DoubleVector v1 = DoubleVector.fromArray(S, tile, i * NR + L).mul(alpha);
                if (beta != 0) {
                    v0 = DoubleVector.fromArray(S, c, row).mul(beta).add(v0);
                    v1 = DoubleVector.fromArray(S, c, row + L).mul(beta).add(v1);
                }
                v0.intoArray(c, row);
                v1.intoArray(c, row + L);
            }
            return;
        }
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                double v = alpha * tile[i * NR + j];
                c[ci + i * ldc + j] = beta == 0 ? v : beta * c[ci + i * ldc + j] + v;
            }
        }
    }
}
