package dev.backprop;

import dev.backprop.kernel.ScalarMath;
import dev.backprop.util.Names;
import java.util.List;

/**
 * The function f a layer applies to its pre-activation z = W·y + b, giving a = f(z).
 *
 * <p>Each activation is a small immutable record; the numeric work (over whole mini-batches) is done by
 * {@link dev.backprop.kernel.Kernels}. {@link #apply(double)} and {@link #derivative(double)} are the scalar
 * definitions, for explanations and tests. All except {@link Softmax} act on each unit separately; softmax
 * couples the units of a layer and may only be used as the output activation.
 *
 * <table class="striped">
 * <caption>Definitions</caption>
 * <tr><th>name</th><th>f(z)</th><th>f'(z)</th><th>range</th></tr>
 * <tr><td>sigmoid</td><td>1/(1+e^−z)</td><td>f(1−f)</td><td>(0, 1)</td></tr>
 * <tr><td>tanh</td><td>tanh z</td><td>1−f²</td><td>(−1, 1)</td></tr>
 * <tr><td>relu</td><td>max(0, z)</td><td>1 if z&gt;0 else 0</td><td>[0, ∞)</td></tr>
 * <tr><td>leaky_relu</td><td>z if z&gt;0 else s·z (s = 0.01)</td><td>1 or s</td><td>ℝ</td></tr>
 * <tr><td>elu</td><td>z if z&gt;0 else α(e^z−1) (α = 1)</td><td>1 or α·e^z</td><td>(−α, ∞)</td></tr>
 * <tr><td>softplus</td><td>ln(1+e^z)</td><td>σ(z)</td><td>(0, ∞)</td></tr>
 * <tr><td>identity</td><td>z</td><td>1</td><td>ℝ</td></tr>
 * <tr><td>softmax</td><td>e^{z_k}/Σ_j e^{z_j}</td><td>∂a_k/∂z_j = a_k(δ_kj − a_j)</td><td>(0, 1), sums to 1</td></tr>
 * <tr><td>gelu</td><td>z·Φ(z)</td><td>Φ(z) + z·φ(z)</td><td>[≈−0.17, ∞)</td></tr>
 * </table>
 * Defaults of the parameters (s, α) and the value of the derivative at kinks follow PyTorch.
 */
public sealed interface Activation {

    /** The name used in model files, layer specs and messages, e.g. {@code leaky_relu}. */
    String id();

    /** f(z) for one unit (softmax: not defined per unit, throws). */
    double apply(double z);

    /** f'(z) for one unit (softmax: not defined per unit, throws). */
    double derivative(double z);

    /** Whether the activation's outputs always lie in (0, ∞), so that logarithms and ratios of them exist. */
    default boolean strictlyPositive() {
        return false;
    }

    /** Whether the activation's outputs always lie in [0, 1]. */
    default boolean inUnitInterval() {
        return false;
    }

    /** A short description of the output range, for messages, e.g. {@code (0, 1)}. */
    String range();

    /** Logistic sigmoid σ(z) = 1/(1 + e^−z). */
    record Sigmoid() implements Activation {
        public String id() { return "sigmoid"; }
        public double apply(double z) { return ScalarMath.sigmoid(z); }
        public double derivative(double z) { return ScalarMath.sigmoidDerivativeFromOutput(ScalarMath.sigmoid(z)); }
        public boolean strictlyPositive() { return true; }
        public boolean inUnitInterval() { return true; }
        public String range() { return "(0, 1)"; }
    }

    /** Hyperbolic tangent. */
    record Tanh() implements Activation {
        public String id() { return "tanh"; }
        public double apply(double z) { return Math.tanh(z); }
        public double derivative(double z) { return ScalarMath.tanhDerivativeFromOutput(Math.tanh(z)); }
        public String range() { return "(-1, 1)"; }
    }

    /** Rectified linear unit max(0, z). */
    record Relu() implements Activation {
        public String id() { return "relu"; }
        public double apply(double z) { return ScalarMath.relu(z); }
        public double derivative(double z) { return ScalarMath.reluDerivative(z); }
        public String range() { return "[0, inf)"; }
    }

    /**
     * Leaky ReLU: z for z &gt; 0, otherwise {@code negativeSlope}·z.
     *
     * @param negativeSlope slope for z ≤ 0; PyTorch's default is 0.01
     */
    record LeakyRelu(double negativeSlope) implements Activation {
        public LeakyRelu {
            if (!(negativeSlope >= 0 && negativeSlope < 1)) {
                throw new IllegalArgumentException("leaky_relu negative slope must be in [0, 1), got " + negativeSlope);
            }
        }
        public String id() { return "leaky_relu"; }
        public double apply(double z) { return ScalarMath.leakyRelu(z, negativeSlope); }
        public double derivative(double z) { return ScalarMath.leakyReluDerivative(z, negativeSlope); }
        public String range() { return "(-inf, inf)"; }
    }

