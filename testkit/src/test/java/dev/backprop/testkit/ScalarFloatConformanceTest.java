package dev.backprop.testkit;

import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;

/** The float32 scalar kernels against the float64 reference: the twins must agree to float precision. */
class ScalarFloatConformanceTest extends KernelConformance {
    @Override
    protected Kernels candidate() {
        return Kernels.scalar(Precision.FLOAT32);
    }
}
