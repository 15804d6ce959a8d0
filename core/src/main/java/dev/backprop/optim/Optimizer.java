package dev.backprop.optim;

import dev.backprop.Network;
import dev.backprop.util.Names;
import java.util.List;

/**
 * A first-order update rule: given the gradient g = ∂J/∂θ that the network has just computed, change θ.
 * Gradients always mean ∂J/∂θ; every rule subtracts (descends).
 *
 * <p>An {@code Optimizer} is an immutable configuration whose defaults follow PyTorch's {@code torch.optim}
 * (each class says where it differs). {@link #start(Network)} creates the per-parameter state (moments,
 * step sizes) for one network; that {@link OptimizerState} then applies one update per call. Frozen layers
 * are skipped, so their parameters stay bit-identical.
 */
public sealed interface Optimizer permits Sgd, Momentum, Nesterov, Adam, AdamW, RmsProp, Rprop, Quickprop {

    /** The name used on the command line and in provenance, e.g. {@code adam}. */
    String id();

    /** The base learning rate α (a schedule multiplies it). */
    double learningRate();

    /** The same optimizer with another base learning rate. */
    Optimizer withLearningRate(double learningRate);

    /** Creates the update state for a network (all state starts at zero). */
    OptimizerState start(Network network);

    /** Whether the rule is meant for full-batch gradients (Rprop, Quickprop); mini-batch noise defeats them. */
    default boolean wantsFullBatch() {
        return false;
    }

    /** The names {@link #parse(String)} accepts. */
    static List<String> names() {
        return List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop", "rprop", "quickprop");
    }

    /**
     * The optimizer with this name and its default hyper-parameters ({@code gd} is accepted for {@code sgd}).
     *
     * @throws IllegalArgumentException naming the unknown name, the closest known one and the list
     */
    static Optimizer parse(String name) {
        return switch (Names.normalise(name)) {
            case "sgd", "gd", "gradient_descent" -> new Sgd();
            case "momentum" -> new Momentum();
            case "nesterov", "nag" -> new Nesterov();
            case "adam" -> new Adam();
            case "adamw" -> new AdamW();
            case "rmsprop" -> new RmsProp();
            case "rprop", "irprop", "irprop_minus" -> new Rprop();
            case "quickprop" -> new Quickprop();
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'"
                    + Names.suggestion(name, names()) + "; known: " + String.join(", ", names()));
        };
    }

    /** Checks a hyper-parameter, naming it in the message. */
    static double check(String what, double value, double lo, boolean loOpen, double hi, boolean hiOpen) {
        boolean ok = Double.isFinite(value) || (hi == Double.POSITIVE_INFINITY && value == hi && !hiOpen);
        ok &= loOpen ? value > lo : value >= lo;
        ok &= hiOpen ? value < hi : value <= hi;
        if (!ok) {
            throw new IllegalArgumentException(what + " must be in " + (loOpen ? "(" : "[") + lo + ", " + hi
                    + (hiOpen ? ")" : "]") + ", got " + value);
        }
        return value;
    }

    /** Checks a learning rate: finite and positive. */
    static double checkRate(double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + lr);
        }
        return lr;
    }
}
