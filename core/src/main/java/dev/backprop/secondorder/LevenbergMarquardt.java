package dev.backprop.secondorder;

/**
 * Levenberg–Marquardt for sums of squares f = ½‖r‖² (Levenberg 1944, Marquardt 1963; as MATLAB's trainlm
 * applies it to networks, Hagan &amp; Menhaj 1994): from the normal equations JᵀJ and Jᵀr at x, try the step
 * δ = −(JᵀJ + μI)⁻¹Jᵀr; if f(x + δ) &lt; f(x) accept it and divide μ by {@code muDec}'s reciprocal
 * (μ ← max(μ·muDec, 1e−20)), otherwise μ ← μ·muInc and try again, until μ exceeds {@code muMax}. Small μ is Gauss–Newton,
 * large μ a short gradient step. Needs a {@link LeastSquares} objective; O(n²) memory for JᵀJ.
 *
 * @param mu    the initial μ (default 0.001)
 * @param muDec the factor μ is multiplied by after a successful step, in (0, 1) (default 0.1)
 * @param muInc the factor μ is multiplied by after a failed trial, &gt; 1 (default 10)
 * @param muMax the μ beyond which the method gives up (default 1e10)
 */
public record LevenbergMarquardt(double mu, double muDec, double muInc, double muMax) implements Method {
    /** μ never falls below this (as in MATLAB's trainlm), so that μ·mu_inc can grow again. */
    static final double MU_MIN = 1e-20;

    public LevenbergMarquardt {
        checkMu(mu, muDec, muInc, muMax, "Levenberg-Marquardt");
    }

    /** MATLAB trainlm's defaults: μ = 0.001, mu_dec = 0.1, mu_inc = 10, mu_max = 1e10. */
    public LevenbergMarquardt() {
        this(0.001, 0.1, 10, 1e10);
    }

    public String id() {
        return "lm";
    }

    public Run start(Objective objective, double[] x0) {
        LeastSquares ls = leastSquares(objective, "Levenberg-Marquardt");
        Matrices.checkSize(ls.dimension(), 3, "Levenberg-Marquardt", "L-BFGS or Hessian-free Newton (hessian_free)");
        Run r = new Run(ls, x0) {
            private final double[] jtj = new double[n * n];
            private final double[] jtr = new double[n];
            private final double[] l = new double[n * n];
            private final double[] delta = new double[n];
            private final double[] xTry = new double[n];
            private final double[] rhs = new double[n];
            private double m = mu;

            @Override
            void start() {
                normalEquations();
            }

            /** JᵀJ, Jᵀr (= ∇f) and f at x, so the gradient the stopping rules see is always the current one. */
            private void normalEquations() {
                fx = ls.normalEquations(x, jtj, jtr);
                System.arraycopy(jtr, 0, g, 0, n);
                evaluations++;
            }

            public boolean iterate() {
                for (int i = 0; i < n; i++) {
                    rhs[i] = -jtr[i];
                }
                while (m <= muMax) {
                    if (Matrices.cholesky(jtj, n, m, l)) {
                        Matrices.choleskySolve(l, n, rhs, delta);
                        for (int i = 0; i < n; i++) {
                            xTry[i] = x[i] + delta[i];
                        }
                        double fTry = ls.value(xTry);
                        evaluations++;
                        if (fTry < fx) {
                            System.arraycopy(xTry, 0, x, 0, n);
                            info.put("mu", m);
                            m = Math.max(m * muDec, MU_MIN);
                            normalEquations();
                            return true;
                        }
                    }
                    m *= muInc;
                }
                info.put("mu", m);
                return stall("mu exceeded mu_max " + muMax + " without a step that reduces f");
            }
        };
        r.start();
        return r;
    }

    static LeastSquares leastSquares(Objective f, String method) {
        if (!(f instanceof LeastSquares ls)) {
            throw new IllegalArgumentException(method + " needs a sum-of-squares objective (residuals and their Jacobian), which this"
                    + " objective is not; use L-BFGS, BFGS, conjugate gradient or Newton");
        }
        return ls;
    }

    static void checkMu(double mu, double muDec, double muInc, double muMax, String method) {
        if (!(mu > 0) || !(muMax > mu) || Double.isInfinite(muMax)) {
            throw new IllegalArgumentException(method + " needs 0 < mu < mu_max < inf, got mu = " + mu + ", mu_max = " + muMax);
        }
        if (!(muDec > 0 && muDec < 1)) {
            throw new IllegalArgumentException(method + " mu_dec must be in (0, 1), got " + muDec);
        }
        if (!(muInc > 1) || Double.isInfinite(muInc)) {
            throw new IllegalArgumentException(method + " mu_inc must be a finite number > 1, got " + muInc);
        }
    }
}
