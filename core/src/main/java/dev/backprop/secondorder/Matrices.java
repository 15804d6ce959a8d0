package dev.backprop.secondorder;

import dev.backprop.Precision;
import dev.backprop.kernel.DoubleVec;
import dev.backprop.kernel.Kernels;

/**
 * The small dense linear algebra of the second-order methods, on row-major n×n double arrays: Cholesky
 * factorisation and solves, and the diagonal of an inverse. O(n³) and single-threaded: these methods are for
 * networks with up to a few thousand trainable parameters.
 */
final class Matrices {
    private Matrices() {
    }

    /**
     * Factors the symmetric matrix a + shift·I (a is not changed) into RᵀR, R upper triangular, written into
     * {@code r}. Returns false if the matrix is not numerically positive definite. Runs on the preferred float64
     * kernels ({@link Kernels#cholesky}), so it is vectorised when the Vector API backend is present.
     */
    static boolean cholesky(double[] a, int n, double shift, double[] r) {
        return Kernels.preferred(Precision.FLOAT64).cholesky(n, shift, DoubleVec.wrap(a), DoubleVec.wrap(r));
    }

    /**
     * Solves RᵀR·x = b for x (overwriting nothing but {@code x}): Rᵀy = b forward, then R·x = y backward, both
     * by contiguous rows of R.
     */
    static void choleskySolve(double[] r, int n, double[] b, double[] x) {
        System.arraycopy(b, 0, x, 0, n);
        for (int k = 0; k < n; k++) {
            double xk = x[k] / r[k * n + k];
            x[k] = xk;
            for (int j = k + 1; j < n; j++) {
                x[j] -= xk * r[k * n + j];
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            double sum = x[i];
            for (int k = i + 1; k < n; k++) {
                sum -= r[i * n + k] * x[k];
            }
            x[i] = sum / r[i * n + i];
        }
    }

    /** The diagonal of (RᵀR)⁻¹, from the factor R: column by column, O(n³). */
    static double[] inverseDiagonal(double[] r, int n) {
        double[] diag = new double[n];
        double[] e = new double[n];
        double[] col = new double[n];
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(e, 0);
            e[j] = 1;
            choleskySolve(r, n, e, col);
            diag[j] = col[j];
        }
        return diag;
    }

    /** y = A·x for an n×n row-major A. */
    static void multiply(double[] a, int n, double[] x, double[] y) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += a[i * n + j] * x[j];
            }
            y[i] = s;
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Largest absolute value on the diagonal of an n×n matrix. */
    static double maxDiagonal(double[] a, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(a[i * n + i]));
        }
        return m;
    }

    /** Checks that an n×n dense matrix fits, or explains what to use instead. */
    /**
     * Refuses a problem too large for a method that keeps {@code matrices} dense n×n double matrices: more than
     * 10,000 variables, or matrices that would take more than half the heap. The message names the count, the
     * memory and the alternatives.
     */
    static void checkSize(int n, int matrices, String method, String alternatives) {
        long bytes = 8L * n * n * matrices;
        if (n > 10_000 || bytes > Runtime.getRuntime().maxMemory() / 2) {
            throw new IllegalArgumentException(method + " works with n×n matrices: " + String.format("%,d", n) + " parameters would need "
                    + matrices + " of them, " + String.format("%,d", n) + "² doubles each = " + human(bytes) + "; use " + alternatives
                    + " instead");
        }
    }

    static String human(long bytes) {
        double b = bytes;
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", b, units[u]);
    }
}
