package dev.backprop.secondorder;

import dev.backprop.util.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Runs a method from a starting point until one of the {@link Limits} fires, recording every iteration. With a
 * validation function (the loss on held-out data at a point) and max_fail &gt; 0, it counts iterations that fail
 * to improve it and stops after max_fail of them in a row; whatever stops the run, it then returns the point of
 * lowest validation loss (MATLAB's early stopping). A NaN or infinite f, gradient or validation loss stops it.
 */
public final class Minimizer {
    private Minimizer() {
    }

    /** Sees each iteration's record and the point x it reached (a copy, the caller's to keep). */
    @FunctionalInterface
    public interface Listener {
        void iteration(Iteration record, double[] x);
    }

    /** Minimises f from x0 without validation. */
    public static Result minimize(Method method, Objective f, double[] x0, Limits limits) {
        return minimize(method, f, x0, limits, null, null);
    }

    /**
     * Minimises f from x0.
     *
     * @param validation the validation loss at a point, or null
     * @param listener   called with every iteration's record, or null
     */
    public static Result minimize(Method method, Objective f, double[] x0, Limits limits, ToDoubleFunction<double[]> validation,
                                  Listener listener) {
        long start = System.nanoTime();
        Run run = method.start(f, x0);
        List<Iteration> history = new ArrayList<>();
        boolean watching = validation != null && limits.maxFail() > 0;
        double bestValidation = Double.POSITIVE_INFINITY;
        double[] bestX = null;
        double bestValue = Double.NaN;
        int bestIteration = 0;
        int fails = 0;
        Stop reason = null;
        String why = null;
        int it = 0;
        for (; ; it++) {
            if (it > 0 && !run.iterate()) {
                reason = Stop.NO_PROGRESS;
                why = run.stalled();
                it--;
                break;
            }
            double v = run.value();
            double gn = run.gradientNorm();
            double val = validation == null ? Double.NaN : validation.applyAsDouble(run.x);
            Iteration rec = new Iteration(it, v, gn, val, run.evaluations(), (System.nanoTime() - start) / 1e9, run.info());
            history.add(rec);
            if (listener != null) {
                listener.iteration(rec, run.x());
            }
            if (!Double.isFinite(v) || !Double.isFinite(gn) || (validation != null && !Double.isFinite(val))) {
                reason = Stop.NOT_FINITE;
                why = !Double.isFinite(v) || !Double.isFinite(gn) ? "f or its gradient" : "the validation loss";
                break;
            }
            if (watching) {
                if (val < bestValidation) {
                    bestValidation = val;
                    bestX = run.x();
                    bestValue = v;
                    bestIteration = it;
                    fails = 0;
                } else if (++fails >= limits.maxFail()) {
                    reason = Stop.VALIDATION;
                    break;
                }
            }
            if (run.loss() <= limits.lossGoal()) {
                reason = Stop.LOSS_GOAL;
                break;
            }
            if (gn <= limits.minGradientNorm()) {
                reason = Stop.MIN_GRADIENT;
                break;
            }
            if (it >= limits.maxIterations()) {
                reason = Stop.MAX_ITERATIONS;
                break;
            }
            if (limits.timeLimit() != null && System.nanoTime() - start >= limits.timeLimit().toNanos()) {
                reason = Stop.TIME_LIMIT;
                break;
            }
        }
        double[] x = run.x();
        double value = run.value();
        int kept = history.size() - 1;
        // with early stopping on, every run ends at the point of lowest validation loss (as MATLAB's train does)
        boolean restored = watching && bestX != null && bestIteration < history.size() - 1;
        if (restored) {
            x = bestX;
            value = bestValue;
            kept = bestIteration;
        }
        Iteration last = history.getLast();
        String message = method.id() + ": " + switch (reason) {
            case MAX_ITERATIONS -> "stopped after the maximum of " + limits.maxIterations() + " iterations";
            case LOSS_GOAL -> "reached the goal " + Numbers.format(limits.lossGoal());
            case MIN_GRADIENT -> "the gradient norm fell to " + Numbers.format(last.gradientNorm());
            case VALIDATION -> "the validation loss did not improve for " + limits.maxFail() + " iterations";
            case TIME_LIMIT -> "stopped at the time limit";
            case NO_PROGRESS -> "no further progress: " + why;
            case NOT_FINITE -> why + " became NaN or infinite";
        } + (restored ? "; kept the point of lowest validation loss " + Numbers.format(bestValidation) + " (iteration " + kept + ")" : "")
                + String.format(java.util.Locale.ROOT, "; f = %s after %d iterations, %d evaluations, %s s", Numbers.format(value),
                history.size() - 1, run.evaluations(), Numbers.format((System.nanoTime() - start) / 1e9));
        return new Result(method.id(), reason, message, x, value, kept, List.copyOf(history));
    }
}
