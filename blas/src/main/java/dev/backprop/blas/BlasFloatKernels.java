package dev.backprop.blas;

import dev.backprop.kernel.FloatVec;
import dev.backprop.kernel.ScalarFloatKernels;
import dev.backprop.kernel.Shapes;
import dev.backprop.kernel.Vec;
import java.lang.foreign.MemorySegment;

/**
 * The float32 scalar reference kernels with GEMM done by OpenBLAS's {@code cblas_sgemm} (see {@link OpenBlas}); every
 * other operation is the reference's. For JVMs that cannot enable the Vector API: the products, most of a training
 * step, then run at OpenBLAS's speed.
 */
public final class BlasFloatKernels extends ScalarFloatKernels {
    /** The shared instance; usable only when {@link BlasKernelsProvider#unavailableReason()} is null. */
    public static final BlasFloatKernels INSTANCE = new BlasFloatKernels();

    private BlasFloatKernels() {
    }

    @Override
    public String name() {
        return "blas-float32";
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
            OpenBlas.get().sgemm().invokeExact(OpenBlas.ROW_MAJOR, transA ? OpenBlas.TRANS : OpenBlas.NO_TRANS,
                    transB ? OpenBlas.TRANS : OpenBlas.NO_TRANS, m, n, k, (float) alpha, at(a), lda, at(b), ldb,
                    (float) beta, at(c), ldc);
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm failed", e);
        }
    }

    private static MemorySegment at(Vec v) {
        return MemorySegment.ofArray(((FloatVec) v).array()).asSlice(4L * v.offset());
    }
}
