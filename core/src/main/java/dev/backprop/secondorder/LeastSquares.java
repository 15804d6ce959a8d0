package dev.backprop.secondorder;

/**
 * An objective of the form f(x) = ½·‖r(x)‖² with residuals r: ℝⁿ → ℝᵐ, which Levenberg–Marquardt and
 * Bayesian regularization need: it evaluates the residuals and the Gauss–Newton normal equations JᵀJ and
 * Jᵀr (= ∇f), with J = ∂r/∂x the Jacobian, which an implementation may accumulate block by block without ever
 * holding J as a whole (a network's does).
 */
public interface LeastSquares extends Objective {

    /** m, the number of residuals. */
    int residualCount();

    /** Writes r(x) (m entries). */
    void residuals(double[] x, double[] r);

    /**
     * Returns f(x) = ½‖r(x)‖² and writes JᵀJ (n×n, row-major) into {@code jtj} and Jᵀr into {@code jtr}.
     */
    double normalEquations(double[] x, double[] jtj, double[] jtr);

    /**
     * Which variables a weight penalty applies to (Bayesian regularization's E_W). Default: all of them.
     */
    default boolean[] penalized() {
        boolean[] all = new boolean[dimension()];
        java.util.Arrays.fill(all, true);
        return all;
    }
}
