package dev.backprop.optim;

import dev.backprop.Network;

/**
 * Gradient descent with (heavy-ball) momentum, in PyTorch's form: v ← μ·v + (1 − dampening)·g (v = g on the
 * first step), θ ← θ − α·v. PyTorch notes this differs from Sutskever et al.'s form (which scales v by α
 * inside); the two are equivalent for a constant α.
 *
 * @param learningRate α &gt; 0 (default 1e−2)
 * @param momentum     μ in [0, 1) (default 0.9; PyTorch's SGD defaults to 0, i.e. no momentum)
 * @param dampening    in [0, 1] (default 0, as PyTorch)
 */
public record Momentum(double learningRate, double momentum, double dampening) implements Optimizer {
    public Momentum {
        Optimizer.checkRate(learningRate);
        Optimizer.check("momentum", momentum, 0, false, 1, true);
        Optimizer.check("dampening", dampening, 0, false, 1, false);
    }

    /** α = 1e−2, μ = 0.9, no dampening. */
    public Momentum() {
        this(1e-2, 0.9, 0);
    }

    /** Momentum μ = 0.9, no dampening. */
    public Momentum(double learningRate) {
        this(learningRate, 0.9, 0);
    }

    public String id() {
        return "momentum";
    }

    public Momentum withLearningRate(double lr) {
        return new Momentum(lr, momentum, dampening);
    }

    public OptimizerState start(Network network) {
        return new MomentumState(network, momentum, dampening, false);
    }

    /** Shared by {@link Momentum} and {@link Nesterov}: one velocity buffer. */
    static final class MomentumState extends LayerSlots.BlockState {
        private final double momentum;
        private final double dampening;
        private final boolean nesterov;

        MomentumState(Network network, double momentum, double dampening, boolean nesterov) {
            super(network, 1);
            this.momentum = momentum;
            this.dampening = dampening;
            this.nesterov = nesterov;
        }

        void update(LayerSlots.Block b, long step, double lr) {
            slots.kernels.momentumStep(b.params(), b.grads(), b.state()[0], lr, momentum, dampening, nesterov, step == 1);
        }
    }
}
