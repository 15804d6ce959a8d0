package dev.backprop.secondorder;

/**
 * Limited-memory BFGS (Nocedal 1980; Nocedal &amp; Wright, Algorithms 7.4 and 7.5): the product of the inverse
 * Hessian approximation with the gradient is computed by the two-loop recursion from the last {@code history}
 * pairs (s, y), with the initial matrix γI, γ = sᵀy/yᵀy; a strong Wolfe line search picks the step; pairs with
 * sᵀy ≤ 1e−10·‖s‖‖y‖ are not stored. O(history·n) memory.
 *
 * @param history the number of (s, y) pairs kept (default 10, scipy's; PyTorch uses 100)
 * @param c1      the sufficient-decrease constant (default 1e−4)
 * @param c2      the curvature constant (default 0.9)
 */
public record Lbfgs(int history, double c1, double c2) implements Method {
    public Lbfgs {
        if (history < 1) {
            throw new IllegalArgumentException("L-BFGS history must be at least 1, got " + history);
        }
        LineSearchConstants.check(c1, c2, "L-BFGS");
    }

    /** 10 pairs, c1 = 1e−4, c2 = 0.9. */
    public Lbfgs() {
        this(10, 1e-4, 0.9);
    }

    /** {@code history} pairs, c1 = 1e−4, c2 = 0.9. */
    public Lbfgs(int history) {
        this(history, 1e-4, 0.9);
    }

    public String id() {
        return "lbfgs";
    }

    public Run start(Objective f, double[] x0) {
        Run r = new Run(f, x0) {
            private final double[][] s = new double[history][n];
            private final double[][] y = new double[history][n];
            private final double[] rho = new double[history];
            private final double[] a = new double[history];
            private int stored;
            private int newest = -1;
            private final double[] q = new double[n];
            private final double[] xNew = new double[n];
            private final double[] gNew = new double[n];
            private final double[] sNew = new double[n];
            private final double[] yNew = new double[n];

            public boolean iterate() {
                System.arraycopy(g, 0, q, 0, n);
                for (int k = 0; k < stored; k++) {
                    int i = Math.floorMod(newest - k, history);
                    a[i] = rho[i] * Matrices.dot(s[i], q);
                    for (int j = 0; j < n; j++) {
                        q[j] -= a[i] * y[i][j];
                    }
                }
                double gamma = stored == 0 ? 1.0 : Matrices.dot(s[newest], y[newest]) / Matrices.dot(y[newest], y[newest]);
                for (int j = 0; j < n; j++) {
                    q[j] *= gamma;
                }
                for (int k = stored - 1; k >= 0; k--) {
                    int i = Math.floorMod(newest - k, history);
                    double b = rho[i] * Matrices.dot(y[i], q);
                    for (int j = 0; j < n; j++) {
                        q[j] += s[i][j] * (a[i] - b);
                    }
                }
                for (int j = 0; j < n; j++) {
                    q[j] = -q[j];
                }
                if (!(Matrices.dot(q, g) < 0)) {
                    stored = 0;
                    for (int j = 0; j < n; j++) {
                        q[j] = -g[j];
                    }
                }
                double alpha0 = stored == 0 ? Math.min(1.0, 1.0 / Math.max(Matrices.norm(g), 1e-12)) : 1.0;
                LineSearch.Outcome o = LineSearch.strongWolfe(f, x, fx, g, q, alpha0, c1, c2, 25, xNew, gNew);
                evaluations += o.evaluations();
                info.put("step", o.alpha());
                if (!o.ok()) {
                    return stall("the line search found no decrease along the L-BFGS direction");
                }
                double sy = 0;
                double ss = 0;
                double yy = 0;
                for (int j = 0; j < n; j++) {
                    sNew[j] = xNew[j] - x[j];
                    yNew[j] = gNew[j] - g[j];
                    sy += sNew[j] * yNew[j];
                    ss += sNew[j] * sNew[j];
                    yy += yNew[j] * yNew[j];
                }
                if (sy > 1e-10 * Math.sqrt(ss * yy)) { // only a pair with positive curvature may replace the oldest
                    int slot = (newest + 1) % history;
                    System.arraycopy(sNew, 0, s[slot], 0, n);
                    System.arraycopy(yNew, 0, y[slot], 0, n);
                    rho[slot] = 1.0 / sy;
                    newest = slot;
                    stored = Math.min(stored + 1, history);
                }
                return accept(xNew, gNew, o.value());
            }
        };
        r.start();
        return r;
    }
}
