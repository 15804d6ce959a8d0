package dev.backprop.secondorder;

/**
 * Line searches along a descent direction d from x, shared by the methods that need one: backtracking with the
 * Armijo (sufficient decrease) condition, and a search for the strong Wolfe conditions with cubic
 * interpolation (Nocedal &amp; Wright, Numerical Optimization, 2nd ed., Algorithms 3.5 and 3.6; the
 * interpolation and its safeguards follow PyTorch's {@code torch.optim.lbfgs._strong_wolfe}, itself a port of
 * minFunc). Each writes the accepted point into {@code xNew} and its gradient into {@code gNew}.
 */
final class LineSearch {
    private LineSearch() {
    }

    /** The accepted step α and f(x + α·d), or a failure. */
    record Outcome(boolean ok, double alpha, double value, int evaluations) {
    }

    /**
     * Backtracking: α = α₀, α/2, α/4, ... until f(x + αd) ≤ f(x) + c₁·α·gᵀd (at most 60 halvings).
     */
    static Outcome armijo(Objective f, double[] x, double fx, double[] g, double[] d, double alpha0, double c1, double[] xNew,
                          double[] gNew) {
        double slope = Matrices.dot(g, d);
        if (!(slope < 0)) {
            return new Outcome(false, 0, fx, 0);
        }
        double alpha = alpha0;
        int evals = 0;
        for (int i = 0; i < 60; i++) {
            step(x, d, alpha, xNew);
            double v = f.valueAndGradient(xNew, gNew);
            evals++;
            if (Double.isFinite(v) && v <= fx + c1 * alpha * slope) {
                return new Outcome(true, alpha, v, evals);
            }
            alpha *= 0.5;
        }
        return new Outcome(false, 0, fx, evals);
    }

    /**
     * A step satisfying the strong Wolfe conditions f(x + αd) ≤ f(x) + c₁αgᵀd and |∇f(x + αd)ᵀd| ≤ c₂|gᵀd|,
     * bracketing then zooming with safeguarded cubic interpolation, in at most {@code maxEvaluations} evaluations.
     * When it runs out it returns the best point with sufficient decrease, if any.
     */
    static Outcome strongWolfe(Objective f, double[] x, double fx, double[] g, double[] d, double alpha0, double c1, double c2,
                               int maxEvaluations, double[] xNew, double[] gNew) {
        int n = x.length;
        double gtd0 = Matrices.dot(g, d);
        if (!(gtd0 < 0)) {
            return new Outcome(false, 0, fx, 0);
        }
        double dMax = 0;
        for (double v : d) {
            dMax = Math.max(dMax, Math.abs(v));
        }
        double[] gLo = g.clone();
        double[] gTmp = new double[n];
        double tPrev = 0;
        double fPrev = fx;
        double gtdPrev = gtd0;
        double t = alpha0;
        int evals = 0;
        double tLo;
        double fLo;
        double gtdLo;
        double tHi;
        double fHi;
        double gtdHi;
        // bracketing phase
        while (true) {
            step(x, d, t, xNew);
            double fNew = f.valueAndGradient(xNew, gNew);
            evals++;
            double gtdNew = Matrices.dot(gNew, d);
            if (!Double.isFinite(fNew)) { // stepped into an overflow: shrink towards the last good point
                tHi = t;
                fHi = Double.POSITIVE_INFINITY;
                gtdHi = Double.NaN;
                tLo = tPrev;
                fLo = fPrev;
                gtdLo = gtdPrev;
                break;
            }
            if (fNew > fx + c1 * t * gtd0 || (evals > 1 && fNew >= fPrev)) {
                tLo = tPrev;
                fLo = fPrev;
                gtdLo = gtdPrev;
                tHi = t;
                fHi = fNew;
                gtdHi = gtdNew;
                break;
            }
            if (Math.abs(gtdNew) <= -c2 * gtd0) {
                return new Outcome(true, t, fNew, evals);
            }
            if (gtdNew >= 0) {
                tLo = t;
                fLo = fNew;
                gtdLo = gtdNew;
                System.arraycopy(gNew, 0, gLo, 0, n);
                tHi = tPrev;
                fHi = fPrev;
                gtdHi = gtdPrev;
                break;
            }
            if (evals >= maxEvaluations) {
                return new Outcome(true, t, fNew, evals); // sufficient decrease holds; curvature not yet
            }
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double next = cubic(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = t;
            fPrev = fNew;
            gtdPrev = gtdNew;
            System.arraycopy(gNew, 0, gLo, 0, n);
            t = next;
        }
        // zoom phase: tLo is the best point so far (sufficient decrease), the minimum lies between tLo and tHi
        boolean insufficientProgress = false;
        while (evals < maxEvaluations) {
            if (Math.abs(tHi - tLo) * dMax < 1e-15) {
                break;
            }
            double lo = Math.min(tLo, tHi);
            double hi = Math.max(tLo, tHi);
            double tNew = Double.isFinite(fHi) && !Double.isNaN(gtdHi) ? cubic(tLo, fLo, gtdLo, tHi, fHi, gtdHi, lo, hi) : 0.5 * (lo + hi);
            double eps = 0.1 * (hi - lo);
            if (Math.min(hi - tNew, tNew - lo) < eps) { // too close to an end: move it inside, or bisect
                if (insufficientProgress || tNew >= hi || tNew <= lo) {
                    tNew = Math.abs(tNew - hi) < Math.abs(tNew - lo) ? hi - eps : lo + eps;
                    insufficientProgress = false;
                } else {
                    insufficientProgress = true;
                }
            } else {
                insufficientProgress = false;
            }
            step(x, d, tNew, xNew);
            double fNew = f.valueAndGradient(xNew, gNew);
            evals++;
            double gtdNew = Matrices.dot(gNew, d);
            if (!Double.isFinite(fNew) || fNew > fx + c1 * tNew * gtd0 || fNew >= fLo) {
                tHi = tNew;
                fHi = Double.isFinite(fNew) ? fNew : Double.POSITIVE_INFINITY;
                gtdHi = Double.isFinite(fNew) ? gtdNew : Double.NaN;
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd0) {
                    return new Outcome(true, tNew, fNew, evals);
                }
                if (gtdNew * (tHi - tLo) >= 0) {
                    tHi = tLo;
                    fHi = fLo;
                    gtdHi = gtdLo;
                }
                tLo = tNew;
                fLo = fNew;
                gtdLo = gtdNew;
                System.arraycopy(gNew, 0, gLo, 0, n);
            }
        }
        if (tLo > 0 && fLo < fx) { // no Wolfe point found in the budget, but a decrease: take it
            step(x, d, tLo, xNew);
            System.arraycopy(gLo, 0, gNew, 0, n);
            return new Outcome(true, tLo, fLo, evals);
        }
        return new Outcome(false, 0, fx, evals);
    }

    /**
     * The minimiser of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to [lo, hi]; the middle of the
     * bounds when the cubic has no minimum.
     */
    static double cubic(double x1, double f1, double g1, double x2, double f2, double g2, double lo, double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2sq = d1 * d1 - g1 * g2;
        if (d2sq >= 0 && x1 != x2) {
            double d2 = Math.sqrt(d2sq);
            double minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            if (Double.isFinite(minPos)) {
                return Math.min(Math.max(minPos, lo), hi);
            }
        }
        return 0.5 * (lo + hi);
    }

    static void step(double[] x, double[] d, double alpha, double[] out) {
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] + alpha * d[i];
        }
    }
}
