package dev.backprop;

import dev.backprop.kernel.ScalarMath;
import dev.backprop.util.Names;
import java.util.List;
import java.util.Locale;

/**
 * The cost C(a, y) of one example: how far the network's output a is from the target y, summed over the
 * output units k. The objective a network is trained on averages it over the m examples and adds the
 * weight penalty: J = (1/m)·Σᵢ C(aᵢ, yᵢ) + (λ/2)·Σ‖W‖² (see {@link Regularization}).
 *
 * <table class="striped">
 * <caption>Definitions (per example; sums over output units k)</caption>
 * <tr><th>name</th><th>C(a, y)</th><th>∂C/∂a_k</th><th>output activations that fit</th></tr>
 * <tr><td>quadratic</td><td>½Σ(a_k − y_k)²</td><td>a_k − y_k</td><td>any</td></tr>
 * <tr><td>binary_cross_entropy</td><td>−Σ[y_k ln a_k + (1−y_k) ln(1−a_k)]</td><td>−y_k/a_k + (1−y_k)/(1−a_k)</td><td>sigmoid, softmax</td></tr>
 * <tr><td>cross_entropy</td><td>−Σ y_k ln a_k</td><td>−y_k/a_k</td><td>softmax</td></tr>
 * <tr><td>kullback_leibler</td><td>Σ y_k ln(y_k/a_k), 0·ln 0 = 0</td><td>−y_k/a_k</td><td>softmax</td></tr>
 * <tr><td>exponential</td><td>τ·exp(Σ(a_k − y_k)²/τ)</td><td>2(a_k − y_k)·exp(Σ(a_j − y_j)²/τ)</td><td>any</td></tr>
 * <tr><td>hellinger</td><td>(1/√2)Σ(√a_k − √y_k)²</td><td>(1/√2)(√a_k − √y_k)/√a_k</td><td>sigmoid, softmax, softplus</td></tr>
 * <tr><td>itakura_saito</td><td>Σ(y_k/a_k − ln(y_k/a_k) − 1)</td><td>(a_k − y_k)/a_k²</td><td>sigmoid, softmax, softplus</td></tr>
 * </table>
 *
 * <p>Softmax with cross-entropy or Kullback–Leibler, and sigmoid with binary cross-entropy, are computed in
 * their fused forms: the cost from the logits z through a log-sum-exp (or ln(1+e^−|z|)), and the output
 * delta directly as δ = ∂C/∂z = a·Σy − y (softmax) or a − y (sigmoid), which is exact and never divides by a
 * saturated output.
 */
public sealed interface Cost {

    /** The name used in model files, on the command line and in messages, e.g. {@code cross_entropy}. */
    String id();

    /** The formula, for messages and explanations. */
    String formula();

    /** Whether this cost is defined on the whole output range of {@code output}. */
    boolean fits(Activation output);

    /**
     * Why {@code y} cannot be a target for this cost, or null if it can. Targets must be finite; some costs
     * need more (probabilities in [0, 1], positive values).
     */
    String targetProblem(double y);

    /** C(a, y) for one example, in double precision (the scalar reference; training uses the kernels). */
    double value(double[] a, double[] y);

    /** ∂C/∂a for one example, in double precision (the scalar reference). */
    double[] gradient(double[] a, double[] y);

    /**
     * Whether C is a sum of squares, C = ½·Σ_k ρ(a_k, y_k)² for a residual ρ, so that the Gauss–Newton normal
     * equations (Levenberg–Marquardt, Bayesian regularization) apply: true for the quadratic cost, ρ = a − y, and
     * for Hellinger, ρ = 2^¼·(√a − √y).
     */
    default boolean isSumOfSquares() {
        return false;
    }

    /** The names of the output activations this cost fits, for messages. */
    default List<String> fittingOutputs() {
        return Activation.all().stream().filter(this::fits).map(Activation::id).toList();
    }

    /**
     * Refuses an output activation whose range this cost cannot take.
     *
     * @throws IllegalArgumentException saying which output activations fit
     */
    default void checkFits(Activation output) {
        if (!fits(output)) {
            boolean distribution = this instanceof CrossEntropy || this instanceof KullbackLeibler;
            String hint = distribution && output instanceof Activation.Sigmoid
                    ? " (it compares probability distributions; for independent yes/no outputs use binary_cross_entropy)" : "";
            throw new IllegalArgumentException("cost " + id() + " cannot take the outputs of " + output.id()
                    + " (range " + output.range() + "); output activations that fit " + id() + ": "
                    + String.join(", ", fittingOutputs()) + hint);
        }
    }

