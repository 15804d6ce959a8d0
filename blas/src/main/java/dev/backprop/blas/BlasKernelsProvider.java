package dev.backprop.blas;

import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.KernelsProvider;

/**
 * Registers the OpenBLAS-backed kernels ({@link BlasFloatKernels}, {@link BlasDoubleKernels}). Their priority, 5, is
 * below the Vector API backend's (10): on this project's machine OpenBLAS's single-threaded sgemm matches ours on the
 * W1 network's products (239 against 242 µs for 64×256×784) and is about 10% faster on 1024³, while the element-wise
 * work here stays scalar. So they are chosen automatically only where the Vector API is not enabled, and on request
 * with {@code -Dbackprop.kernels=blas}. The JVM should run with {@code --enable-native-access=ALL-UNNAMED} (the
 * launchers pass it), or it warns on first use.
 */
public final class BlasKernelsProvider implements KernelsProvider {

    /** For {@link java.util.ServiceLoader}. */
    public BlasKernelsProvider() {
    }

    /**
     * The OpenBLAS core type of the fastest kernels this CPU runs, from /proc/cpuinfo's flags: SkylakeX with avx512f,
     * Haswell with avx2, else null (OpenBLAS's own choice). What this backend sets before loading the library, and what
     * the W1 benchmark gives its PyTorch peer.
     */
    public static String fastestCoreType() {
        return OpenBlas.bestCoreType();
    }

    @Override
    public String name() {
        return "blas";
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public String unavailableReason() {
        return OpenBlas.get().failure();
    }

    @Override
    public String describe() {
        OpenBlas.Loaded l = OpenBlas.get();
        return "OpenBLAS GEMM from " + l.path() + ", " + l.core() + " kernels, 1 OpenBLAS thread; other kernels scalar";
    }

    @Override
    public Kernels kernels(Precision precision) {
        return precision == Precision.FLOAT32 ? BlasFloatKernels.INSTANCE : BlasDoubleKernels.INSTANCE;
    }
}
