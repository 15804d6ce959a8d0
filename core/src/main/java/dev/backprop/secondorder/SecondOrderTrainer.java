package dev.backprop.secondorder;

import dev.backprop.Backprop;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.Regularization;
import java.util.function.ToDoubleFunction;

/**
 * Trains a network with a second-order method on the whole training set at once:
 *
 * <pre>{@code
 * Result r = new SecondOrderTrainer(new LevenbergMarquardt(), Limits.defaults()).fit(net, train, validation, Regularization.NONE);
 * }</pre>
 *
 * The variables are the trainable parameters (frozen layers stay bit-identical); the objective is
 * J = (1/n)·Σ C + penalty, except for {@link BayesianRegularization}, which minimises its own β·E_D + α·Σw², E_D the raw sum of squared residuals.
 * With validation data, max_fail early stopping applies and the best validation point is kept. The network
 * ends with the returned point's parameters.
 */
public final class SecondOrderTrainer {
    private final Method method;
    private final Limits limits;

    public SecondOrderTrainer(Method method, Limits limits) {
        this.method = method;
        this.limits = limits;
    }

    /** Trains without validation data and without a progress listener. */
    public Result fit(Network net, Dataset train, Regularization reg) {
        return fit(net, train, null, reg, null);
    }

    /** Sees each iteration's record with the network set to the point it reached. */
    @FunctionalInterface
    public interface Listener {
        void iteration(Iteration record, Network net);
    }

    /** Trains with validation data (may be null). */
    public Result fit(Network net, Dataset train, Dataset validation, Regularization reg) {
        return fit(net, train, validation, reg, null);
    }

    /**
     * Trains, reporting every iteration to {@code listener} (may be null).
     *
     * @throws IllegalArgumentException for data the network cannot take, every layer frozen, or a method that
     *                                  needs a sum-of-squares cost on another cost
     */
    public Result fit(Network net, Dataset train, Dataset validation, Regularization reg, Listener listener) {
        train.checkTargets(net.cost());
        if (validation != null) {
            validation.checkTargets(net.cost());
        }
        NetworkObjective objective = new NetworkObjective(net, train, reg);
        Objective solved = method instanceof BayesianRegularization ? objective.rawSumOfSquares() : objective;
        if (method instanceof LevenbergMarquardt || method instanceof BayesianRegularization) {
            // fail early, with the network's own message, if the cost is not a sum of squares
            requireSumOfSquares(net, reg, method);
        }
        Regularization validationReg = method instanceof BayesianRegularization ? Regularization.NONE : reg;
        ToDoubleFunction<double[]> val = validation == null ? null : x -> {
            objective.apply(x);
            return net.objective(validation, validationReg);
        };
        double[] x0 = objective.point();
        Minimizer.Listener watch = listener == null ? null : (record, x) -> {
            objective.apply(x);
            listener.iteration(record, net);
        };
        // BR's objective is the raw ½Σρ² = n·J (unpenalised): its goal is n times the goal for J
        Limits used = method instanceof BayesianRegularization ? limits.withLossGoal(limits.lossGoal() * train.size()) : limits;
        Result result = Minimizer.minimize(method, solved, x0, used, val, watch);
        objective.apply(result.x());
        net.putProvenance("library", "backprop " + Backprop.VERSION);
        net.putProvenance("optimizer", method.toString());
        net.putProvenance("batch_size", "full (" + train.size() + ")");
        net.putProvenance("regularization", method instanceof BayesianRegularization ? "bayesian" : "l2=" + reg.l2() + ", l1=" + reg.l1());
        net.putProvenance("training_examples", Integer.toString(train.size()));
        net.putProvenance("data_fingerprint", String.format("%016x", train.fingerprint()));
        net.putProvenance("iterations", Integer.toString(result.iterations()));
        net.putProvenance("stop_reason", result.reason().name().toLowerCase(java.util.Locale.ROOT));
        return result;
    }

    private static void requireSumOfSquares(Network net, Regularization reg, Method method) {
        if (!net.cost().isSumOfSquares()) {
            throw new IllegalArgumentException(method.id() + " needs a sum-of-squares cost (quadratic or hellinger); this network's cost is "
                    + net.cost().id() + ". Use lbfgs, bfgs, cg, scg, newton or hessian_free for other costs");
        }
        if (reg.l1() != 0 && method instanceof LevenbergMarquardt) {
            throw new IllegalArgumentException("an L1 penalty is not a sum of squares; Levenberg-Marquardt cannot take it (use lbfgs)");
        }
    }
}
