package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A product with at most {@code DIRECT_N} columns (128 in float32, 64 in float64 with AVX-512) reads A in place instead of packing it ({@code kernel8Direct}); a
 * wider one packs it. Both add the same terms in the same order, so the first columns of a wide product are the
 * narrow product's bits exactly: at every row count (partial tiles of 1 to 7 rows at the bottom), over several
 * blocks of k, with B in both forms, with β of 0 (C's old contents ignored, even NaN) and 1, and in both precisions.
 */
class DirectAGemmTest {

    @ParameterizedTest(name = "{0}x{1}x{2} transB={3}")
    @CsvSource({"1,1,5,false", "13,17,300,false", "13,17,300,true", "9,128,257,false", "9,128,257,true", "128,128,784,true",
        "301,40,517,false", "7,100,1,true"})
    void readingAInPlaceGivesThePackedProductsBits(int m, int n, int k, boolean transB) {
        int nf = Math.min(n, FloatGemm.DIRECT_N), nd = Math.min(n, DoubleGemm.DIRECT_N); // the widest direct products
        int wide = Math.max(FloatGemm.DIRECT_N, DoubleGemm.DIRECT_N) + 9; // packed A
        Rng rng = new Rng(m * 31L + n * 7L + k);
        double[] a = new double[m * k];
        double[][] opB = new double[k][wide];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble() * 2 - 1;
        }
        for (double[] row : opB) {
            for (int j = 0; j < wide; j++) {
                row[j] = rng.nextDouble() * 2 - 1;
            }
        }
        for (float beta : new float[] {0f, 1f}) {
            float[] af = toFloat(a);
            float[] narrowF = product(af, opB, m, nf, k, transB, beta);
            float[] wideF = product(af, opB, m, wide, k, transB, beta);
            double[] narrowD = productD(a, opB, m, nd, k, transB, beta);
            double[] wideD = productD(a, opB, m, wide, k, transB, beta);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < nf; j++) {
                    assertEquals(Float.floatToRawIntBits(wideF[i * wide + j]), Float.floatToRawIntBits(narrowF[i * nf + j]),
                            "float32 C[" + i + "][" + j + "], beta " + beta);
                }
                for (int j = 0; j < nd; j++) {
                    assertEquals(Double.doubleToRawLongBits(wideD[i * wide + j]), Double.doubleToRawLongBits(narrowD[i * nd + j]),
                            "float64 C[" + i + "][" + j + "], beta " + beta);
                }
            }
        }
    }

    /** C = A·op(B)[:, 0..n) + β·C in float32, with C starting as NaN (β = 0) or as C[i][j] = i − j (β = 1). */
    private static float[] product(float[] a, double[][] opB, int m, int n, int k, boolean transB, float beta) {
        float[] c = toFloat(start(m, n, beta));
        FloatGemm.gemm(false, transB, m, n, k, 1f, a, 0, toFloat(b(opB, n, k, transB)), 0, beta, c, 0, FloatGemm.ALL);
        return c;
    }

    /** The same in float64. */
    private static double[] productD(double[] a, double[][] opB, int m, int n, int k, boolean transB, double beta) {
        double[] c = start(m, n, beta);
        DoubleGemm.gemm(false, transB, m, n, k, 1.0, a, 0, b(opB, n, k, transB), 0, beta, c, 0, DoubleGemm.ALL);
        return c;
    }

    /** The first n columns of op(B), stored as B: k×n, or n×k when transB. */
    private static double[] b(double[][] opB, int n, int k, boolean transB) {
        double[] b = new double[k * n];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                b[transB ? j * k + p : p * n + j] = opB[p][j];
            }
        }
        return b;
    }

    private static double[] start(int m, int n, double beta) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[i * n + j] = beta == 0 ? Double.NaN : i - j;
            }
        }
        return c;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
