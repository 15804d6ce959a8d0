package dev.backprop.blas;

import dev.backprop.kernel.DoubleVec;
import dev.backprop.kernel.ScalarDoubleKernels;
import dev.backprop.kernel.Shapes;
import dev.backprop.kernel.Vec;
import java.lang.foreign.MemorySegment;

/**
 * The float64 scalar reference kernels with GEMM done by OpenBLAS's {@code cblas_dgemm} (see {@link OpenBlas}); every
 * other operation is the reference's. For JVMs that cannot enable the Vector API: the products, most of a training
 * step, then run at OpenBLAS's speed.
 */
public final class BlasDoubleKernels extends ScalarDoubleKernels {
    /** The shared instance; usable only when {@link BlasKernelsProvider#unavailableReason()} is null. */
    public static final BlasDoubleKernels INSTANCE = new BlasDoubleKernels();

    private BlasDoubleKernels() {
    }

    @Override
    public String name() {
        return "blas-float64";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Vec a, int lda, Vec b, int ldb, double beta, Vec c,
            int ldc) {
        Shapes.checkGemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) { // cblas leaves C alone when k = 0; the contract overwrites it with β·C (β = 0 ignores NaN)
            super.gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        try {
            OpenBlas.get().dgemm().invokeExact(OpenBlas.ROW_MAJOR, transA ? OpenBlas.TRANS : OpenBlas.NO_TRANS,
                    transB ? OpenBlas.TRANS : OpenBlas.NO_TRANS, m, n, k, alpha, at(a), lda, at(b), ldb,
                    beta, at(c), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_dgemm failed", e);
        }
    }

    private static MemorySegment at(Vec v) {
        return MemorySegment.ofArray(((DoubleVec) v).array()).asSlice(8L * v.offset());
    }
}
