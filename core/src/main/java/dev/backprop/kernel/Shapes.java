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

    /**
     * Checks that x holds a rows×cols matrix whose consecutive rows are ld apart: ld ≥ max(1, cols), as BLAS asks,
     * and the last row ends inside x.
     */
    public static void checkStrided(Vec x, int rows, int cols, int ld, String name) {
        if (rows < 0 || cols < 0 || ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + ": a " + rows + "x" + cols + " matrix cannot have rows " + ld + " apart");
        }
        long need = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (need > x.length) {
            throw new IllegalArgumentException(name + ": a " + rows + "x" + cols + " matrix with rows " + ld
                    + " apart does not fit in a vector of length " + x.length);
        }
    }

    /** The same for a matrix that starts at {@code offset} in x. */
    public static void checkStrided(Vec x, int offset, int rows, int cols, int ld, String name) {
        if (offset < 0) {
            throw new IllegalArgumentException(name + ": offset " + offset + " is negative");
        }
        checkStrided(x, rows, cols, ld, name);
        long need = rows == 0 || cols == 0 ? 0 : offset + (long) (rows - 1) * ld + cols;
        if (need > x.length) {
            throw new IllegalArgumentException(name + ": a " + rows + "x" + cols + " matrix with rows " + ld
                    + " apart from offset " + offset + " does not fit in a vector of length " + x.length);
        }
    }

    /** Checks the operands of the strided {@link Kernels#gemm}. */
    public static void checkGemm(boolean transA, boolean transB, int m, int n, int k, Vec a, int lda, Vec b, int ldb, Vec c, int ldc) {
        checkStrided(a, transA ? k : m, transA ? m : k, lda, "gemm A");
        checkStrided(b, transB ? n : k, transB ? k : n, ldb, "gemm B");
        checkStrided(c, m, n, ldc, "gemm C");
    }

    /** Checks the operands of {@link Kernels#denseForward}. */
    public static void checkDenseForward(int m, int n, int k, Vec y, Vec w, Vec b, Vec z, Vec a, int ldz) {
        checkMatrix(y, m, k, "dense Y");
        checkMatrix(w, n, k, "dense W");
        if (b.length != 0 && b.length != n) {
            throw new IllegalArgumentException("dense b: expected length " + n + " (or 0: no bias), got " + b.length);
        }
        checkStrided(z, m, n, ldz, "dense Z");
        checkStrided(a, m, n, ldz, "dense A");
    }
}
