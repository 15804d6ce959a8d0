package dev.backprop.optim;

import dev.backprop.Network;

/**
 * RMSprop (Hinton's lecture 6e), as {@code torch.optim.RMSprop}: v ← αv + (1−α)g²; with {@code centered},
 * ḡ ← αḡ + (1−α)g and v − ḡ² is used instead of v; d = √v + ε; with momentum μ &gt; 0, b ← μb + g/d and
 * θ ← θ − lr·b, otherwise θ ← θ − lr·g/d. Note ε is added outside the square root, as PyTorch does.
 *
 * @param learningRate lr (default 1e−2, PyTorch's)
 * @param alpha        smoothing constant α in [0, 1) (default 0.99)
 * @param eps          ε &gt; 0 (default 1e−8)
 * @param momentum     μ in [0, 1) (default 0)
 * @param centered     whether to normalise by the estimated variance (default false)
 */
public record RmsProp(double learningRate, double alpha, double eps, double momentum, boolean centered) implements Optimizer {
    public RmsProp {
        Optimizer.checkRate(learningRate);
        Optimizer.check("RMSprop alpha", alpha, 0, false, 1, true);
        Optimizer.check("RMSprop eps", eps, 0, true, Double.MAX_VALUE, false);
        Optimizer.check("RMSprop momentum", momentum, 0, false, 1, true);
    }

    /** PyTorch's defaults: lr = 1e−2, α = 0.99, ε = 1e−8, no momentum, not centered. */
    public RmsProp() {
        this(1e-2);
    }

    /** PyTorch's default α, ε, momentum and centering. */
    public RmsProp(double learningRate) {
        this(learningRate, 0.99, 1e-8, 0, false);
    }

    public String id() {
        return "rmsprop";
    }

    public RmsProp withLearningRate(double lr) {
        return new RmsProp(lr, alpha, eps, momentum, centered);
    }

    public OptimizerState start(Network network) {
        return new LayerSlots.BlockState(network, 3) {
            void update(LayerSlots.Block b, long step, double lr) {
                slots.kernels.rmspropStep(b.params(), b.grads(), b.state()[0], centered ? b.state()[1] : null,
                        momentum > 0 ? b.state()[2] : null, lr, alpha, eps, momentum);
            }
        };
    }
}
