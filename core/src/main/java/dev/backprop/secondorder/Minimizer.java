package dev.backprop.secondorder;

import dev.backprop.util.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Runs a method from a starting point until one of the {@link Limits} fires, recording every iteration. With a
 * validation function (the loss on held-out data at a point), it counts iterations that fail to improve it and
 * stops after max_fail of them in a row, returning the best validation point (MATLAB's early stopping).
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
        double bestValidation = Double.POSITIVE_INFINITY;
        double[] bestX = null;
        double bestValue = Double.NaN;
        int fails = 0;
        Stop reason = null;
        String why = null;
        for (int it = 0; ; it++) {
            if (it > 0 && !run.iterate()) {
                reason = Stop.NO_PROGRESS;
                why = run.stalled();
            }
            double v = run.value();
            double gn = run.gradientNorm();
            double val = validation == null ? Double.NaN : validation.applyAsDouble(run.x);
            Iteration rec = new Iteration(it, v, gn, val, run.evaluations(), (System.nanoTime() - start) / 1e9, run.info());
            if (reason == null || it == 0) {
                history.add(rec);
                if (listener != null) {
                    listener.iteration(rec, run.x());
                }
            }
            if (reason != null) {
                break;
            }
            if (!Double.isFinite(v) || !Double.isFinite(gn)) {
                reason = Stop.NOT_FINITE;
                break;
            }
            if (validation != null && limits.maxFail() > 0) {
                if (val < bestValidation) {
                    bestValidation = val;
                    bestX = run.x();
                    bestValue = v;
                    fails = 0;
                } else if (++fails >= limits.maxFail()) {
                    reason = Stop.VALIDATION;
                    break;
                }
            }
            if (v <= limits.lossGoal()) {
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
        if (reason == Stop.VALIDATION && bestX != null) {
            x = bestX;
            value = bestValue;
        }
        Iteration last = history.getLast();
        String message = method.id() + ": " + switch (reason) {
            case MAX_ITERATIONS -> "stopped after the maximum of " + limits.maxIterations() + " iterations";
            case LOSS_GOAL -> "reached the goal " + Numbers.format(limits.lossGoal());
            case MIN_GRADIENT -> "the gradient norm fell to " + Numbers.format(last.gradientNorm());
            case VALIDATION -> "the validation loss did not improve for " + limits.maxFail() + " iterations; kept the best point (validation "
                    + Numbers.format(bestValidation) + ")";
            case TIME_LIMIT -> "stopped at the time limit";
            case NO_PROGRESS -> "no further progress: " + why;
            case NOT_FINITE -> "f or its gradient became NaN or infinite";
        } + String.format(java.util.Locale.ROOT, "; f = %s after %d iterations, %d evaluations, %s s", Numbers.format(value),
                history.size() - 1, run.evaluations(), Numbers.format((System.nanoTime() - start) / 1e9));
        return new Result(method.id(), reason, message, x, value, List.copyOf(history));
    }
}
