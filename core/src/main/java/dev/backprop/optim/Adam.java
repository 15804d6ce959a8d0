package dev.backprop.optim;

import dev.backprop.Network;

/**
 * Adam (Kingma &amp; Ba 2015), as {@code torch.optim.Adam}: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * θ ← θ − α·m̂/(√v̂ + ε) with m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). L2 regularisation belongs in the objective
 * ({@link dev.backprop.Regularization}); for decoupled weight decay use {@link AdamW}.
 *
 * @param learningRate α (default 1e−3)
 * @param beta1        β₁ in [0, 1) (default 0.9)
 * @param beta2        β₂ in [0, 1) (default 0.999)
 * @param eps          ε &gt; 0 (default 1e−8; Keras uses 1e−7)
 */
public record Adam(double learningRate, double beta1, double beta2, double eps) implements Optimizer {
    public Adam {
        Optimizer.checkRate(learningRate);
        Optimizer.check("Adam beta1", beta1, 0, false, 1, true);
        Optimizer.check("Adam beta2", beta2, 0, false, 1, true);
        Optimizer.check("Adam eps", eps, 0, true, Double.MAX_VALUE, false);
    }

    /** PyTorch's defaults: α = 1e−3, β = (0.9, 0.999), ε = 1e−8. */
    public Adam() {
        this(1e-3);
    }

    /** PyTorch's default β and ε. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    public String id() {
        return "adam";
    }

    public Adam withLearningRate(double lr) {
        return new Adam(lr, beta1, beta2, eps);
    }

    public OptimizerState start(Network network) {
        return new AdamState(network, beta1, beta2, eps, 0);
    }

    /** Shared by {@link Adam} and {@link AdamW}: first and second moments. */
    static final class AdamState extends LayerSlots.BlockState {
        private final double beta1;
        private final double beta2;
        private final double eps;
        private final double weightDecay;

        AdamState(Network network, double beta1, double beta2, double eps, double weightDecay) {
            super(network, 2);
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.weightDecay = weightDecay;
        }

        void update(LayerSlots.Block b, long step, double lr) {
            if (weightDecay != 0 && b.weights()) {
                slots.kernels.scale(1 - lr * weightDecay, b.params());
            }
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2 = 1 - Math.pow(beta2, step);
            slots.kernels.adamStep(b.params(), b.grads(), b.state()[0], b.state()[1], lr, beta1, beta2, eps, bc1, bc2);
        }
    }
}
