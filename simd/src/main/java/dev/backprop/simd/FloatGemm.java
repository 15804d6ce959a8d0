package dev.backprop.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision GEMM in the GotoBLAS/BLIS manner (Goto &amp; van de Geijn, "Anatomy of high-performance matrix
 * multiplication", ACM TOMS 34(3), 2008; Van Zee &amp; van de Geijn, "BLIS", ACM TOMS 41(3), 2015): C = α·op(A)·op(B)
 * + β·C with row-major storage. op(B) is packed into KC×NR panels and op(A) into MR×KC panels (zero-padded at the
 * edges), so all transposition forms run the same register-blocked FMA micro-kernel over contiguous memory: an
 * MR×NR tile of C held in MR·2 vector registers (NR = two vectors), updated by one rank-1 product per k.
 *
 * <p>Blocking: KC = 256 (a B panel of KC×NR floats stays in L1), MC = 144 rows of A (an A block of MC×KC stays in
 * L2), NC = 2048 columns of B per packed block. The tile is 8 rows × 2 vectors when vectors have 16 or more lanes
 * (16 accumulators of 32 zmm registers), 4 × 2 otherwise so it fits the 16 registers of AVX2.
 *
 * <p>A product with at most {@link #DIRECT_N} columns and A not transposed (W1's forward products on either of two
 * threads, the delta its output layer hands down) does not pack A: with so few panels of B to reuse the packed A,
 * packing costs more than it saves. The tile reads A's rows in place ({@link #kernel8Direct}, {@link #kernel4Direct}),
 * with the same sums in the same order, so the bits are those of the packed product. W1's first product on one of two
 * threads (128×128×784, A·Bᵀ) took 202–204 µs against 219–231 µs packed with AVX-512 (three alternating {@code
 * bench/run kernels --quick} runs) and 379–380 against 440–467 µs with AVX2 (JMH, {@code -XX:UseAVX=2}); at 256
 * columns reading A in place was no better.
 *
 * <p>{@link DoubleGemm} is the float64 twin of this class, line for line; keep them in step. Both are tested
 * against the scalar reference by the kernel conformance suite.
 */
final class FloatGemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = L >= 16 ? 8 : 4;
    static final int NR = 2 * L;
    /** The first MR lanes, for copying one k-slice of an A panel. */
    static final jdk.incubator.vector.VectorMask<Float> FIRST_MR = S.indexInRange(0, MR);
    /** Lanes MR..2·MR−1 (with 16-lane vectors, the upper half). */
    static final jdk.incubator.vector.VectorMask<Float> LAST_MR = S.indexInRange(-MR, MR);
    static final int KC = 256;
    static final int MC = 144;
    static final int NC = 2048;
    /**
     * Products with at most this many columns (512 bytes of a row of C: four panels of B with AVX-512, eight with AVX2)
     * read A in place ({@link #kernel8Direct}, {@link #kernel4Direct}).
     */
    static final int DIRECT_N = 128;

    private FloatGemm() {
    }

    /** Packing buffers of one thread, allocated on its first product and reused (no allocation per call). */
    private static final class Work {
        final float[] a = new float[MC * KC];
        final float[] b = new float[KC * NC];
        final float[] tile = new float[MR * NR];
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
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao, float[] b, int bo,
            float beta, float[] c, int co, int triangle) {
        gemm(transA, transB, m, n, k, alpha, a, ao, transA ? m : k, b, bo, transB ? k : n, beta, c, co, n, triangle);
    }

    /**
     * The same on sub-matrices: consecutive rows of A, B and C are {@code lda}, {@code ldb} and {@code ldc} apart.
     * With {@code triangle} LOWER (UPPER), tiles wholly above (below) C's diagonal are skipped; entries of the other
     * triangle that share a tile with the diagonal are written too.
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao, int lda, float[] b, int bo,
            int ldb, float beta, float[] c, int co, int ldc, int triangle) {
        run(transA, transB, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc, triangle, null, 0, PLAIN, null, 0);
    }

    /** No epilogue: C is the product. */
    static final int PLAIN = 0;
    /** The epilogue adds the bias (if any) and stops there. */
    static final int IDENTITY = 1;
    /** The epilogue adds the bias (if any) and writes max(z, 0) to the activations. */
    static final int RELU = 2;
    /** The epilogue adds the bias (if any) and writes tanh(z) ({@link FloatLanes#tanh}) to the activations. */
    static final int TANH = 3;
    /** The epilogue adds the bias (if any) and writes σ(z) ({@link FloatLanes#sigmoid}) to the activations. */
    static final int SIGMOID = 4;
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
     * {@code act} is IDENTITY, RELU, TANH or SIGMOID; A may be Z. Every element gets the same operations, in the same order, as
     * the product, then the bias add, then the activation in separate passes: the same bits.
     */
    static void dense(int m, int n, int k, float[] y, int yo, float[] w, int wo, float[] bias, int bo, int act, float[] z, int zo, float[] out,
            int ao, int ldz) {
        int ld = Math.max(1, k);
        run(false, true, m, n, k, 1f, y, yo, ld, w, wo, ld, 0f, z, zo, ldz, ALL, bias, bo, act, out, ao);
    }

    /**
     * The delta handed down through a dense layer: dZ = f'·(Δ·W) with the lower layer's activation derivative applied
     * to each tile of dZ right after it is stored ({@code act} RELU_BACK, TANH_BACK or
     * SIGMOID_BACK with A). Δ is m×n, W is n×k, Z or A and dZ are m×k, all contiguous. The same operations, in the
     * same order, as the product and then the activation kernel's backward: the same bits.
     */
    static void propagate(int m, int k, int n, float[] delta, int deltaOffset, float[] w, int wo, int act, float[] aux, int auxOffset,
            float[] dz, int dzo) {
        run(false, false, m, k, n, 1f, delta, deltaOffset, Math.max(1, n), w, wo, Math.max(1, k), 0f, dz, dzo, Math.max(1, k), ALL,
                null, 0, act, aux, auxOffset);
    }

    private static void run(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int ao, int lda, float[] b, int bo,
            int ldb, float beta, float[] c, int co, int ldc, int triangle, float[] bias, int biasOffset, int act, float[] out, int outOffset) {
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
        float[] pa = w.a, pb = w.b;
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
                float betaNow = pc == 0 ? beta : 1f;
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
    private static void epilogue(float[] c, int ci, int ldc, int mr, int nr, float[] bias, int bi, int act, float[] a, int ai) {
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
        switch (act) {
            case RELU -> reluTile(c, ci, ldc, mr, nr, a, ai);
            case TANH -> tanhTile(c, ci, ldc, mr, nr, a, ai);
            case SIGMOID -> sigmoidTile(c, ci, ldc, mr, nr, a, ai);
            default -> {
                for (int i = 0; i < mr; i++) {
                    System.arraycopy(c, ci + i * ldc, a, ai + i * ldc, nr);
                }
            }
        }
    }

    /**
     * dZ = dY where A &gt; 0, else 0, over a tile (x is A = max(Z, 0), positive exactly where Z is): the ReLU kernel's
     * backward, which tests Z. Testing A reads the activations the forward step of the layer above has just read
     * instead of Z, which on several threads is half in the other core's cache.
     */
    private static void reluBackTile(float[] c, int ci, int ldc, int mr, int nr, float[] x, int xi) {
        for (int i = 0; i < mr; i++) {
            int gi = ci + i * ldc, si = xi + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                FloatVector g = FloatVector.fromArray(S, c, gi + j);
                FloatVector s = FloatVector.fromArray(S, x, si + j);
                FloatVector.zero(S).blend(g, s.compare(VectorOperators.GT, 0f)).intoArray(c, gi + j);
            }
            if (j < nr) {
                VectorMask<Float> in = S.indexInRange(j, nr);
                FloatVector g = FloatVector.fromArray(S, c, gi + j, in);
                FloatVector s = FloatVector.fromArray(S, x, si + j, in);
                FloatVector.zero(S).blend(g, s.compare(VectorOperators.GT, 0f)).intoArray(c, gi + j, in);
            }
        }
    }

    /** dZ = dY·(1 − A²) over a tile (x is A): as the tanh kernel's backward. */
    private static void tanhBackTile(float[] c, int ci, int ldc, int mr, int nr, float[] x, int xi) {
        for (int i = 0; i < mr; i++) {
            int gi = ci + i * ldc, si = xi + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                FloatVector g = FloatVector.fromArray(S, c, gi + j);
                FloatVector s = FloatVector.fromArray(S, x, si + j);
                g.mul(FloatVector.broadcast(S, 1f).sub(s.mul(s))).intoArray(c, gi + j);
            }
            if (j < nr) {
                VectorMask<Float> in = S.indexInRange(j, nr);
                FloatVector g = FloatVector.fromArray(S, c, gi + j, in);
                FloatVector s = FloatVector.fromArray(S, x, si + j, in);
                g.mul(FloatVector.broadcast(S, 1f).sub(s.mul(s))).intoArray(c, gi + j, in);
            }
        }
    }

    /** dZ = dY·(A·(1 − A)) over a tile (x is A): as the sigmoid kernel's backward. */
    private static void sigmoidBackTile(float[] c, int ci, int ldc, int mr, int nr, float[] x, int xi) {
        for (int i = 0; i < mr; i++) {
            int gi = ci + i * ldc, si = xi + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                FloatVector g = FloatVector.fromArray(S, c, gi + j);
                FloatVector s = FloatVector.fromArray(S, x, si + j);
                g.mul(s.mul(FloatVector.broadcast(S, 1f).sub(s))).intoArray(c, gi + j);
            }
            if (j < nr) {
                VectorMask<Float> in = S.indexInRange(j, nr);
                FloatVector g = FloatVector.fromArray(S, c, gi + j, in);
                FloatVector s = FloatVector.fromArray(S, x, si + j, in);
                g.mul(s.mul(FloatVector.broadcast(S, 1f).sub(s))).intoArray(c, gi + j, in);
            }
        }
    }

    /** Z += b over a tile. */
    private static void biasTile(float[] c, int ci, int ldc, int mr, int nr, float[] bias, int bi) {
        for (int i = 0; i < mr; i++) {
            int zi = ci + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                FloatVector.fromArray(S, c, zi + j).add(FloatVector.fromArray(S, bias, bi + j)).intoArray(c, zi + j);
            }
            if (j < nr) {
                VectorMask<Float> in = S.indexInRange(j, nr);
                FloatVector.fromArray(S, c, zi + j, in).add(FloatVector.fromArray(S, bias, bi + j, in)).intoArray(c, zi + j, in);
            }
        }
    }

    /** A = max(Z, 0) over a tile. */
    private static void reluTile(float[] c, int ci, int ldc, int mr, int nr, float[] a, int ai) {
        for (int i = 0; i < mr; i++) {
            int zi = ci + i * ldc, oi = ai + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                FloatVector.fromArray(S, c, zi + j).max(0f).intoArray(a, oi + j);
            }
            if (j < nr) {
                VectorMask<Float> in = S.indexInRange(j, nr);
                FloatVector.fromArray(S, c, zi + j, in).max(0f).intoArray(a, oi + j, in);
            }
        }
    }

    /** A = tanh(Z) over a tile. */
    private static void tanhTile(float[] c, int ci, int ldc, int mr, int nr, float[] a, int ai) {
        for (int i = 0; i < mr; i++) {
            int zi = ci + i * ldc, oi = ai + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                FloatLanes.tanh(FloatVector.fromArray(S, c, zi + j)).intoArray(a, oi + j);
            }
            if (j < nr) {
                VectorMask<Float> in = S.indexInRange(j, nr);
                FloatLanes.tanh(FloatVector.fromArray(S, c, zi + j, in)).intoArray(a, oi + j, in);
            }
        }
    }

    /** A = σ(Z) over a tile. */
    private static void sigmoidTile(float[] c, int ci, int ldc, int mr, int nr, float[] a, int ai) {
        for (int i = 0; i < mr; i++) {
            int zi = ci + i * ldc, oi = ai + i * ldc, j = 0;
            for (; j + L <= nr; j += L) {
                FloatLanes.sigmoid(FloatVector.fromArray(S, c, zi + j)).intoArray(a, oi + j);
            }
            if (j < nr) {
                VectorMask<Float> in = S.indexInRange(j, nr);
                FloatLanes.sigmoid(FloatVector.fromArray(S, c, zi + j, in)).intoArray(a, oi + j, in);
            }
        }
    }

    private static void scale(int m, int n, float beta, float[] c, int co, int ldc, int triangle) {
        for (int i = 0; i < m; i++) {
            int start = triangle == UPPER ? Math.min(n, i) : 0;
            int end = triangle == LOWER ? Math.min(n, i + 1) : n;
            for (int j = start; j < end; j++) {
                c[co + i * ldc + j] = beta == 0 ? 0f : beta * c[co + i * ldc + j];
            }
        }
    }

    /** Packs rows [ic, ic+mc) × columns [pc, pc+kc) of op(A) into MR-row panels, k-major, zero-padded. */
    static void packA(boolean trans, float[] a, int ao, int lda, int ic, int mc, int pc, int kc, float[] pa) {
        int ir = 0;
        if (trans && L == 2 * MR) {
            // op(A)(i, p) = A[p][i]: two panels at a time, so each k takes one whole vector (a cache line) of A's row
            // p: its low MR lanes go to the first panel and its high ones to the second (one pass over the lines of
            // A instead of two, which matters when lda is a multiple of 4 KB and the lines alias in the L1 cache)
            for (; ir + 2 * MR <= mc; ir += 2 * MR) {
                int first = ir * kc, second = (ir + MR) * kc - MR;
                int src = ao + pc * lda + ic + ir;
                for (int p = 0; p < kc; p++, src += lda) {
                    FloatVector v = FloatVector.fromArray(S, a, src);
                    v.intoArray(pa, first + p * MR, FIRST_MR);
                    v.intoArray(pa, second + p * MR, LAST_MR);
                }
            }
        }
        for (; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (trans) {
                // op(A)(i, p) = A[p][i]: MR consecutive floats per k
                for (int p = 0; p < kc; p++) {
                    int src = ao + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    if (mr == MR) {
                        // a masked copy in the main species: a second, narrower species here made C2 fall back to boxed
                        // vectors in some runs (sgemm-tn-64x64x64 at 58 µs instead of 5)
                        FloatVector.fromArray(S, a, src, FIRST_MR).intoArray(pa, dst, FIRST_MR);
                        continue;
                    }
                    for (int i = 0; i < mr; i++) {
                        pa[dst + i] = a[src + i];
                    }
                    for (int i = mr; i < MR; i++) {
                        pa[dst + i] = 0f;
                    }
                }
            } else if (mr == MR && L == 2 * MR) {
                // op(A)(i, p) = A[i][p]: whole blocks of 16 k transposed in registers, then two k-slices of the panel
                // (2 × MR floats) per gather, MR rows of A at a time
                int[] idx = pairIndex(lda);
                int src = ao + (ic + ir) * lda + pc;
                int p = L == 16 ? transposePairs(a, src, lda, kc, pa, base) : L == 8 ? transposePairs4(a, src, lda, kc, pa, base) : 0;
                for (; p + 2 <= kc; p += 2) {
                    FloatVector.fromArray(S, a, src + p, idx, 0).intoArray(pa, base + p * MR);
                }
                for (; p < kc; p++) {
                    for (int i = 0; i < MR; i++) {
                        pa[base + p * MR + i] = a[src + i * lda + p];
                    }
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
                            pa[base + p * MR + i] = 0f;
                        }
                    }
                }
            }
        }
    }

    private static final ThreadLocal<int[]> GATHER = ThreadLocal.withInitial(() -> new int[L + 1]);

    private static final ThreadLocal<int[]> PAIRS = ThreadLocal.withInitial(() -> new int[L + 1]);

    /** Lane offsets (l mod MR)·lda + l / MR: two consecutive columns of MR consecutive rows (lanes = 2·MR). */
    private static int[] pairIndex(int lda) {
        int[] idx = PAIRS.get();
        if (idx[L] != lda) {
            for (int l = 0; l < L; l++) {
                idx[l] = (l % MR) * lda + l / MR;
            }
            idx[L] = lda;
        }
        return idx;
    }

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

    /** The int lanes of S's shape, for the bit masks that zero a partial panel's padding. */
    static final VectorSpecies<Integer> SK = S.withLanes(int.class);

    private static final ThreadLocal<int[]> KEEP = ThreadLocal.withInitial(() -> new int[2 * L]);

    /** All bits set in lanes 0..nr−1 of the two vectors of a panel's k-slice, none past them. */
    private static int[] partialKeep(int nr) {
        int[] keep = KEEP.get();
        for (int i = 0; i < 2 * L; i++) {
            keep[i] = i < nr ? -1 : 0;
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
    static void packB(boolean trans, float[] b, int bo, int ldb, int pc, int kc, int jc, int nc, float[] pb) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (!trans) {
                for (int p = 0; p < kc; p++) {
                    int src = bo + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    if (nr == NR) {
                        FloatVector.fromArray(S, b, src).intoArray(pb, dst);
                        FloatVector.fromArray(S, b, src + L).intoArray(pb, dst + L);
                    } else { // a partial panel: masked loads, the lanes past nr zero
                        FloatVector.fromArray(S, b, src, S.indexInRange(0, nr)).intoArray(pb, dst);
                        FloatVector.fromArray(S, b, src + L, S.indexInRange(L, nr)).intoArray(pb, dst + L);
                    }
                }
            } else if (nr == NR) {
                // op(B)(p, j) = B[j][p]: whole blocks of 16 k transposed in registers (16-lane vectors), then each
                // remaining k-slice of the panel gathered, L rows of B at a time
                int[] idx = gatherIndex(ldb);
                int src = bo + (jc + jr) * ldb + pc;
                int p = 0;
                if (L == 16) {
                    p = transpose16(b, src, ldb, kc, pb, base);
                    transpose16(b, src + L * ldb, ldb, kc, pb, base + L);
                } else if (L == 8) {
                    p = transpose8(b, src, ldb, kc, pb, base);
                    transpose8(b, src + L * ldb, ldb, kc, pb, base + L);
                }
                for (; p < kc; p++) {
                    FloatVector.fromArray(S, b, src + p, idx, 0).intoArray(pb, base + p * NR);
                    FloatVector.fromArray(S, b, src + L * ldb + p, idx, 0).intoArray(pb, base + p * NR + L);
                }
            } else {
                // a partial panel: the same gathers, the lanes past nr reading offset 0 and then zeroed by a bitwise
                // AND (no mask: with AVX2 a masked gather is not one instruction and allocated on every call, and a
                // blend's mask was not always kept out of the heap either)
                int[] idx = partialGatherIndex(ldb, nr);
                int[] keep = partialKeep(nr);
                IntVector low = IntVector.fromArray(SK, keep, 0), high = IntVector.fromArray(SK, keep, L);
                int src = bo + (jc + jr) * ldb + pc;
                for (int p = 0; p < kc; p++) {
                    FloatVector.fromArray(S, b, src + p, idx, 0).reinterpretAsInts().and(low).reinterpretAsFloats().intoArray(pb, base + p * NR);
                    if (nr > L) {
                        FloatVector.fromArray(S, b, src + L * ldb + p, idx, L).reinterpretAsInts().and(high).reinterpretAsFloats().intoArray(pb, base + p * NR + L);
                    } else {
                        FloatVector.zero(S).intoArray(pb, base + p * NR + L);
                    }
                }
            }
        }
    }

    /**
     * Index tables of the in-register transposes of 16-lane vectors, for {@code selectFrom(x, y)} (lane l takes lane
     * t[l] of x, or lane t[l] − 16 of y): stage s (8, 4, 2, 1) swaps lane bit s with a bit of the vectors' index, so a
     * pair x, y gives lo[l] = (l &amp; s) = 0 ? x[l] : y[l − s] and hi[l] = (l &amp; s) = 0 ? x[l + s] : y[l]. SWAP
     * holds lo and hi of s = 8, 4, 2 and 1 in turn; PAIR_LANES is stage 2 followed by the move of lane 2i + h to lane 8h + i
     * that {@link #transposePairs} needs.
     */
    private static final float[] SWAP = new float[8 * 16];
    private static final float[] PAIR_LANES = new float[2 * 16];
    /** The same for 8-lane vectors (AVX2): stages s = 4, 2 and 1, and stage 2 followed by lane 2i + h to 4h + i. */
    private static final float[] SWAP8 = new float[6 * 8];
    private static final float[] PAIR_LANES8 = new float[2 * 8];

    static {
        int t = 0;
        for (int s = 8; s >= 1; s >>= 1, t++) {
            for (int l = 0; l < 16; l++) {
                SWAP[2 * t * 16 + l] = (l & s) == 0 ? l : 16 + l - s;
                SWAP[(2 * t + 1) * 16 + l] = (l & s) == 0 ? l + s : 16 + l;
            }
        }
        for (int l = 0; l < 16; l++) {
            int from = 2 * (l % 8) + l / 8;
            PAIR_LANES[l] = SWAP[4 * 16 + from];
            PAIR_LANES[16 + l] = SWAP[5 * 16 + from];
        }
        t = 0;
        for (int s = 4; s >= 1; s >>= 1, t++) {
            for (int l = 0; l < 8; l++) {
                SWAP8[2 * t * 8 + l] = (l & s) == 0 ? l : 8 + l - s;
                SWAP8[(2 * t + 1) * 8 + l] = (l & s) == 0 ? l + s : 8 + l;
            }
        }
        for (int l = 0; l < 8; l++) {
            int from = 2 * (l % 4) + l / 4;
            PAIR_LANES8[l] = SWAP8[2 * 8 + from];
            PAIR_LANES8[8 + l] = SWAP8[3 * 8 + from];
        }
    }

    /**
     * Packs 16 rows of B (from {@code src}, {@code ld} apart) into one half of a B panel, out[dst + p·NR + i] =
     * b[src + i·ld + p], for p below kc rounded down to a multiple of 16, and returns that bound; only with 16-lane
     * vectors. Each 16×16 block is transposed in registers: 16 row loads, four stages of 16 two-vector permutes
     * ({@code selectFrom}, one vpermt2ps each) and 16 stores. The same values as gathering each k-slice, in a third of
     * the time on this project's AMD Zen 4 machine, where a 16-lane gather takes about 6 ns, some 23 cycles (32 against 99 ns a
     * block, a scratch benchmark). One method, so that no vector crosses a call.
     */
    private static int transpose16(float[] b, int src, int ld, int kc, float[] out, int dst) {
        FloatVector s8l = FloatVector.fromArray(S, SWAP, 0), s8h = FloatVector.fromArray(S, SWAP, 16);
        FloatVector s4l = FloatVector.fromArray(S, SWAP, 32), s4h = FloatVector.fromArray(S, SWAP, 48);
        FloatVector s2l = FloatVector.fromArray(S, SWAP, 64), s2h = FloatVector.fromArray(S, SWAP, 80);
        FloatVector s1l = FloatVector.fromArray(S, SWAP, 96), s1h = FloatVector.fromArray(S, SWAP, 112);
        int p = 0;
        for (; p + 16 <= kc; p += 16) {
            int s = src + p;
            FloatVector r0 = FloatVector.fromArray(S, b, s), r1 = FloatVector.fromArray(S, b, s + ld);
            FloatVector r2 = FloatVector.fromArray(S, b, s + 2 * ld), r3 = FloatVector.fromArray(S, b, s + 3 * ld);
            FloatVector r4 = FloatVector.fromArray(S, b, s + 4 * ld), r5 = FloatVector.fromArray(S, b, s + 5 * ld);
            FloatVector r6 = FloatVector.fromArray(S, b, s + 6 * ld), r7 = FloatVector.fromArray(S, b, s + 7 * ld);
            FloatVector r8 = FloatVector.fromArray(S, b, s + 8 * ld), r9 = FloatVector.fromArray(S, b, s + 9 * ld);
            FloatVector r10 = FloatVector.fromArray(S, b, s + 10 * ld), r11 = FloatVector.fromArray(S, b, s + 11 * ld);
            FloatVector r12 = FloatVector.fromArray(S, b, s + 12 * ld), r13 = FloatVector.fromArray(S, b, s + 13 * ld);
            FloatVector r14 = FloatVector.fromArray(S, b, s + 14 * ld), r15 = FloatVector.fromArray(S, b, s + 15 * ld);
            // rows i and i + 8
            FloatVector a0 = s8l.selectFrom(r0, r8), a8 = s8h.selectFrom(r0, r8);
            FloatVector a1 = s8l.selectFrom(r1, r9), a9 = s8h.selectFrom(r1, r9);
            FloatVector a2 = s8l.selectFrom(r2, r10), a10 = s8h.selectFrom(r2, r10);
            FloatVector a3 = s8l.selectFrom(r3, r11), a11 = s8h.selectFrom(r3, r11);
            FloatVector a4 = s8l.selectFrom(r4, r12), a12 = s8h.selectFrom(r4, r12);
            FloatVector a5 = s8l.selectFrom(r5, r13), a13 = s8h.selectFrom(r5, r13);
            FloatVector a6 = s8l.selectFrom(r6, r14), a14 = s8h.selectFrom(r6, r14);
            FloatVector a7 = s8l.selectFrom(r7, r15), a15 = s8h.selectFrom(r7, r15);
            // i and i + 4
            FloatVector b0 = s4l.selectFrom(a0, a4), b4 = s4h.selectFrom(a0, a4);
            FloatVector b1 = s4l.selectFrom(a1, a5), b5 = s4h.selectFrom(a1, a5);
            FloatVector b2 = s4l.selectFrom(a2, a6), b6 = s4h.selectFrom(a2, a6);
            FloatVector b3 = s4l.selectFrom(a3, a7), b7 = s4h.selectFrom(a3, a7);
            FloatVector b8 = s4l.selectFrom(a8, a12), b12 = s4h.selectFrom(a8, a12);
            FloatVector b9 = s4l.selectFrom(a9, a13), b13 = s4h.selectFrom(a9, a13);
            FloatVector b10 = s4l.selectFrom(a10, a14), b14 = s4h.selectFrom(a10, a14);
            FloatVector b11 = s4l.selectFrom(a11, a15), b15 = s4h.selectFrom(a11, a15);
            // i and i + 2
            FloatVector c0 = s2l.selectFrom(b0, b2), c2 = s2h.selectFrom(b0, b2);
            FloatVector c1 = s2l.selectFrom(b1, b3), c3 = s2h.selectFrom(b1, b3);
            FloatVector c4 = s2l.selectFrom(b4, b6), c6 = s2h.selectFrom(b4, b6);
            FloatVector c5 = s2l.selectFrom(b5, b7), c7 = s2h.selectFrom(b5, b7);
            FloatVector c8 = s2l.selectFrom(b8, b10), c10 = s2h.selectFrom(b8, b10);
            FloatVector c9 = s2l.selectFrom(b9, b11), c11 = s2h.selectFrom(b9, b11);
            FloatVector c12 = s2l.selectFrom(b12, b14), c14 = s2h.selectFrom(b12, b14);
            FloatVector c13 = s2l.selectFrom(b13, b15), c15 = s2h.selectFrom(b13, b15);
            // i and i + 1: vector q now holds k-slice p + q
            int d = dst + p * NR;
            s1l.selectFrom(c0, c1).intoArray(out, d);
            s1h.selectFrom(c0, c1).intoArray(out, d + NR);
            s1l.selectFrom(c2, c3).intoArray(out, d + 2 * NR);
            s1h.selectFrom(c2, c3).intoArray(out, d + 3 * NR);
            s1l.selectFrom(c4, c5).intoArray(out, d + 4 * NR);
            s1h.selectFrom(c4, c5).intoArray(out, d + 5 * NR);
            s1l.selectFrom(c6, c7).intoArray(out, d + 6 * NR);
            s1h.selectFrom(c6, c7).intoArray(out, d + 7 * NR);
            s1l.selectFrom(c8, c9).intoArray(out, d + 8 * NR);
            s1h.selectFrom(c8, c9).intoArray(out, d + 9 * NR);
            s1l.selectFrom(c10, c11).intoArray(out, d + 10 * NR);
            s1h.selectFrom(c10, c11).intoArray(out, d + 11 * NR);
            s1l.selectFrom(c12, c13).intoArray(out, d + 12 * NR);
            s1h.selectFrom(c12, c13).intoArray(out, d + 13 * NR);
            s1l.selectFrom(c14, c15).intoArray(out, d + 14 * NR);
            s1h.selectFrom(c14, c15).intoArray(out, d + 15 * NR);
        }
        return p;
    }

    /**
     * Packs 8 rows of A (from {@code src}, {@code lda} apart) into an A panel, pa[base + p·MR + i] = a[src + i·lda + p],
     * for p below kc rounded down to a multiple of 16, and returns that bound; only with 16-lane vectors (two k-slices
     * of the panel a vector). Each 8×16 block is transposed in registers: 8 row loads, three stages of 8 two-vector
     * permutes (the last one also moving lane 2i + h to 8h + i) and 8 stores; the same values as the gathers, about a
     * quarter of their time on Zen 4 (14 against 53 ns a block, a scratch benchmark).
     */
    private static int transposePairs(float[] a, int src, int lda, int kc, float[] pa, int base) {
        FloatVector s8l = FloatVector.fromArray(S, SWAP, 0), s8h = FloatVector.fromArray(S, SWAP, 16);
        FloatVector s4l = FloatVector.fromArray(S, SWAP, 32), s4h = FloatVector.fromArray(S, SWAP, 48);
        FloatVector pl = FloatVector.fromArray(S, PAIR_LANES, 0), ph = FloatVector.fromArray(S, PAIR_LANES, 16);
        int p = 0;
        for (; p + 16 <= kc; p += 16) {
            int s = src + p;
            FloatVector r0 = FloatVector.fromArray(S, a, s), r1 = FloatVector.fromArray(S, a, s + lda);
            FloatVector r2 = FloatVector.fromArray(S, a, s + 2 * lda), r3 = FloatVector.fromArray(S, a, s + 3 * lda);
            FloatVector r4 = FloatVector.fromArray(S, a, s + 4 * lda), r5 = FloatVector.fromArray(S, a, s + 5 * lda);
            FloatVector r6 = FloatVector.fromArray(S, a, s + 6 * lda), r7 = FloatVector.fromArray(S, a, s + 7 * lda);
            // rows i and i + 4 (lane bit 8)
            FloatVector a0 = s8l.selectFrom(r0, r4), a4 = s8h.selectFrom(r0, r4);
            FloatVector a1 = s8l.selectFrom(r1, r5), a5 = s8h.selectFrom(r1, r5);
            FloatVector a2 = s8l.selectFrom(r2, r6), a6 = s8h.selectFrom(r2, r6);
            FloatVector a3 = s8l.selectFrom(r3, r7), a7 = s8h.selectFrom(r3, r7);
            // i and i + 2 (lane bit 4)
            FloatVector b0 = s4l.selectFrom(a0, a2), b2 = s4h.selectFrom(a0, a2);
            FloatVector b1 = s4l.selectFrom(a1, a3), b3 = s4h.selectFrom(a1, a3);
            FloatVector b4 = s4l.selectFrom(a4, a6), b6 = s4h.selectFrom(a4, a6);
            FloatVector b5 = s4l.selectFrom(a5, a7), b7 = s4h.selectFrom(a5, a7);
            // i and i + 1 (lane bit 2), then the lanes in panel order: vector q holds k-slices p + 2q and p + 2q + 1
            int d = base + p * MR;
            pl.selectFrom(b0, b1).intoArray(pa, d);
            ph.selectFrom(b0, b1).intoArray(pa, d + 16);
            pl.selectFrom(b2, b3).intoArray(pa, d + 32);
            ph.selectFrom(b2, b3).intoArray(pa, d + 48);
            pl.selectFrom(b4, b5).intoArray(pa, d + 64);
            ph.selectFrom(b4, b5).intoArray(pa, d + 80);
            pl.selectFrom(b6, b7).intoArray(pa, d + 96);
            ph.selectFrom(b6, b7).intoArray(pa, d + 112);
        }
        return p;
    }

    /**
     * {@link #transpose16} for 8-lane vectors (AVX2): 8 rows into one half of a B panel, blocks of 8×8 in three stages.
     * The gain is smaller than with AVX-512 (an 8-lane gather is cheaper and a two-vector permute dearer without
     * AVX-512's vpermt2ps): 19 against 26 ns a block on Zen 4 under {@code -XX:UseAVX=2} (a scratch benchmark).
     */
    private static int transpose8(float[] b, int src, int ld, int kc, float[] out, int dst) {
        FloatVector s4l = FloatVector.fromArray(S, SWAP8, 0), s4h = FloatVector.fromArray(S, SWAP8, 8);
        FloatVector s2l = FloatVector.fromArray(S, SWAP8, 16), s2h = FloatVector.fromArray(S, SWAP8, 24);
        FloatVector s1l = FloatVector.fromArray(S, SWAP8, 32), s1h = FloatVector.fromArray(S, SWAP8, 40);
        int p = 0;
        for (; p + 8 <= kc; p += 8) {
            int s = src + p;
            FloatVector r0 = FloatVector.fromArray(S, b, s), r1 = FloatVector.fromArray(S, b, s + ld);
            FloatVector r2 = FloatVector.fromArray(S, b, s + 2 * ld), r3 = FloatVector.fromArray(S, b, s + 3 * ld);
            FloatVector r4 = FloatVector.fromArray(S, b, s + 4 * ld), r5 = FloatVector.fromArray(S, b, s + 5 * ld);
            FloatVector r6 = FloatVector.fromArray(S, b, s + 6 * ld), r7 = FloatVector.fromArray(S, b, s + 7 * ld);
            // rows i and i + 4
            FloatVector a0 = s4l.selectFrom(r0, r4), a4 = s4h.selectFrom(r0, r4);
            FloatVector a1 = s4l.selectFrom(r1, r5), a5 = s4h.selectFrom(r1, r5);
            FloatVector a2 = s4l.selectFrom(r2, r6), a6 = s4h.selectFrom(r2, r6);
            FloatVector a3 = s4l.selectFrom(r3, r7), a7 = s4h.selectFrom(r3, r7);
            // i and i + 2
            FloatVector b0 = s2l.selectFrom(a0, a2), b2 = s2h.selectFrom(a0, a2);
            FloatVector b1 = s2l.selectFrom(a1, a3), b3 = s2h.selectFrom(a1, a3);
            FloatVector b4 = s2l.selectFrom(a4, a6), b6 = s2h.selectFrom(a4, a6);
            FloatVector b5 = s2l.selectFrom(a5, a7), b7 = s2h.selectFrom(a5, a7);
            // i and i + 1: vector q now holds k-slice p + q
            int d = dst + p * NR;
            s1l.selectFrom(b0, b1).intoArray(out, d);
            s1h.selectFrom(b0, b1).intoArray(out, d + NR);
            s1l.selectFrom(b2, b3).intoArray(out, d + 2 * NR);
            s1h.selectFrom(b2, b3).intoArray(out, d + 3 * NR);
            s1l.selectFrom(b4, b5).intoArray(out, d + 4 * NR);
            s1h.selectFrom(b4, b5).intoArray(out, d + 5 * NR);
            s1l.selectFrom(b6, b7).intoArray(out, d + 6 * NR);
            s1h.selectFrom(b6, b7).intoArray(out, d + 7 * NR);
        }
        return p;
    }

    /** {@link #transposePairs} for 8-lane vectors (AVX2, MR = 4): 4 rows, blocks of 4×8 in two stages. */
    private static int transposePairs4(float[] a, int src, int lda, int kc, float[] pa, int base) {
        FloatVector s4l = FloatVector.fromArray(S, SWAP8, 0), s4h = FloatVector.fromArray(S, SWAP8, 8);
        FloatVector pl = FloatVector.fromArray(S, PAIR_LANES8, 0), ph = FloatVector.fromArray(S, PAIR_LANES8, 8);
        int p = 0;
        for (; p + 8 <= kc; p += 8) {
            int s = src + p;
            FloatVector r0 = FloatVector.fromArray(S, a, s), r1 = FloatVector.fromArray(S, a, s + lda);
            FloatVector r2 = FloatVector.fromArray(S, a, s + 2 * lda), r3 = FloatVector.fromArray(S, a, s + 3 * lda);
            // rows i and i + 2 (lane bit 4)
            FloatVector a0 = s4l.selectFrom(r0, r2), a2 = s4h.selectFrom(r0, r2);
            FloatVector a1 = s4l.selectFrom(r1, r3), a3 = s4h.selectFrom(r1, r3);
            // i and i + 1 (lane bit 2), then the lanes in panel order: vector q holds k-slices p + 2q and p + 2q + 1
            int d = base + p * MR;
            pl.selectFrom(a0, a1).intoArray(pa, d);
            ph.selectFrom(a0, a1).intoArray(pa, d + 8);
            pl.selectFrom(a2, a3).intoArray(pa, d + 16);
            ph.selectFrom(a2, a3).intoArray(pa, d + 24);
        }
        return p;
    }

    /** C[0..mr) × [0..nr) = α·(A panel · B panel) + β·C, an 8 × 2-vector register tile. */
    private static void kernel8(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, int mr, int nr,
            float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 8, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        if (mr == 8 && nr == NR && alpha == 1f && (beta == 0f || beta == 1f)) {
            // a whole tile of C with α = 1 and β of 0 or 1 (every layer's products): straight from the registers
            if (beta == 0f) {
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
                c00.add(FloatVector.fromArray(S, c, ci)).intoArray(c, ci);
                c01.add(FloatVector.fromArray(S, c, ci + L)).intoArray(c, ci + L);
                c10.add(FloatVector.fromArray(S, c, ci + ldc)).intoArray(c, ci + ldc);
                c11.add(FloatVector.fromArray(S, c, ci + ldc + L)).intoArray(c, ci + ldc + L);
                c20.add(FloatVector.fromArray(S, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
                c21.add(FloatVector.fromArray(S, c, ci + 2 * ldc + L)).intoArray(c, ci + 2 * ldc + L);
                c30.add(FloatVector.fromArray(S, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
                c31.add(FloatVector.fromArray(S, c, ci + 3 * ldc + L)).intoArray(c, ci + 3 * ldc + L);
                c40.add(FloatVector.fromArray(S, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
                c41.add(FloatVector.fromArray(S, c, ci + 4 * ldc + L)).intoArray(c, ci + 4 * ldc + L);
                c50.add(FloatVector.fromArray(S, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
                c51.add(FloatVector.fromArray(S, c, ci + 5 * ldc + L)).intoArray(c, ci + 5 * ldc + L);
                c60.add(FloatVector.fromArray(S, c, ci + 6 * ldc)).intoArray(c, ci + 6 * ldc);
                c61.add(FloatVector.fromArray(S, c, ci + 6 * ldc + L)).intoArray(c, ci + 6 * ldc + L);
                c70.add(FloatVector.fromArray(S, c, ci + 7 * ldc)).intoArray(c, ci + 7 * ldc);
                c71.add(FloatVector.fromArray(S, c, ci + 7 * ldc + L)).intoArray(c, ci + 7 * ldc + L);
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
    private static void kernel8Direct(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc, int mr, int nr,
            float alpha, float beta, float[] tile) {
        int a0 = ai, a1 = ai + Math.min(1, mr - 1) * lda, a2 = ai + Math.min(2, mr - 1) * lda, a3 = ai + Math.min(3, mr - 1) * lda;
        int a4 = ai + Math.min(4, mr - 1) * lda, a5 = ai + Math.min(5, mr - 1) * lda, a6 = ai + Math.min(6, mr - 1) * lda;
        int a7 = ai + Math.min(7, mr - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S), c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[a6 + p]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[a7 + p]);
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
    private static void kernel4(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, int mr, int nr,
            float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, ai += 4, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
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
    private static void kernel4Direct(int kc, float[] a, int ai, int lda, float[] b, int bi, float[] c, int ci, int ldc, int mr, int nr,
            float alpha, float beta, float[] tile) {
        int a0 = ai, a1 = ai + Math.min(1, mr - 1) * lda, a2 = ai + Math.min(2, mr - 1) * lda, a3 = ai + Math.min(3, mr - 1) * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++, bi += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
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
    private static void storeTile(float[] tile, float[] c, int ci, int ldc, int mr, int nr, float alpha, float beta) {
        if (nr == NR) {
            for (int i = 0; i < mr; i++) {
                int row = ci + i * ldc;
                FloatVector v0 = FloatVector.fromArray(S, tile, i * NR).mul(alpha);
                FloatVector v1 = FloatVector.fromArray(S, tile, i * NR + L).mul(alpha);
                if (beta != 0) {
                    v0 = FloatVector.fromArray(S, c, row).mul(beta).add(v0);
                    v1 = FloatVector.fromArray(S, c, row + L).mul(beta).add(v1);
                }
                v0.intoArray(c, row);
                v1.intoArray(c, row + L);
            }
            return;
        }
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                float v = alpha * tile[i * NR + j];
                c[ci + i * ldc + j] = beta == 0 ? v : beta * c[ci + i * ldc + j] + v;
            }
        }
    }
}
