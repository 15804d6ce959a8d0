package dev.backprop;

/**
 * The description of one fully connected layer: how many units it has, its activation, and whether it has
 * biases. Its input width is the previous layer's output width (or the network's input width).
 *
 * @param outputs    number of units (rows of W), at least 1
 * @param activation the function applied to z = W·y + b
 * @param bias       whether the layer has a bias vector b (PyTorch's {@code bias=True} is the default)
 */
public record LayerSpec(int outputs, Activation activation, boolean bias) {
    public LayerSpec {
        if (outputs < 1) {
            throw new IllegalArgumentException("a layer needs at least 1 unit, got " + outputs);
        }
        if (activation == null) {
            throw new IllegalArgumentException("a layer needs an activation (use Activation.identity() for a linear layer)");
        }
    }

    /** A dense layer with biases. */
    public static LayerSpec dense(int outputs, Activation activation) {
        return new LayerSpec(outputs, activation, true);
    }

    /** This layer without a bias vector: z = W·y. */
    public LayerSpec withoutBias() {
        return new LayerSpec(outputs, activation, false);
    }
}
