package dev.backprop.secondorder;

/**
 * Hessian-free (truncated) Newton: the Newton system H·p = −∇f is solved only approximately, by conjugate
 * gradients that need nothing but Hessian-vector products (exact, by the R-operator, for networks), stopped
 * when the residual falls below η·‖∇f‖ with η = min(0.5, √‖∇f‖) (Nocedal &amp; Wright, Algorithm 7.1), after
 * {@code maxCgIterations}, or at the first direction of negative curvature (then the last iterate, or the
 * steepest-descent direction, is used). A strong Wolfe line search completes the step. Memory O(n): for
 * networks too large for {@link Newton}.
 *
 * @param maxCgIterations the most conjugate-gradient iterations per Newton step (default 100)
 * @param damping         λ ≥ 0 added to the Hessian's diagonal, H + λI (default 0)
 */
public record HessianFree(int maxCgIterations, double damping) implements Method {
    public HessianFree {
        if (maxCgIterations < 1) {
            throw new IllegalArgumentException("Hessian-free needs at least 1 CG iteration per step, got " + maxCgIterations);
        }
        if (!(damping >= 0) || Double.isInfinite(damping)) {
            throw new IllegalArgumentException("Hessian-free damping must be a finite number >= 0, got " + damping);
        }
    }

    /** 100 CG iterations per step, no damping. */
    public HessianFree() {
        this(100, 0);
    }

    public String id() {
        return "hessian_free";
    }

    public Run start(Objective f, double[] x0) {
        Run r = new Run(f, x0) {
            private final double[] z = new double[n];
            private final double[] res = new double[n];
            private final double[] d = new double[n];
            private final double[] hd = new double[n];
            private final double[] p = new double[n];
            private final double[] xNew = new double[n];
            private final double[] gNew = new double[n];

            public boolean iterate() {
                double gNorm = Matrices.norm(g);
                double tol = Math.min(0.5, Math.sqrt(gNorm)) * gNorm;
                java.util.Arrays.fill(z, 0);
                System.arraycopy(g, 0, res, 0, n);
                for (int i = 0; i < n; i++) {
                    d[i] = -res[i];
                }
                double rr = Matrices.dot(res, res);
                int cg = 0;
                boolean done = false;
                while (!done) {
                    f.hessianVector(x, d, hd);
                    for (int i = 0; i < n; i++) {
                        hd[i] += damping * d[i];
                    }
                    double curvature = Matrices.dot(d, hd);
                    cg++;
                    if (curvature <= 1e-14 * Matrices.dot(d, d)) { // negative (or no) curvature along d
                        if (cg == 1) {
                            for (int i = 0; i < n; i++) {
                                z[i] = -g[i];
                            }
                        }
                        break;
                    }
                    double alpha = rr / curvature;
                    for (int i = 0; i < n; i++) {
                        z[i] += alpha * d[i];
                        res[i] += alpha * hd[i];
                    }
                    double rrNew = Matrices.dot(res, res);
                    if (Math.sqrt(rrNew) < tol || cg >= maxCgIterations) {
                        done = true;
                    } else {
                        double beta = rrNew / rr;
                        for (int i = 0; i < n; i++) {
                            d[i] = -res[i] + beta * d[i];
                        }
                        rr = rrNew;
                    }
                }
                System.arraycopy(z, 0, p, 0, n);
                info.put("cg", (double) cg);
                LineSearch.Outcome o = LineSearch.strongWolfe(f, x, fx, g, p, 1.0, 1e-4, 0.9, 25, xNew, gNew);
                evaluations += o.evaluations();
                info.put("step", o.alpha());
                if (!o.ok()) {
                    return stall("the line search found no decrease along the truncated Newton direction");
                }
                return accept(xNew, gNew, o.value());
            }
        };
        r.start();
        return r;
    }
}
