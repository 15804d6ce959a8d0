package dev.backprop;

import java.util.Locale;

/**
 * How well a network does on a dataset.
 *
 * @param examples number of examples evaluated
 * @param cost     mean cost (1/m)·Σ C over the examples (no weight penalty)
 * @param task     what the outputs mean
 * @param accuracy fraction correct for classification tasks (see {@link Task}), NaN for regression
 * @param mse      mean squared error over all outputs, (1/(m·k))·Σ(a − y)²
 * @param r2       coefficient of determination 1 − SSE/SST pooled over outputs, NaN for classification
 */
public record Evaluation(int examples, double cost, Task task, double accuracy, double mse, double r2) {

    @Override
    public String toString() {
        String s = String.format(Locale.ROOT, "%d examples: cost %.6g", examples, cost);
        if (task.isClassification()) {
            return s + String.format(Locale.ROOT, ", accuracy %.4f", accuracy);
        }
        return s + String.format(Locale.ROOT, ", MSE %.6g, R² %.4f", mse, r2);
    }
}