    /** Quadratic cost ½Σ(a − y)² (the "squared error" of the textbook derivation). */
    record Quadratic() implements Cost {
        public String id() { return "quadratic"; }
        public boolean isSumOfSquares() { return true; }
        public String formula() { return "C = 1/2 * sum_k (a_k - y_k)^2"; }
        public boolean fits(Activation output) { return true; }
        public String targetProblem(double y) { return finite(y); }
        public double value(double[] a, double[] y) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += 0.5 * (a[k] - y[k]) * (a[k] - y[k]);
            }
            return s;
        }
        public double[] gradient(double[] a, double[] y) {
            double[] g = new double[a.length];
            for (int k = 0; k < a.length; k++) {
                g[k] = a[k] - y[k];
            }
            return g;
        }
    }

    /** Binary cross-entropy −Σ[y ln a + (1 − y) ln(1 − a)]: independent yes/no outputs (targets in [0, 1]). */
    record BinaryCrossEntropy() implements Cost {
        public String id() { return "binary_cross_entropy"; }
        public String formula() { return "C = -sum_k [y_k ln a_k + (1 - y_k) ln(1 - a_k)]"; }
        public boolean fits(Activation output) { return output.inUnitInterval(); }
        public String targetProblem(double y) { return probability(y); }
        public double value(double[] a, double[] y) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += ScalarMath.binaryCrossEntropy(a[k], y[k]);
            }
            return s;
        }
        public double[] gradient(double[] a, double[] y) {
            double[] g = new double[a.length];
            for (int k = 0; k < a.length; k++) {
                g[k] = ScalarMath.binaryCrossEntropyDerivative(a[k], y[k]);
            }
            return g;
        }
    }

    /** Categorical cross-entropy −Σ y ln a: one-of-K classification (targets one-hot or a distribution). */
    record CrossEntropy() implements Cost {
        public String id() { return "cross_entropy"; }
        public String formula() { return "C = -sum_k y_k ln a_k"; }
        /** Softmax only: with independent sigmoid outputs −Σ y ln a is minimised by every output going to 1. */
        public boolean fits(Activation output) { return output instanceof Activation.Softmax; }
        public String targetProblem(double y) { return probability(y); }
        public double value(double[] a, double[] y) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s -= ScalarMath.xLogY(y[k], a[k]);
            }
            return s;
        }
        public double[] gradient(double[] a, double[] y) {
            return negativeLogGradient(a, y);
        }
    }

    /** Kullback–Leibler divergence Σ y ln(y/a) of the output distribution a from the target distribution y. */
    record KullbackLeibler() implements Cost {
        public String id() { return "kullback_leibler"; }
        public String formula() { return "C = sum_k y_k ln(y_k / a_k), with 0 ln 0 = 0"; }
        public boolean fits(Activation output) { return output instanceof Activation.Softmax; }
        public String targetProblem(double y) { return probability(y); }
        public double value(double[] a, double[] y) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += ScalarMath.kullbackLeibler(a[k], y[k]);
            }
            return s;
        }
        public double[] gradient(double[] a, double[] y) {
            return negativeLogGradient(a, y);
        }
    }

    /**
     * Exponential cost τ·exp(Σ(a − y)²/τ): like the quadratic cost near the target, but punishing large errors
     * exponentially.
     *
     * @param tau the temperature τ &gt; 0; larger τ makes it closer to τ + Σ(a − y)²
     */
    record Exponential(double tau) implements Cost {
        public Exponential {
            if (!(tau > 0) || Double.isInfinite(tau)) {
                throw new IllegalArgumentException("exponential cost needs a positive, finite tau, got " + tau);
            }
        }
        public String id() { return "exponential"; }
        public String formula() { return "C = tau * exp(sum_k (a_k - y_k)^2 / tau), tau = " + tau; }
        public boolean fits(Activation output) { return true; }
        public String targetProblem(double y) { return finite(y); }
        public double value(double[] a, double[] y) {
            return tau * Math.exp(sumSquares(a, y) / tau);
        }
        public double[] gradient(double[] a, double[] y) {
            double e = Math.exp(sumSquares(a, y) / tau);
            double[] g = new double[a.length];
            for (int k = 0; k < a.length; k++) {
                g[k] = 2.0 * (a[k] - y[k]) * e;
            }
            return g;
        }
        private static double sumSquares(double[] a, double[] y) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += (a[k] - y[k]) * (a[k] - y[k]);
            }
            return s;
        }
    }

    /** Hellinger distance (1/√2)Σ(√a − √y)² between non-negative outputs and targets. */
    record Hellinger() implements Cost {
        public String id() { return "hellinger"; }
        public boolean isSumOfSquares() { return true; }
        public String formula() { return "C = 1/sqrt(2) * sum_k (sqrt(a_k) - sqrt(y_k))^2"; }
        public boolean fits(Activation output) { return output.strictlyPositive(); }
        public String targetProblem(double y) {
            return !(y >= 0) || Double.isInfinite(y) ? "hellinger needs targets >= 0 (square roots), got " + y : null;
        }
        public double value(double[] a, double[] y) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += ScalarMath.hellinger(a[k], y[k]);
            }
            return s;
        }
        public double[] gradient(double[] a, double[] y) {
            double[] g = new double[a.length];
            for (int k = 0; k < a.length; k++) {
                g[k] = ScalarMath.hellingerDerivative(a[k], y[k]);
            }
            return g;
        }
    }

    /** Itakura–Saito divergence Σ(y/a − ln(y/a) − 1) between positive outputs and positive targets. */
    record ItakuraSaito() implements Cost {
        public String id() { return "itakura_saito"; }
        public String formula() { return "C = sum_k (y_k / a_k - ln(y_k / a_k) - 1)"; }
        public boolean fits(Activation output) { return output.strictlyPositive(); }
        public String targetProblem(double y) {
            return !(y > 0) || Double.isInfinite(y) ? "itakura_saito needs targets > 0 (it takes ln y), got " + y : null;
        }
        public double value(double[] a, double[] y) {
            double s = 0;
            for (int k = 0; k < a.length; k++) {
                s += ScalarMath.itakuraSaito(a[k], y[k]);
            }
            return s;
        }
        public double[] gradient(double[] a, double[] y) {
            double[] g = new double[a.length];
            for (int k = 0; k < a.length; k++) {
                g[k] = ScalarMath.itakuraSaitoDerivative(a[k], y[k]);
            }
            return g;
        }
    }

    static Cost quadratic() { return new Quadratic(); }
    static Cost binaryCrossEntropy() { return new BinaryCrossEntropy(); }
    static Cost crossEntropy() { return new CrossEntropy(); }
    static Cost kullbackLeibler() { return new KullbackLeibler(); }
    /** Exponential cost with τ = 1. */
    static Cost exponential() { return new Exponential(1.0); }
    static Cost exponential(double tau) { return new Exponential(tau); }
    static Cost hellinger() { return new Hellinger(); }
    static Cost itakuraSaito() { return new ItakuraSaito(); }

    /** Every cost with its default parameters, in a fixed order. */
    static List<Cost> all() {
        return List.of(quadratic(), binaryCrossEntropy(), crossEntropy(), kullbackLeibler(), exponential(),
                hellinger(), itakuraSaito());
    }

    /** The names {@link #parse(String)} accepts. */
    static List<String> names() {
        return all().stream().map(Cost::id).toList();
    }

    /**
     * The cost with this name and default parameters; also accepts the common aliases {@code mse},
     * {@code bce}, {@code ce}, {@code kl}, {@code is}.
     *
     * @throws IllegalArgumentException naming the unknown name, the closest known one and the list
     */
    static Cost parse(String name) {
        String n = Names.normalise(name);
        switch (n) {
            case "mse", "squared_error", "sse", "quadratic" -> { return quadratic(); }
            case "bce", "binary_crossentropy", "log_loss" -> { return binaryCrossEntropy(); }
            case "ce", "crossentropy", "categorical_cross_entropy", "categorical_crossentropy" -> { return crossEntropy(); }
            case "kl", "kl_divergence" -> { return kullbackLeibler(); }
            case "is" -> { return itakuraSaito(); }
            default -> { }
        }
        for (Cost c : all()) {
            if (c.id().equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown cost '" + name + "'" + Names.suggestion(name, names())
                + "; known: " + String.join(", ", names()));
    }

    private static String finite(double y) {
        return Double.isFinite(y) ? null : "targets must be finite numbers, got " + y;
    }

    private static String probability(double y) {
        return y >= 0 && y <= 1 ? null
                : String.format(Locale.ROOT, "this cost needs targets in [0, 1] (probabilities or one-hot labels), got %s", y);
    }

    private static double[] negativeLogGradient(double[] a, double[] y) {
        double[] g = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            g[k] = ScalarMath.negativeLogDerivative(a[k], y[k]);
        }
        return g;
    }
}
