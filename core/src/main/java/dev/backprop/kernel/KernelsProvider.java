package dev.backprop.kernel;

import dev.backprop.Precision;

/**
 * A backend that can replace the scalar reference kernels, found at start-up with {@link java.util.ServiceLoader}
 * (a jar lists its provider in {@code META-INF/services/dev.backprop.kernel.KernelsProvider}). The backend with
 * the highest {@link #priority()} among those that are {@linkplain #unavailableReason() available} is chosen;
 * {@link Kernels#selection()} says which, and why.
 */
public interface KernelsProvider {

    /** A short name, e.g. {@code vector}. */
    String name();

    /** Higher wins among available providers (the scalar reference counts as 0). */
    int priority();

    /**
     * Null when this backend can run in this JVM on this CPU; otherwise, in one sentence, why not and what to do
     * (for example which JVM flag is missing). Must not throw, even when the classes the backend needs are absent.
     */
    String unavailableReason();

    /** What the backend will use here, e.g. {@code 512-bit vectors: 16 float32 or 8 float64 lanes}. */
    String describe();

    /** The kernels for a precision; called only when {@link #unavailableReason()} is null. */
    Kernels kernels(Precision precision);
}
