package dev.backprop.optim;

import dev.backprop.Network;

/**
 * Plain gradient descent, the textbook rule θ ← θ − α·∂J/∂θ. With batch size 1 it is online (stochastic)
 * gradient descent; with the whole dataset it is batch gradient descent.
 *
 * @param learningRate α &gt; 0 (default 1e−3, PyTorch's {@code SGD} default)
 */
public record Sgd(double learningRate) implements Optimizer {
    public Sgd {
        Optimizer.checkRate(learningRate);
    }

    /** α = 1e−3. */
    public Sgd() {
        this(1e-3);
    }

    public String id() {
        return "sgd";
    }

    public Sgd withLearningRate(double lr) {
        return new Sgd(lr);
    }

    public OptimizerState start(Network network) {
        return new LayerSlots.BlockState(network, 0) {
            void update(LayerSlots.Block b, long step, double lr) {
                slots.kernels.axpy(-lr, b.grads(), b.params());
            }
        };
    }
}
