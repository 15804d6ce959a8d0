package dev.backprop.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Precision;
import dev.backprop.util.Rng;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * The interface's default methods, which a new backend inherits until it fuses them itself: run on a backend that
 * implements only the abstract list (here the scalar reference behind a proxy), they give the reference's bits.
 */
class KernelsDefaultsTest {

    /** A Kernels whose abstract methods are the reference's and whose default methods are the interface's own. */
    private static Kernels defaultsOver(Kernels reference) {
        InvocationHandler h = (proxy, method, args) -> method.isDefault()
                ? InvocationHandler.invokeDefault(proxy, method, args)
                : method.invoke(reference, args);
        return (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class}, h);
    }

    private static Vec random(Kernels k, int n, long seed) {
        Vec v = k.allocate(n);
        Rng rng = new Rng(seed);
        for (int i = 0; i < n; i++) {
            v.set(i, rng.uniform(-2, 2));
        }
        return v;
    }

    @Test
    void denseForwardByDefaultIsTheThreeStepsOnWholeRowsAndOnBlocks() {
        for (Precision p : Precision.values()) {
            Kernels ref = Kernels.scalar(p);
            Kernels plain = defaultsOver(ref);
            int m = 9, n = 7, k = 13;
            Vec y = random(ref, m * k, 1), w = random(ref, n * k, 2), b = random(ref, n, 3);
            for (Activation f : Activation.all()) {
                for (boolean bias : new boolean[] {true, false}) {
                    for (int ldz : new int[] {n, n + 4}) {
                        for (boolean inPlace : new boolean[] {false, true}) {
                            int len = (m - 1) * ldz + n;
                            Vec zr = ref.allocate(len), ar = inPlace ? zr : ref.allocate(len);
                            Vec zd = ref.allocate(len), ad = inPlace ? zd : ref.allocate(len);
                            Vec bb = bias ? b : ref.allocate(0);
                            ref.denseForward(m, n, k, y, w, bb, f, zr, ar, ldz);
                            plain.denseForward(m, n, k, y, w, bb, f, zd, ad, ldz);
                            String what = p + " " + f.id() + (bias ? "" : " no bias") + " ldz=" + ldz + (inPlace ? " in place" : "");
                            assertTrue(zr.bitEquals(zd) && ar.bitEquals(ad), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theContiguousGemmAndSumRowsAreTheStridedOnesWithNaturalStrides() {
        Kernels ref = Kernels.scalar(Precision.FLOAT64);
        Kernels plain = defaultsOver(ref);
        Vec a = random(ref, 6 * 5, 4), b = random(ref, 5 * 3, 5);
        Vec c1 = ref.allocate(6 * 3), c2 = ref.allocate(6 * 3);
        ref.gemm(false, false, 6, 3, 5, 0.5, a, 5, b, 3, 0.0, c1, 3);
        plain.gemm(false, false, 6, 3, 5, 0.5, a, b, 0.0, c2);
        assertTrue(c1.bitEquals(c2), "gemm");
        Vec s1 = ref.allocate(5), s2 = ref.allocate(5);
        ref.sumRows(0.5, a, 6, 5, 5, s1);
        plain.sumRows(0.5, a, 6, 5, s2);
        assertTrue(s1.bitEquals(s2), "sumRows");
    }

    /** The block copy moves exactly the block's elements, in either precision, and names a block that does not fit. */
    @Test
    void aBlockCopyMovesTheBlockAndNothingElse() {
        for (Precision p : Precision.values()) {
            Kernels k = Kernels.scalar(p);
            int[][] shapes = {{1, 1, 1, 1}, {7, 3, 5, 4}, {17, 16, 16, 33}, {5, 31, 40, 31}, {3, 257, 300, 260}, {0, 5, 5, 5}};
            for (int[] sh : shapes) {
                int rows = sh[0], cols = sh[1], lds = sh[2], ldd = sh[3];
                int srcLen = rows == 0 ? 0 : (rows - 1) * lds + cols;
                Vec whole = random(k, srcLen + 9, 11);
                Vec src = whole.view(2, srcLen + 7); // a view that does not start at 0, read from its offset 4
                int dstOffset = 3;
                Vec dst = random(k, dstOffset + Math.max(0, (rows - 1) * ldd + cols) + 3, 12);
                double[] before = dst.toDoubleArray();
                k.copy(rows, cols, src, 4, lds, dst, dstOffset, ldd);
                for (int i = 0; i < dst.length(); i++) {
                    int at = i - dstOffset, r = Math.floorDiv(at, ldd), c = Math.floorMod(at, ldd);
                    double want = at >= 0 && r < rows && c < cols ? src.get(4 + r * lds + c) : before[i];
                    assertEquals(want, dst.get(i), 0.0, p + " " + java.util.Arrays.toString(sh) + " element " + i);
                }
            }
            Vec small = k.allocate(10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.copy(3, 4, small, 0, 4, k.allocate(12), 0, 4));
            assertTrue(e.getMessage().contains("copy source"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.copy(2, 4, k.allocate(8), 0, 4, k.allocate(8), 1, 4));
            assertTrue(e.getMessage().contains("copy destination") && e.getMessage().contains("offset 1"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> k.copy(1, 1, k.allocate(8), -1, 1, k.allocate(8), 0, 1));
            assertTrue(e.getMessage().contains("negative"), e.getMessage());
        }
        Vec f = Kernels.scalar(Precision.FLOAT32).allocate(4);
        Vec d = Kernels.scalar(Precision.FLOAT64).allocate(4);
        assertThrows(IllegalArgumentException.class, () -> Kernels.scalar(Precision.FLOAT32).copy(1, 4, f, 0, 4, d, 0, 4));
    }
}
