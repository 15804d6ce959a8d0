package dev.backprop.secondorder;

/**
 * Nonlinear conjugate gradient: d ← −∇f + β·d with a strong Wolfe line search (c₂ = 0.1, as conjugate
 * gradient needs accurate steps). β is Fletcher–Reeves, ‖gₖ₊₁‖²/‖gₖ‖², or Polak–Ribière+,
 * max(0, gₖ₊₁ᵀ(gₖ₊₁ − gₖ)/‖gₖ‖²). With Powell–Beale restarts the direction restarts from steepest descent
 * when successive gradients are far from orthogonal, |gₖ₊₁ᵀgₖ| ≥ 0.2‖gₖ₊₁‖² (Powell 1977; MATLAB's traincgb
 * test), and in any case every n iterations. A direction that is not a descent direction is also restarted.
 * (Nocedal &amp; Wright, chapter 5.2.)
 *
 * @param formula             how β is computed
 * @param powellBealeRestarts whether to restart on Powell's orthogonality test
 */
public record ConjugateGradient(Formula formula, boolean powellBealeRestarts) implements Method {

    /** The β of the update. */
    public enum Formula {
        /** β = ‖gₖ₊₁‖²/‖gₖ‖² (Fletcher &amp; Reeves 1964). */
        FLETCHER_REEVES,
        /** β = max(0, gₖ₊₁ᵀ(gₖ₊₁ − gₖ)/‖gₖ‖²) (Polak &amp; Ribière 1969, with Powell's non-negativity). */
        POLAK_RIBIERE_PLUS
    }

    public ConjugateGradient {
        if (formula == null) {
            throw new IllegalArgumentException("conjugate gradient needs a formula for beta");
        }
    }

    /** Polak–Ribière+ with Powell–Beale restarts. */
    public ConjugateGradient() {
        this(Formula.POLAK_RIBIERE_PLUS, true);
    }

    public String id() {
        return switch (formula) {
            case FLETCHER_REEVES -> powellBealeRestarts ? "cg_fr_pb" : "cgf";
            case POLAK_RIBIERE_PLUS -> powellBealeRestarts ? "cg" : "cgp";
        };
    }

    public Run start(Objective f, double[] x0) {
        Run r = new Run(f, x0) {
            private final double[] d = new double[n];
            private final double[] xNew = new double[n];
            private final double[] gNew = new double[n];
            private int sinceRestart;
            private double lastAlpha = Double.NaN;
            private double lastSlope;

            public boolean iterate() {
                if (sinceRestart == 0) {
                    for (int i = 0; i < n; i++) {
                        d[i] = -g[i];
                    }
                }
                double slope = Matrices.dot(g, d);
                if (!(slope < 0)) {
                    for (int i = 0; i < n; i++) {
                        d[i] = -g[i];
                    }
                    slope = Matrices.dot(g, d);
                    sinceRestart = 0;
                }
                // initial step: the first one scaled by the gradient, then α·(last slope)/(this slope) (Nocedal & Wright 3.60)
                double alpha0 = Double.isNaN(lastAlpha) ? Math.min(1.0, 1.0 / Math.max(Matrices.norm(g), 1e-12))
                        : Math.min(1.0, lastAlpha * lastSlope / slope) * 1.01;
                LineSearch.Outcome o = LineSearch.strongWolfe(f, x, fx, g, d, alpha0 > 0 ? alpha0 : 1.0, 1e-4, 0.1, 25, xNew, gNew);
                evaluations += o.evaluations();
                info.put("step", o.alpha());
                if (!o.ok()) {
                    if (sinceRestart > 0) { // retry once from steepest descent before giving up
                        sinceRestart = 0;
                        lastAlpha = Double.NaN;
                        return iterate();
                    }
                    return stall("the line search found no decrease along the steepest-descent direction");
                }
                double gg = Matrices.dot(g, g);
                double gNewG = Matrices.dot(gNew, g);
                double gNewGNew = Matrices.dot(gNew, gNew);
                double beta = switch (formula) {
                    case FLETCHER_REEVES -> gNewGNew / gg;
                    case POLAK_RIBIERE_PLUS -> Math.max(0, (gNewGNew - gNewG) / gg);
                };
                boolean restart = sinceRestart + 1 >= n || (powellBealeRestarts && Math.abs(gNewG) >= 0.2 * gNewGNew);
                for (int i = 0; i < n; i++) {
                    d[i] = -gNew[i] + (restart ? 0 : beta * d[i]);
                }
                sinceRestart = restart ? 0 : sinceRestart + 1; // steps taken in this cycle; a cycle is n steps, the first steepest descent
                info.put("beta", restart ? 0 : beta);
                lastAlpha = o.alpha();
                lastSlope = slope;
                return accept(xNew, gNew, o.value());
            }
        };
        r.start();
        return r;
    }
}
