package dev.backprop.secondorder;

/**
 * Newton's method with the exact Hessian: H(x) is assembled column by column from n Hessian-vector products
 * (for a network, Pearlmutter's R-operator, so the Hessian is exact, not a difference quotient), then the step
 * solves (H + μI)·p = −∇f by Cholesky, with the Levenberg shift μ raised from zero (or from a tenth of the last
 * one) until H + μI is positive definite, so the step is a descent direction where H is indefinite. A
 * backtracking (Armijo) line search from the full step makes every iteration decrease f. Quadratic convergence
 * near a minimum; O(n²) memory and O(n³) time per iteration, so for networks of up to a few thousand
 * parameters (beyond that, {@link HessianFree}).
 *
 * @param c1 the Armijo constant (default 1e−4)
 */
public record Newton(double c1) implements Method {
    public Newton {
        if (!(c1 > 0 && c1 < 0.5)) {
            throw new IllegalArgumentException("Newton's Armijo constant c1 must be in (0, 0.5), got " + c1);
        }
    }

    /** c1 = 1e−4. */
    public Newton() {
        this(1e-4);
    }

    public String id() {
        return "newton";
    }

    public Run start(Objective f, double[] x0) {
        Matrices.checkSize(f.dimension(), 2, "Newton's method", "Hessian-free Newton (hessian_free) or L-BFGS");
        Run r = new Run(f, x0) {
            private final double[] h = new double[n * n];
            private final double[] l = new double[n * n];
            private final double[] p = new double[n];
            private final double[] e = new double[n];
            private final double[] xNew = new double[n];
            private final double[] gNew = new double[n];
            private double shift;

            public boolean iterate() {
                hessian(f, x, h);
                double scale = Math.max(1e-12, Matrices.maxDiagonal(h, n));
                shift = shift / 10 < 1e-12 * scale ? 0 : shift / 10;
                while (!Matrices.cholesky(h, n, shift, l)) {
                    shift = shift == 0 ? 1e-8 * scale : shift * 4;
                    if (shift > 1e12 * scale || !Double.isFinite(shift)) {
                        return stall("the Hessian could not be made positive definite");
                    }
                }
                for (int i = 0; i < n; i++) {
                    e[i] = -g[i];
                }
                Matrices.choleskySolve(l, n, e, p);
                LineSearch.Outcome o = LineSearch.armijo(f, x, fx, g, p, 1.0, c1, xNew, gNew);
                evaluations += o.evaluations();
                info.put("shift", shift);
                info.put("step", o.alpha());
                if (!o.ok()) {
                    return stall("the line search found no decrease along the Newton direction");
                }
                return accept(xNew, gNew, o.value());
            }
        };
        r.start();
        return r;
    }

    /**
     * Assembles the Hessian of f at x (n×n, row-major, into {@code h}) column by column from n Hessian-vector
     * products with the unit vectors, then symmetrises it, H ← (H + Hᵀ)/2 (exact products are symmetric up to
     * rounding).
     */
    public static void hessian(Objective f, double[] x, double[] h) {
        int n = x.length;
        if (h.length != n * n) {
            throw new IllegalArgumentException("the Hessian of " + n + " variables needs " + n * n + " entries, got " + h.length);
        }
        double[] e = new double[n];
        double[] col = new double[n];
        for (int j = 0; j < n; j++) {
            e[j] = 1;
            f.hessianVector(x, e, col);
            e[j] = 0;
            for (int i = 0; i < n; i++) {
                h[i * n + j] = col[i];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0.5 * (h[i * n + j] + h[j * n + i]);
                h[i * n + j] = s;
                h[j * n + i] = s;
            }
        }
    }
}
