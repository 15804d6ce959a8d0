package dev.backprop.secondorder;

/**
 * BFGS with a dense inverse-Hessian approximation (Nocedal &amp; Wright, Algorithm 6.1): p = −H·∇f, a strong
 * Wolfe line search, then H ← (I − ρsyᵀ)·H·(I − ρysᵀ) + ρssᵀ with s the step, y the change of the gradient and
 * ρ = 1/(yᵀs). H starts as the identity, rescaled by yᵀs/yᵀy before the first update; an update with
 * yᵀs ≤ 1e−10·‖s‖‖y‖ is skipped. O(n²) memory: for small networks ({@link Lbfgs} otherwise).
 *
 * @param c1 the sufficient-decrease constant (default 1e−4)
 * @param c2 the curvature constant (default 0.9)
 */
public record Bfgs(double c1, double c2) implements Method {
    public Bfgs {
        LineSearchConstants.check(c1, c2, "BFGS");
    }

    /** c1 = 1e−4, c2 = 0.9. */
    public Bfgs() {
        this(1e-4, 0.9);
    }

    public String id() {
        return "bfgs";
    }

    public Run start(Objective f, double[] x0) {
        Matrices.checkSize(f.dimension(), 1, "BFGS", "L-BFGS");
        Run r = new Run(f, x0) {
            private final double[] h = identity(n);
            private final double[] p = new double[n];
            private final double[] s = new double[n];
            private final double[] y = new double[n];
            private final double[] hy = new double[n];
            private final double[] xNew = new double[n];
            private final double[] gNew = new double[n];
            private boolean scaled;

            public boolean iterate() {
                Matrices.multiply(h, n, g, p);
                for (int i = 0; i < n; i++) {
                    p[i] = -p[i];
                }
                if (!(Matrices.dot(p, g) < 0)) { // lost positive definiteness numerically: restart from steepest descent
                    fillIdentity(h, n);
                    scaled = false;
                    for (int i = 0; i < n; i++) {
                        p[i] = -g[i];
                    }
                }
                double alpha0 = scaled ? 1.0 : Math.min(1.0, 1.0 / Math.max(Matrices.norm(g), 1e-12));
                LineSearch.Outcome o = LineSearch.strongWolfe(f, x, fx, g, p, alpha0, c1, c2, 25, xNew, gNew);
                evaluations += o.evaluations();
                info.put("step", o.alpha());
                if (!o.ok()) {
                    return stall("the line search found no decrease along the BFGS direction");
                }
                for (int i = 0; i < n; i++) {
                    s[i] = xNew[i] - x[i];
                    y[i] = gNew[i] - g[i];
                }
                double ys = Matrices.dot(y, s);
                if (ys > 1e-10 * Matrices.norm(y) * Matrices.norm(s)) {
                    if (!scaled) {
                        double gamma = ys / Matrices.dot(y, y);
                        for (int i = 0; i < n * n; i++) {
                            h[i] *= gamma;
                        }
                        scaled = true;
                    }
                    double rho = 1.0 / ys;
                    Matrices.multiply(h, n, y, hy);
                    double yhy = Matrices.dot(y, hy);
                    // H ← H − ρ(Hy·sᵀ + s·(Hy)ᵀ) + (ρ²·yᵀHy + ρ)·ssᵀ, the expanded form of the product update
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
                        }
                    }
                }
                return accept(xNew, gNew, o.value());
            }
        };
        r.start();
        return r;
    }

    static double[] identity(int n) {
        double[] h = new double[n * n];
        fillIdentity(h, n);
        return h;
    }

    static void fillIdentity(double[] h, int n) {
        java.util.Arrays.fill(h, 0);
        for (int i = 0; i < n; i++) {
            h[i * n + i] = 1;
        }
    }
}
