package dev.backprop.secondorder;

/**
 * Bayesian regularization (MacKay 1992, "Bayesian interpolation"; applied to Levenberg–Marquardt by Foresee &amp;
 * Hagan 1997, as MATLAB's trainbr): minimise F = β·E_D + α·E_W, with E_D = Σ r² the sum of squared errors and
 * E_W = Σ w² over the penalized variables (a network's weights, not its biases), re-estimating the
 * hyper-parameters after every Levenberg–Marquardt step from the evidence: with H = βJᵀJ + αP (P the penalty's
 * diagonal), the effective number of penalized parameters is γ = N_P − α·tr(P·H⁻¹), and α = γ/(2E_W),
 * β = (m − γ')/(2E_D), γ' = γ plus the unpenalized variables, m the number of residuals. It starts from α = 0,
 * β = 1. Each iteration reports α, β and γ' ("effective parameters"). Needs a {@link LeastSquares} objective
 * of the raw residuals (a network's, without the 1/n scaling or an L2 term).
 *
 * @param mu    the initial μ (default 0.005, trainbr's)
 * @param muDec μ's factor after a success (default 0.1)
 * @param muInc μ's factor after a failure (default 10)
 * @param muMax the μ beyond which the method gives up (default 1e10)
 */
public record BayesianRegularization(double mu, double muDec, double muInc, double muMax) implements Method {
    public BayesianRegularization {
        LevenbergMarquardt.checkMu(mu, muDec, muInc, muMax, "Bayesian regularization");
    }

    /** MATLAB trainbr's defaults: μ = 0.005, mu_dec = 0.1, mu_inc = 10, mu_max = 1e10. */
    public BayesianRegularization() {
        this(0.005, 0.1, 10, 1e10);
    }

    public String id() {
        return "br";
    }

    public Run start(Objective objective, double[] x0) {
        LeastSquares ls = LevenbergMarquardt.leastSquares(objective, "Bayesian regularization");
        Matrices.checkSize(ls.dimension(), 4, "Bayesian regularization", "L-BFGS with an L2 penalty");
        boolean[] pen = ls.penalized();
        Run r = new Run(ls, x0) {
            private final double[] jtj = new double[n * n];
            private final double[] jtr = new double[n];
            private final double[] a = new double[n * n];
            private final double[] l = new double[n * n];
            private final double[] rhs = new double[n];
            private final double[] delta = new double[n];
            private final double[] xTry = new double[n];
            private double m = mu;
            private double alpha = 0;
            private double beta = 1;
            private double ed;
            private final int penalizedCount = count(pen);
            private final int residuals = ls.residualCount();

            /** The goal applies to the sum of squares ½·E_D, not to F, whose scale the re-estimation keeps near m/2. */
            @Override
            public double loss() {
                return ed / 2;
            }

            @Override
            void start() {
                ed = 2 * ls.normalEquations(x, jtj, jtr);
                evaluations++;
                fx = objectiveValue(ed, x);
                gradient();
            }

            private double ew(double[] v) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    if (pen[i]) {
                        s += v[i] * v[i];
                    }
                }
                return s;
            }

            private double objectiveValue(double edValue, double[] v) {
                return beta * edValue + alpha * ew(v);
            }

            /** ∇F/2 = βJᵀr + αPx, kept in g (halved, as the system below). */
            private void gradient() {
                for (int i = 0; i < n; i++) {
                    g[i] = beta * jtr[i] + (pen[i] ? alpha * x[i] : 0);
                }
            }

            public boolean iterate() {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        a[i * n + j] = beta * jtj[i * n + j];
                    }
                    if (pen[i]) {
                        a[i * n + i] += alpha;
                    }
                    rhs[i] = -g[i];
                }
                boolean moved = false;
                while (m <= muMax) {
                    if (Matrices.cholesky(a, n, m, l)) {
                        Matrices.choleskySolve(l, n, rhs, delta);
                        for (int i = 0; i < n; i++) {
                            xTry[i] = x[i] + delta[i];
                        }
                        double edTry = 2 * ls.value(xTry);
                        evaluations++;
                        double fTry = objectiveValue(edTry, xTry);
                        if (fTry < fx) {
                            System.arraycopy(xTry, 0, x, 0, n);
                            m = Math.max(m * muDec, LevenbergMarquardt.MU_MIN);
                            moved = true;
                            break;
                        }
                    }
                    m *= muInc;
                }
                if (!moved) {
                    info.put("mu", m);
                    return stall("mu exceeded mu_max " + muMax + " without a step that reduces F");
                }
                // re-estimate α and β at the new point (MacKay's evidence), with the Gauss-Newton Hessian there
                ed = 2 * ls.normalEquations(x, jtj, jtr);
                evaluations++;
                if (!Double.isFinite(ed) || !allFinite(jtj) || !allFinite(jtr)) {
                    fx = Double.NaN; // the Minimizer reports NOT_FINITE
                    return true;
                }
                double trace = 0;
                if (alpha > 0) {
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            a[i * n + j] = beta * jtj[i * n + j];
                        }
                        if (pen[i]) {
                            a[i * n + i] += alpha;
                        }
                    }
                    double shift = 0;
                    double scale = Math.max(1e-300, Matrices.maxDiagonal(a, n));
                    while (!Matrices.cholesky(a, n, shift, l)) {
                        shift = shift == 0 ? 1e-10 * scale : shift * 10;
                        if (shift > 1e10 * scale) {
                            fx = objectiveValue(ed, x); // at the point reached, with the last α and β
                            gradient();
                            return stall("the Hessian of F could not be factored to re-estimate alpha and beta");
                        }
                    }
                    double[] inv = Matrices.inverseDiagonal(l, n);
                    for (int i = 0; i < n; i++) {
                        if (pen[i]) {
                            trace += inv[i];
                        }
                    }
                }
                double gamma = Math.max(0, Math.min(penalizedCount, penalizedCount - alpha * trace));
                double effective = gamma + (n - penalizedCount);
                double ewNow = ew(x);
                alpha = ewNow > 0 ? gamma / (2 * ewNow) : 1;
                beta = ed > 0 ? Math.max(residuals - effective, 1e-3) / (2 * ed) : beta;
                fx = objectiveValue(ed, x);
                gradient();
                info.put("mu", m);
                info.put("alpha", alpha);
                info.put("beta", beta);
                info.put("effective_parameters", effective);
                info.put("sse", ed);
                return true;
            }
        };
        r.start();
        return r;
    }

    private static boolean allFinite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) {
            c += v ? 1 : 0;
        }
        return c;
    }
}
