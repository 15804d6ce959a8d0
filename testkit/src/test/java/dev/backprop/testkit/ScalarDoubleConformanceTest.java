package dev.backprop.testkit;

import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;

/**
 * The float64 scalar kernels against themselves: trivially equal where an operation is checked against the
 * same operation, but it holds the derived ones (syrk against gemm) to the reference too.
 */
class ScalarDoubleConformanceTest extends KernelConformance {
    @Override
    protected Kernels candidate() {
        return Kernels.scalar(Precision.FLOAT64);
    }
}
