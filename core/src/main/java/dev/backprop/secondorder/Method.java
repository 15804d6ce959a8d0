package dev.backprop.secondorder;

import dev.backprop.util.Names;
import java.util.List;

/**
 * A full-batch optimisation method that uses curvature: exact or approximate second derivatives, or conjugate
 * directions. Each is an immutable configuration; {@link #start(Objective, double[])} begins a run. Levenberg–
 * Marquardt and Bayesian regularization need a {@link LeastSquares} objective.
 */
public sealed interface Method permits Newton, HessianFree, Bfgs, Lbfgs, ConjugateGradient, ScaledConjugateGradient,
        LevenbergMarquardt, BayesianRegularization {

    /** The name used on the command line and in provenance, e.g. {@code lbfgs}. */
    String id();

    /** Starts a run from {@code x0} (copied). */
    Run start(Objective f, double[] x0);

    /** The names {@link #parse(String)} accepts. */
    static List<String> names() {
        return List.of("newton", "hessian_free", "bfgs", "lbfgs", "cg", "scg", "lm", "br");
    }

    /**
     * The method with this name and its default settings: {@code newton}, {@code hessian_free} (also {@code hf},
     * {@code newton_cg}), {@code bfgs}, {@code lbfgs} (also {@code l-bfgs}), {@code cg} (Polak–Ribière+ with Powell
     * restarts; {@code cgf} Fletcher–Reeves, {@code cgp} Polak–Ribière+ without restarts), {@code scg},
     * {@code lm} (also {@code levenberg_marquardt}), {@code br} (also {@code bayesian}).
     */
    static Method parse(String name) {
        return switch (Names.normalise(name)) {
            case "newton" -> new Newton();
            case "hessian_free", "hf", "newton_cg", "truncated_newton" -> new HessianFree();
            case "bfgs" -> new Bfgs();
            case "lbfgs", "l_bfgs" -> new Lbfgs();
            case "cg", "cgb", "conjugate_gradient" -> new ConjugateGradient();
            case "cgf", "fletcher_reeves" -> new ConjugateGradient(ConjugateGradient.Formula.FLETCHER_REEVES, false);
            case "cgp", "polak_ribiere" -> new ConjugateGradient(ConjugateGradient.Formula.POLAK_RIBIERE_PLUS, false);
            case "scg", "scaled_conjugate_gradient" -> new ScaledConjugateGradient();
            case "lm", "levenberg_marquardt", "trainlm" -> new LevenbergMarquardt();
            case "br", "bayesian", "bayesian_regularization", "trainbr" -> new BayesianRegularization();
            default -> throw new IllegalArgumentException("unknown second-order method '" + name + "'" + Names.suggestion(name, names())
                    + "; known: " + String.join(", ", names()));
        };
    }
}
