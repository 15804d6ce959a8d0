package dev.backprop.secondorder;

/**
 * Møller's scaled conjugate gradient (Møller 1993, "A scaled conjugate gradient algorithm for fast supervised
 * learning", Neural Networks 6): conjugate directions without a line search. The curvature along p is
 * estimated from two gradients, sₖ = (∇f(x + σₖp) − ∇f(x))/σₖ with σₖ = σ/‖p‖, and a Levenberg-Marquardt-like
 * scale λ keeps it positive and is raised or lowered by the ratio Δ of the actual to the predicted decrease
 * (Møller's steps 1–9). Directions restart every n successful steps. Defaults are MATLAB trainscg's.
 *
 * @param sigma  σ, the relative step of the curvature estimate (default 5e−5)
 * @param lambda λ₁, the initial scale (default 5e−7)
 */
public record ScaledConjugateGradient(double sigma, double lambda) implements Method {
    public ScaledConjugateGradient {
        if (!(sigma > 0 && sigma < 1)) {
            throw new IllegalArgumentException("SCG sigma must be in (0, 1), got " + sigma);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("SCG lambda must be a positive number, got " + lambda);
        }
    }

    /** σ = 5e−5, λ₁ = 5e−7 (MATLAB trainscg). */
    public ScaledConjugateGradient() {
        this(5e-5, 5e-7);
    }

    public String id() {
        return "scg";
    }

    public Run start(Objective f, double[] x0) {
        Run r = new Run(f, x0) {
            private final double[] p = new double[n];
            private final double[] res = new double[n]; // r = −∇f
            private final double[] gPlus = new double[n];
            private final double[] xTry = new double[n];
            private final double[] gTry = new double[n];
            private double lam = lambda;
            private double lamBar;
            private double delta;
            private boolean success = true;
            private int successes;
            private boolean begun;

            public boolean iterate() {
                if (!begun) {
                    for (int i = 0; i < n; i++) {
                        res[i] = -g[i];
                        p[i] = res[i];
                    }
                    begun = true;
                }
                // a bounded number of rejected trials per iteration, so that every call either moves or stalls
                for (int attempt = 0; attempt < 60; attempt++) {
                    double pp = Matrices.dot(p, p);
                    if (!(pp > 0)) {
                        return stall("the search direction vanished");
                    }
                    if (success) { // step 2: curvature along p from two gradients
                        double sig = sigma / Math.sqrt(pp);
                        LineSearch.step(x, p, sig, xTry);
                        f.valueAndGradient(xTry, gPlus);
                        evaluations++;
                        delta = 0;
                        for (int i = 0; i < n; i++) {
                            delta += p[i] * (gPlus[i] - g[i]) / sig;
                        }
                    }
                    delta += (lam - lamBar) * pp; // step 3: scale
                    if (delta <= 0) { // step 4: make the Hessian approximation positive definite
                        lamBar = 2 * (lam - delta / pp);
                        delta = -delta + lam * pp;
                        lam = lamBar;
                    }
                    double mu = Matrices.dot(p, res); // step 5
                    double alpha = mu / delta;
                    LineSearch.step(x, p, alpha, xTry); // step 6: comparison parameter
                    double fTry = f.valueAndGradient(xTry, gTry);
                    evaluations++;
                    double cmp = Double.isFinite(fTry) ? 2 * delta * (fx - fTry) / (mu * mu) : -1;
                    if (Double.isNaN(cmp)) { // μ = pᵀr = 0 (0/0): no comparison possible, count it a failure
                        cmp = -1;
                    }
                    boolean moved = false;
                    if (cmp >= 0) { // step 7: a successful reduction
                        double rOld = 0;
                        double rNew = 0;
                        for (int i = 0; i < n; i++) {
                            double rn = -gTry[i];
                            rOld += rn * res[i];
                            rNew += rn * rn;
                            res[i] = rn;
                        }
                        System.arraycopy(xTry, 0, x, 0, n);
                        System.arraycopy(gTry, 0, g, 0, n);
                        fx = fTry;
                        lamBar = 0;
                        success = true;
                        successes++;
                        if (successes % n == 0) {
                            System.arraycopy(res, 0, p, 0, n);
                        } else {
                            double beta = (rNew - rOld) / mu;
                            for (int i = 0; i < n; i++) {
                                p[i] = res[i] + beta * p[i];
                            }
                        }
                        if (cmp >= 0.75) {
                            lam /= 4;
                        }
                        moved = true;
                    } else {
                        lamBar = lam;
                        success = false;
                    }
                    if (cmp < 0.25) { // step 8: increase the scale
                        lam += delta * (1 - cmp) / pp;
                    }
                    info.put("lambda", lam);
                    info.put("step", alpha);
                    if (moved) {
                        return true;
                    }
                    if (!Double.isFinite(lam) || lam > 1e100) {
                        break;
                    }
                }
                return stall("no step reduced f (the scale lambda grew to " + lam + ")");
            }
        };
        r.start();
        return r;
    }
}
