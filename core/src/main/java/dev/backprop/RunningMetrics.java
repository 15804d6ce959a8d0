package dev.backprop;

/**
 * Sums that turn into an {@link Evaluation}: examples seen, cost, correct classifications and squared error.
 * {@link Network#computeGradient(Dataset, int[], int, int, Regularization, RunningMetrics)} adds each batch's
 * figures, so training can report metrics of the epoch without another pass over the data (as Keras does:
 * the weights change during the epoch, so these are running figures).
 */
public final class RunningMetrics {
    long examples;
    double costSum;
    double sse;
    long matches;
    long outputs;

    /** Forgets everything. */
    public void clear() {
        examples = 0;
        costSum = 0;
        sse = 0;
        matches = 0;
        outputs = 0;
    }

    /** Adds another accumulator's sums to this one. */
    public void add(RunningMetrics other) {
        examples += other.examples;
        costSum += other.costSum;
        sse += other.sse;
        matches += other.matches;
        outputs += other.outputs;
    }

    /** Number of examples accumulated. */
    public long examples() {
        return examples;
    }

    /** Mean cost per example. */
    public double meanCost() {
        return costSum / examples;
    }

    /**
     * The figures as an evaluation; R² uses {@code totalSumOfSquares} (of the targets of the whole dataset the
     * examples came from).
     */
    public Evaluation toEvaluation(Task task, double totalSumOfSquares) {
        double accuracy = switch (task) {
            case CLASSIFICATION -> (double) matches / examples;
            case BINARY_CLASSIFICATION -> (double) matches / outputs;
            case REGRESSION -> Double.NaN;
        };
        double r2 = task == Task.REGRESSION && totalSumOfSquares > 0 ? 1 - sse / totalSumOfSquares : Double.NaN;
        return new Evaluation((int) examples, costSum / examples, task, accuracy, sse / outputs, r2);
    }
}
