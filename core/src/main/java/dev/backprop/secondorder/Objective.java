package dev.backprop.secondorder;

/**
 * A smooth function f: ℝⁿ → ℝ to minimise: the full-batch objective J(θ) of a network over its trainable
 * parameters, or a test function. Implementations may cache the last point they were asked about; callers
 * must not change an array they passed in while the call runs.
 */
public interface Objective {

    /** n, the number of variables. */
    int dimension();

    /** f(x). */
    double value(double[] x);

    /** f(x), writing ∇f(x) into {@code gradient}. */
    double valueAndGradient(double[] x, double[] gradient);

    /** Whether {@link #hessianVector} is available (exactly, not by differences). */
    default boolean hasHessianVector() {
        return false;
    }

    /**
     * Writes H(x)·v into {@code hv}, H the Hessian of f. The default takes central differences of the gradient
     * (step 1e−6·max(1, ‖x‖)/‖v‖), two gradient evaluations.
     */
    default void hessianVector(double[] x, double[] v, double[] hv) {
        int n = x.length;
        double vn = 0;
        double xn = 0;
        for (int i = 0; i < n; i++) {
            vn += v[i] * v[i];
            xn += x[i] * x[i];
        }
        vn = Math.sqrt(vn);
        if (vn == 0) {
            java.util.Arrays.fill(hv, 0);
            return;
        }
        double h = 1e-6 * Math.max(1, Math.sqrt(xn)) / vn;
        double[] xp = new double[n];
        double[] xm = new double[n];
        for (int i = 0; i < n; i++) {
            xp[i] = x[i] + h * v[i];
            xm[i] = x[i] - h * v[i];
        }
        double[] gp = new double[n];
        double[] gm = new double[n];
        valueAndGradient(xp, gp);
        valueAndGradient(xm, gm);
        for (int i = 0; i < n; i++) {
            hv[i] = (gp[i] - gm[i]) / (2 * h);
        }
    }
}
