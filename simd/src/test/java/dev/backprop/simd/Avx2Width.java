package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Run only by the {@code avx2} test execution of this module's pom (the JVM held to {@code -XX:UseAVX=2}; the name
 * keeps it out of the default execution): the kernels there must take the 256-bit path, 8 float32 lanes and the
 * 4-row GEMM tile, or that execution tests the default path a second time.
 */
class Avx2Width {

    @Test
    void theKernelsTakeThe256BitPath() {
        assertEquals(8, FloatGemm.L, "float32 lanes");
        assertEquals(4, FloatGemm.MR, "GEMM tile rows");
        assertEquals(4, DoubleGemm.L, "float64 lanes");
    }
}
