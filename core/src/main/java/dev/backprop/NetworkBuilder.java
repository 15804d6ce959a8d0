package dev.backprop;

import dev.backprop.kernel.Kernels;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a network layer by layer, then builds it with initial weights drawn from a seed:
 *
 * <pre>{@code
 * Network net = Network.builder(4)                 // 4 inputs
 *         .dense(16, Activation.tanh())
 *         .dense(3, Activation.softmax())
 *         .cost(Cost.crossEntropy())
 *         .build(42);                              // seed of the initial weights
 * }</pre>
 *
 * Defaults: float32, PyTorch's {@code nn.Linear} initialisation ({@link Init#pytorchDefault()}), the
 * preferred kernels for the precision. The cost must be given.
 */
public final class NetworkBuilder {
    private final int inputs;
    private final List<LayerSpec> layers = new ArrayList<>();
    private Cost cost;
    private Init init = Init.pytorchDefault();
    private Precision precision = Precision.FLOAT32;
    private Kernels kernels;

    NetworkBuilder(int inputs) {
        if (inputs < 1) {
            throw new IllegalArgumentException("a network needs at least 1 input, got " + inputs);
        }
        this.inputs = inputs;
    }

    /** Adds a fully connected layer with biases. */
    public NetworkBuilder dense(int outputs, Activation activation) {
        return layer(LayerSpec.dense(outputs, activation));
    }

    /** Adds a layer. */
    public NetworkBuilder layer(LayerSpec spec) {
        layers.add(spec);
        return this;
    }

    /** Adds layers. */
    public NetworkBuilder layers(List<LayerSpec> specs) {
        layers.addAll(specs);
        return this;
    }

    /** The cost the network is trained on (required). */
    public NetworkBuilder cost(Cost cost) {
        this.cost = cost;
        return this;
    }

    /** How the initial weights are drawn (default {@link Init#pytorchDefault()}). */
    public NetworkBuilder init(Init init) {
        this.init = init;
        return this;
    }

    /** The precision of parameters and arithmetic (default float32). */
    public NetworkBuilder precision(Precision precision) {
        this.precision = precision;
        return this;
    }

    /** The kernels to compute with (default {@link Kernels#preferred(Precision)}); must match the precision. */
    public NetworkBuilder kernels(Kernels kernels) {
        this.kernels = kernels;
        return this;
    }

    /**
     * Builds the network, drawing its initial weights from {@code seed}.
     *
     * @throws IllegalArgumentException if there are no layers, no cost, softmax before the output layer or
     *                                  over a single unit, or a cost that does not fit the output activation
     */
    public Network build(long seed) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer: add one with dense(units, activation)");
        }
        if (cost == null) {
            throw new IllegalArgumentException("no cost given: call cost(...), e.g. Cost.crossEntropy() for softmax outputs"
                    + " or Cost.quadratic() for regression");
        }
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec s = layers.get(l);
            boolean last = l == layers.size() - 1;
            if (s.activation() instanceof Activation.Softmax && !last) {
                throw new IllegalArgumentException("softmax may only be the output activation, but layer " + l + " of "
                        + layers.size() + " uses it");
            }
            if (s.activation() instanceof Activation.Softmax && s.outputs() == 1) {
                throw new IllegalArgumentException("softmax over a single unit is always 1; use sigmoid for one yes/no output");
            }
        }
        cost.checkFits(layers.getLast().activation());
        Kernels k = kernels != null ? kernels : Kernels.preferred(precision);
        if (k.precision() != precision) {
            throw new IllegalArgumentException("kernels " + k.name() + " compute in " + k.precision().id() + " but the network is "
                    + precision.id());
        }
        Network net = new Network(inputs, layers, cost, k);
        net.initialize(init, seed);
        net.putProvenance("init", init.toString());
        net.putProvenance("init_seed", Long.toString(seed));
        return net;
    }
}
