package dev.backprop.testkit;

import dev.backprop.secondorder.LeastSquares;
import java.util.List;

/**
 * A reference least-squares problem f(x) = ½·‖r(x)‖² with analytic residuals and Jacobian, known starting
 * points and a known minimum: the MINPACK-style test functions of Moré, Garbow &amp; Hillstrom (1981) and the NIST
 * StRD nonlinear-regression problems. The Jacobian is dense (m×n, row-major); JᵀJ and Jᵀr are formed from it.
 * Hessian-vector products use the interface's central differences of the analytic gradient.
 */
public abstract class LeastSquaresProblem implements LeastSquares {
    private final String name;
    private final int m;
    private final int n;
    private final List<double[]> starts;
    private final double minimum;
    private final double[] solution;

    /**
     * @param minimum  the known minimum of f = ½‖r‖² (half the certified residual sum of squares)
     * @param solution the known minimiser, or null where only the value is known
     */
    protected LeastSquaresProblem(String name, int m, int n, List<double[]> starts, double minimum, double[] solution) {
        this.name = name;
        this.m = m;
        this.n = n;
        this.starts = List.copyOf(starts);
        this.minimum = minimum;
        this.solution = solution;
    }

    /** Writes r(x) (m entries). */
    @Override
    public abstract void residuals(double[] x, double[] r);

    /** Writes J(x) = ∂r/∂x (m×n, row-major). */
    protected abstract void jacobian(double[] x, double[] j);

    public String name() {
        return name;
    }

    /** The published starting points, in order. */
    public List<double[]> starts() {
        return starts.stream().map(double[]::clone).toList();
    }

    /** The known minimum of ½‖r‖². */
    public double minimum() {
        return minimum;
    }

    /** The known minimiser (a copy), or null. */
    public double[] solution() {
        return solution == null ? null : solution.clone();
    }

    @Override
    public int dimension() {
        return n;
    }

    @Override
    public int residualCount() {
        return m;
    }

    @Override
    public double value(double[] x) {
        double[] r = new double[m];
        residuals(x, r);
        return half(r);
    }

    @Override
    public double valueAndGradient(double[] x, double[] gradient) {
        double[] r = new double[m];
        double[] j = new double[m * n];
        residuals(x, r);
        jacobian(x, j);
        java.util.Arrays.fill(gradient, 0);
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < n; c++) {
                gradient[c] += j[i * n + c] * r[i];
            }
        }
        return half(r);
    }

    @Override
    public double normalEquations(double[] x, double[] jtj, double[] jtr) {
        double[] r = new double[m];
        double[] j = new double[m * n];
        residuals(x, r);
        jacobian(x, j);
        java.util.Arrays.fill(jtj, 0, n * n, 0);
        java.util.Arrays.fill(jtr, 0, n, 0);
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < n; a++) {
                double ja = j[i * n + a];
                jtr[a] += ja * r[i];
                for (int b = 0; b < n; b++) {
                    jtj[a * n + b] += ja * j[i * n + b];
                }
            }
        }
        return half(r);
    }

    private static double half(double[] r) {
        double s = 0;
        for (double v : r) {
            s += v * v;
        }
        return 0.5 * s;
    }

    @Override
    public String toString() {
        return name;
    }
}
