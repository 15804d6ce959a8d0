package dev.backprop.simd;

import dev.backprop.Precision;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.KernelsProvider;

/**
 * Registers the Vector API kernels ({@link VectorFloatKernels}, {@link VectorDoubleKernels}) with
 * {@link Kernels#preferred(Precision)}. They are used when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code ./backprop} launcher and the build pass it) and the CPU's
 * preferred vectors are at least 256 bits wide; otherwise {@link #unavailableReason()} says why and the scalar
 * reference is used. This class touches no Vector API type until it knows the module is there.
 */
public final class VectorKernelsProvider implements KernelsProvider {
    private static final String MODULE = "jdk.incubator.vector";

    /** For {@link java.util.ServiceLoader}. */
    public VectorKernelsProvider() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public String unavailableReason() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return "the JVM was started without --add-modules " + MODULE;
        }
        int bits = Probe.bits();
        if (bits < 256) {
            return "this CPU's vectors are " + bits + " bits wide, too narrow to beat the scalar loops";
        }
        return null;
    }

    @Override
    public String describe() {
        return Probe.describe();
    }

    @Override
    public Kernels kernels(Precision precision) {
        return precision == Precision.FLOAT32 ? VectorFloatKernels.INSTANCE : VectorDoubleKernels.INSTANCE;
    }

    /** The only place that names Vector API types, loaded after the module check. */
    private static final class Probe {
        static int bits() {
            return FloatGemm.S.vectorBitSize();
        }

        static String describe() {
            return bits() + "-bit vectors, " + FloatGemm.L + " float32 / " + DoubleGemm.L + " float64 lanes, GEMM tiles "
                    + FloatGemm.MR + "x" + FloatGemm.NR + " / " + DoubleGemm.MR + "x" + DoubleGemm.NR;
        }
    }
}
