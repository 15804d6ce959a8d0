package dev.backprop.secondorder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a second-order method from a starting point: the current iterate x, f(x) and ∇f(x), advanced one
 * iteration at a time by {@link #iterate()}. The {@link Minimizer} drives it and applies the stopping rules.
 */
public abstract class Run {
    final Objective f;
    final int n;
    double[] x;
    double fx;
    double[] g;
    int evaluations;
    String stalled;
    final Map<String, Double> info = new LinkedHashMap<>();

    Run(Objective f, double[] x0) {
        if (x0.length != f.dimension()) {
            throw new IllegalArgumentException("the starting point has " + x0.length + " entries but the objective has " + f.dimension()
                    + " variables");
        }
        this.f = f;
        this.n = x0.length;
        this.x = x0.clone();
        this.g = new double[n];
    }

    /** Evaluates f and ∇f at the starting point (the first thing a run does). */
    void start() {
        fx = f.valueAndGradient(x, g);
        evaluations++;
    }

    /**
     * Makes one iteration. Returns false when the method cannot make progress from here (a failed line search,
     * μ beyond its maximum...); {@link #stalled()} then says why and x is unchanged.
     */
    public abstract boolean iterate();

    /** The current iterate (a copy). */
    public double[] x() {
        return x.clone();
    }

    /** f at the current iterate. */
    public double value() {
        return fx;
    }

    /** What the loss goal is compared with: f, except for methods whose f is not the loss (Bayesian regularization). */
    public double loss() {
        return fx;
    }

    /** ‖∇f‖ at the current iterate. */
    public double gradientNorm() {
        return Matrices.norm(g);
    }

    /** Evaluations of f (with or without its gradient) so far. */
    public int evaluations() {
        return evaluations;
    }

    /** Why the last {@link #iterate()} made no progress, or null. */
    public String stalled() {
        return stalled;
    }

    /** The method's own figures after the last iteration (step size, μ, effective parameters...). */
    public Map<String, Double> info() {
        return Map.copyOf(info);
    }

    /** Moves to the accepted point: x ← xNew, ∇f ← gNew, f ← value. Returns true (the iteration made progress). */
    boolean accept(double[] xNew, double[] gNew, double value) {
        System.arraycopy(xNew, 0, x, 0, n);
        System.arraycopy(gNew, 0, g, 0, n);
        fx = value;
        return true;
    }

    boolean stall(String why) {
        stalled = why;
        return false;
    }
}
