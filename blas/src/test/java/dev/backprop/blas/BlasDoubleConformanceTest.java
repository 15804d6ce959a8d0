package dev.backprop.blas;

import dev.backprop.kernel.Kernels;
import dev.backprop.testkit.KernelConformance;

/** The float64 OpenBLAS kernels against the float64 scalar reference, over every edge size (skipped without libopenblas; .ci/run installs it and requires it). */
class BlasDoubleConformanceTest extends KernelConformance {
    @Override
    protected Kernels candidate() {
        BlasProviderTest.requireOpenBlas();
        return BlasDoubleKernels.INSTANCE;
    }
}
