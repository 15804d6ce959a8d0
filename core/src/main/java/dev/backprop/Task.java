package dev.backprop;

/**
 * What the network's outputs mean, which decides the metrics reported for it. Derived from the output layer
 * and the cost: softmax outputs are one-of-K classification (accuracy by arg-max); sigmoid outputs trained
 * with binary cross-entropy are yes/no decisions per output (accuracy at threshold 0.5); everything else is
 * regression (MSE and R²).
 */
public enum Task {
    /** One class out of K (softmax outputs): accuracy counts examples whose largest output is the target class. */
    CLASSIFICATION,
    /** Independent yes/no outputs (sigmoid with binary cross-entropy): accuracy counts outputs on the right side of 0.5. */
    BINARY_CLASSIFICATION,
    /** Real-valued outputs: mean squared error and R². */
    REGRESSION;

    /** The task of a network whose output layer has activation {@code output} and which is trained on {@code cost}. */
    public static Task of(Activation output, Cost cost) {
        if (output instanceof Activation.Softmax) {
            return CLASSIFICATION;
        }
        if (output instanceof Activation.Sigmoid && cost instanceof Cost.BinaryCrossEntropy) {
            return BINARY_CLASSIFICATION;
        }
        return REGRESSION;
    }

    /** Whether accuracy is a meaningful metric. */
    public boolean isClassification() {
        return this != REGRESSION;
    }
}
