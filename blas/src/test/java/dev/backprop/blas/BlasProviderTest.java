package dev.backprop.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.KernelsProvider;
import dev.backprop.kernel.Vec;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class BlasProviderTest {

    /**
     * Where OpenBLAS is missing these tests are skipped, with the reason, unless the environment sets
     * {@code BACKPROP_REQUIRE_OPENBLAS} (CI does, after installing it): then they fail.
     */
    static void requireOpenBlas() {
        String why = new BlasKernelsProvider().unavailableReason();
        if (why == null) {
            return;
        }
        String message = "the OpenBLAS tests need libopenblas (apt-get install libopenblas0): " + why;
        if (System.getenv("BACKPROP_REQUIRE_OPENBLAS") != null) {
            throw new AssertionError(message);
        }
        org.junit.jupiter.api.Assumptions.abort(message);
    }

    @Test
    void isFoundByTheServiceLoaderBelowTheVectorBackend() {
        requireOpenBlas();
        KernelsProvider p = ServiceLoader.load(KernelsProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("blas")).findFirst().orElseThrow();
        assertEquals(5, p.priority(), "below the Vector API backend (10): chosen only without it, or on request");
        assertTrue(p.describe().startsWith("OpenBLAS GEMM from "), p.describe());
        assertEquals("blas-float32", p.kernels(Precision.FLOAT32).name());
        assertEquals("blas-float64", p.kernels(Precision.FLOAT64).name());
    }

    @Test
    void picksTheFastKernelsOnCpusOpenBlasDoesNotKnow() {
        requireOpenBlas();
        String core = OpenBlas.get().core();
        assertNotNull(core);
        String env = System.getenv("OPENBLAS_CORETYPE");
        String expected = env != null ? env : OpenBlas.bestCoreType();
        if (expected != null) {
            assertTrue(core.equalsIgnoreCase(expected), "OpenBLAS runs its " + core + " kernels, expected " + expected);
        }
    }

    /**
     * On OpenBLAS's products a gradient split over threads is the same bits for the same thread count; another
     * thread count may differ in the last bits (OpenBLAS computes an entry differently depending on the shape of the
     * product, unlike the scalar and Vector API kernels), but not by more than rounding.
     */
    @Test
    void theSameThreadCountGivesTheSameGradientBits() {
        requireOpenBlas();
        dev.backprop.util.Rng rng = new dev.backprop.util.Rng(4);
        double[][] x = new double[300][21];
        double[][] y = new double[300][5];
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 21; j++) {
                x[i][j] = rng.uniform(-1, 1);
            }
            y[i][rng.nextInt(5)] = 1;
        }
        dev.backprop.Dataset d = dev.backprop.Dataset.of(x, y);
        Vec[] g = new Vec[3];
        int[] threads = {2, 2, 1};
        for (int r = 0; r < 3; r++) {
            dev.backprop.Network net = dev.backprop.Network.builder(21).kernels(BlasFloatKernels.INSTANCE).dense(40, dev.backprop.Activation.tanh())
                    .dense(5, dev.backprop.Activation.softmax()).cost(dev.backprop.Cost.crossEntropy()).build(6);
            net.setThreads(threads[r]);
            net.computeGradient(d, dev.backprop.Regularization.NONE);
            g[r] = net.gradient().toPrecision(Precision.FLOAT32);
        }
        assertTrue(g[0].bitEquals(g[1]), "2 threads twice");
        for (int i = 0; i < g[0].length(); i++) {
            assertEquals(g[2].get(i), g[0].get(i), 1e-5 * (1 + Math.abs(g[2].get(i))), "entry " + i);
        }
    }

    @Test
    void aProductOfViewsAtOffsetsMatchesTheReference() {
        requireOpenBlas();
        // C (3×2, at offset 1) = Aᵀ (A stored 4×3 at offset 2) · B (4×2 at offset 3), against a hand computation
        for (Kernels k : new Kernels[] {BlasFloatKernels.INSTANCE, BlasDoubleKernels.INSTANCE}) {
            Vec a = k.allocate(14), b = k.allocate(11), c = k.allocate(8);
            for (int i = 0; i < 12; i++) {
                a.set(2 + i, i + 1);
            }
            for (int i = 0; i < 8; i++) {
                b.set(3 + i, 8 - i);
            }
            c.set(0, 99);
            c.set(7, 99);
            k.gemm(true, false, 3, 2, 4, 1.0, a.view(2, 12), b.view(3, 8), 0.0, c.view(1, 6));
            double[][] want = new double[3][2];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) {
                    for (int p = 0; p < 4; p++) {
                        want[i][j] += (p * 3 + i + 1) * (8 - (p * 2 + j));
                    }
                    assertEquals(want[i][j], c.get(1 + i * 2 + j), 0, k.name() + " C[" + i + "][" + j + "]");
                }
            }
            assertEquals(99, c.get(0), 0, "left of the view");
            assertEquals(99, c.get(7), 0, "right of the view");
        }
    }
}
