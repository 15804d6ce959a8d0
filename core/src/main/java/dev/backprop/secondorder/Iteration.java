package dev.backprop.secondorder;

import java.util.Map;

/**
 * One iteration of a second-order run.
 *
 * @param iteration      the iteration number (0 is the starting point)
 * @param value          f after the iteration
 * @param gradientNorm   ‖∇f‖ after the iteration
 * @param validationLoss the validation loss, or NaN without validation
 * @param evaluations    evaluations of f so far
 * @param seconds        wall-clock time since the start
 * @param info           the method's own figures (step, μ, effective parameters...)
 */
public record Iteration(int iteration, double value, double gradientNorm, double validationLoss, int evaluations, double seconds,
                        Map<String, Double> info) {
}