    /**
     * Exponential linear unit: z for z &gt; 0, otherwise α(e^z − 1).
     *
     * @param alpha saturation value for negative inputs; PyTorch's default is 1.0
     */
    record Elu(double alpha) implements Activation {
        public Elu {
            if (!(alpha > 0) || Double.isInfinite(alpha)) {
                throw new IllegalArgumentException("elu alpha must be a positive number, got " + alpha);
            }
        }
        public String id() { return "elu"; }
        public double apply(double z) { return ScalarMath.elu(z, alpha); }
        public double derivative(double z) { return ScalarMath.eluDerivative(z, alpha); }
        public String range() { return "(-" + alpha + ", inf)"; }
    }

    /** Softplus ln(1 + e^z), a smooth ReLU. */
    record Softplus() implements Activation {
        public String id() { return "softplus"; }
        public double apply(double z) { return ScalarMath.softplus(z); }
        public double derivative(double z) { return ScalarMath.softplusDerivative(z); }
        public boolean strictlyPositive() { return true; }
        public String range() { return "(0, inf)"; }
    }

    /** The identity f(z) = z (a linear layer). */
    record Identity() implements Activation {
        public String id() { return "identity"; }
        public double apply(double z) { return z; }
        public double derivative(double z) { return 1.0; }
        public String range() { return "(-inf, inf)"; }
    }

    /** Softmax over the units of a layer: a_k = e^{z_k} / Σ_j e^{z_j}. Output layer only. */
    record Softmax() implements Activation {
        public String id() { return "softmax"; }
        public double apply(double z) {
            throw new UnsupportedOperationException("softmax couples the units of a layer; it has no per-unit value");
        }
        public double derivative(double z) {
            throw new UnsupportedOperationException("softmax couples the units of a layer; its derivative is a Jacobian");
        }
        public boolean strictlyPositive() { return true; }
        public boolean inUnitInterval() { return true; }
        public String range() { return "(0, 1), summing to 1"; }
    }

    /** Gaussian error linear unit z·Φ(z), the exact (erf) form that is PyTorch's default. */
    record Gelu() implements Activation {
        public String id() { return "gelu"; }
        public double apply(double z) { return ScalarMath.gelu(z); }
        public double derivative(double z) { return ScalarMath.geluDerivative(z); }
        public String range() { return "[-0.17, inf)"; }
    }

    static Activation sigmoid() { return new Sigmoid(); }
    static Activation tanh() { return new Tanh(); }
    static Activation relu() { return new Relu(); }
    /** Leaky ReLU with PyTorch's default negative slope 0.01. */
    static Activation leakyRelu() { return new LeakyRelu(0.01); }
    static Activation leakyRelu(double negativeSlope) { return new LeakyRelu(negativeSlope); }
    /** ELU with PyTorch's default α = 1. */
    static Activation elu() { return new Elu(1.0); }
    static Activation elu(double alpha) { return new Elu(alpha); }
    static Activation softplus() { return new Softplus(); }
    static Activation identity() { return new Identity(); }
    static Activation softmax() { return new Softmax(); }
    static Activation gelu() { return new Gelu(); }

    /** Every activation with its default parameters, in a fixed order. */
    static List<Activation> all() {
        return List.of(sigmoid(), tanh(), relu(), leakyRelu(), elu(), softplus(), identity(), softmax(), gelu());
    }

    /** The names {@link #parse(String)} accepts. */
    static List<String> names() {
        return all().stream().map(Activation::id).toList();
    }

    /**
     * The activation with this name and default parameters ({@code sigmoid}, {@code tanh}, {@code relu},
     * {@code leaky_relu}, {@code elu}, {@code softplus}, {@code identity} (also {@code linear}),
     * {@code softmax}, {@code gelu}); case, hyphens and spaces do not matter.
     *
     * @throws IllegalArgumentException naming the unknown name, the closest known one and the list
     */
    static Activation parse(String name) {
        String n = Names.normalise(name);
        if (n.equals("linear") || n.equals("none")) {
            return identity();
        }
        if (n.equals("leakyrelu")) {
            return leakyRelu();
        }
        for (Activation a : all()) {
            if (a.id().equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'" + Names.suggestion(name, names())
                + "; known: " + String.join(", ", names()));
    }
}
