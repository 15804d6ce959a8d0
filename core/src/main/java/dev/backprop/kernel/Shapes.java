package dev.backprop.kernel;

/** Argument checks shared by kernel implementations; each failure names the operand and the sizes. */
public final class Shapes {
    private Shapes() {
    }

    /** Checks that x holds at least a rows×cols matrix. */
    public static void checkMatrix(Vec x, int rows, int cols, String name) {
        if (rows < 0 || cols < 0 || (long) rows * cols > x.length) {
            throw new IllegalArgumentException(name + ": a " + rows + "x" + cols + " matrix does not fit in a vector of length " + x.length);
        }
    }

    /** Checks that x has exactly n elements. */
    public static void checkLength(Vec x, int n, String name) {
        if (x.length != n) {
            throw new IllegalArgumentException(name + ": expected length " + n + ", got " + x.length);
        }
    }

    /** Checks that x and y have the same length. */
    public static void checkSameLength(Vec x, Vec y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("vector lengths differ: " + x.length + " and " + y.length);
        }
    }

    /** Checks the operands of {@link Kernels#gemm}. */
    public static void checkGemm(boolean transA, boolean transB, int m, int n, int k, Vec a, Vec b, Vec c) {
        checkMatrix(a, transA ? k : m, transA ? m : k, "gemm A");
        checkMatrix(b, transB ? n : k, transB ? k : n, "gemm B");
        checkMatrix(c, m, n, "gemm C");
    }
}
