package dev.backprop.optim;

import dev.backprop.Network;

/**
 * Nesterov accelerated gradient in PyTorch's form: v ← μ·v + g (v = g on the first step),
 * θ ← θ − α·(g + μ·v), i.e. the momentum step taken from the look-ahead point (Sutskever et al. 2013).
 *
 * @param learningRate α &gt; 0 (default 1e−2)
 * @param momentum     μ in (0, 1) (default 0.9)
 */
public record Nesterov(double learningRate, double momentum) implements Optimizer {
    public Nesterov {
        Optimizer.checkRate(learningRate);
        Optimizer.check("Nesterov momentum", momentum, 0, true, 1, true);
    }

    /** α = 1e−2, μ = 0.9. */
    public Nesterov() {
        this(1e-2, 0.9);
    }

    /** μ = 0.9. */
    public Nesterov(double learningRate) {
        this(learningRate, 0.9);
    }

    public String id() {
        return "nesterov";
    }

    public Nesterov withLearningRate(double lr) {
        return new Nesterov(lr, momentum);
    }

    public OptimizerState start(Network network) {
        return new Momentum.MomentumState(network, momentum, 0, true);
    }
}
