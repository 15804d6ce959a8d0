package dev.backprop.simd;

import dev.backprop.kernel.Kernels;
import dev.backprop.testkit.KernelConformance;

/** The float32 Vector API kernels against the float64 scalar reference, over every edge size. */
class VectorFloatConformanceTest extends KernelConformance {
    @Override
    protected Kernels candidate() {
        return VectorFloatKernels.INSTANCE;
    }
}
