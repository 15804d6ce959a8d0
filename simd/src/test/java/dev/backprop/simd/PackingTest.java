package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GEMM's packed panels hold exactly op(A) and op(B), zero-padded, in both precisions and all four forms: the
 * transposing packs (op(B) = Bᵀ, op(A) = A) copy whole blocks of as many k-slices as a vector has lanes (16 or 8
 * in float32 with AVX-512 or AVX2; 8 in float64 with AVX-512) through an in-register transpose and the rest by gathers,
 * the others copy rows, so k counts from 1 to past two blocks, panel
 * counts on both sides of whole panels and leading dimensions wider than the rows are checked, each element against
 * its definition. The panel buffers start as NaN, so an element left unwritten fails too. Matrix elements are small
 * integers, exact in float32. {@code simd}'s pom runs it under {@code -XX:UseAVX=2} too.
 */
class PackingTest {

    private static final int[] KS = {1, 2, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 196, 256};

    /** Packs op(X)'s block (first index from {@code i0}, {@code count} of them; k from {@code pc}) into {@code panel}. */
    private interface Pack {
        void pack(boolean trans, double[] x, int ld, int i0, int count, int pc, int kc, double[] panel);
    }

    @ParameterizedTest(name = "float64={0} op(A) transA={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void aPanelsHoldOpA(boolean float64, boolean trans) {
        Pack pack = float64 ? (t, x, ld, i0, count, pc, kc, panel) -> DoubleGemm.packA(t, x, 0, ld, i0, count, pc, kc, panel)
                : (t, x, ld, i0, count, pc, kc, panel) -> {
                    float[] out = new float[panel.length];
                    FloatGemm.packA(t, toFloat(x), 0, ld, i0, count, pc, kc, out);
                    copy(out, panel);
                };
        int mr = float64 ? DoubleGemm.MR : FloatGemm.MR;
        check(pack, mr, trans, new int[] {1, 3, mr - 1, mr, mr + 1, 2 * mr, 2 * mr + 3, 5 * mr, 144}, true);
    }

    @ParameterizedTest(name = "float64={0} op(B) transB={1}")
    @CsvSource({"false,false", "false,true", "true,false", "true,true"})
    void bPanelsHoldOpB(boolean float64, boolean trans) {
        Pack pack = float64 ? (t, x, ld, j0, count, pc, kc, panel) -> DoubleGemm.packB(t, x, 0, ld, pc, kc, j0, count, panel)
                : (t, x, ld, j0, count, pc, kc, panel) -> {
                    float[] out = new float[panel.length];
                    FloatGemm.packB(t, toFloat(x), 0, ld, pc, kc, j0, count, out);
                    copy(out, panel);
                };
        int nr = float64 ? DoubleGemm.NR : FloatGemm.NR;
        check(pack, nr, trans, new int[] {1, 5, nr - 1, nr, nr + 1, 2 * nr, 2 * nr + 7, 4 * nr}, false);
    }

    /**
     * Packs blocks of every count and k count and checks panel[r·kc + p·width + i] = op(X)(i0 + r + i, pc + p) (A:
     * op(X) is the panel index by k) or op(X)(pc + p, i0 + r + i) (B: k by the panel index), 0 past the block.
     */
    private static void check(Pack pack, int width, boolean trans, int[] counts, boolean isA) {
        for (int count : counts) {
            for (int kc : KS) {
                int i0 = 3, pc = 5, along = i0 + count + 2, ks = pc + kc + 1;
                int rows = isA ? along : ks, cols = isA ? ks : along; // op(X) is rows × cols
                int ld = (trans ? rows : cols) + 3;
                double[] x = new double[(trans ? cols : rows) * ld];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i + 1;
                }
                int padded = (count + width - 1) / width * width;
                double[] panel = new double[padded * kc];
                java.util.Arrays.fill(panel, Double.NaN);
                pack.pack(trans, x, ld, i0, count, pc, kc, panel);
                for (int r = 0; r < padded; r += width) {
                    for (int p = 0; p < kc; p++) {
                        for (int i = 0; i < width; i++) {
                            int row = isA ? i0 + r + i : pc + p, col = isA ? pc + p : i0 + r + i;
                            double want = r + i < count ? x[trans ? col * ld + row : row * ld + col] : 0.0;
                            assertEquals(want, panel[r * kc + p * width + i], "count " + count + ", kc " + kc + ": panel index "
                                    + (r + i) + ", k " + p);
                        }
                    }
                }
            }
        }
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    private static void copy(float[] from, double[] to) {
        for (int i = 0; i < from.length; i++) {
            to[i] = from[i];
        }
    }
}
