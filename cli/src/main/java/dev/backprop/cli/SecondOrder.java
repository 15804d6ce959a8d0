package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.Evaluation;
import dev.backprop.Network;
import dev.backprop.Regularization;
import dev.backprop.secondorder.BayesianRegularization;
import dev.backprop.secondorder.Iteration;
import dev.backprop.secondorder.Limits;
import dev.backprop.secondorder.Method;
import dev.backprop.secondorder.Result;
import dev.backprop.secondorder.SecondOrderTrainer;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.StopReason;
import dev.backprop.train.TrainingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train --optimizer lm} (and the other second-order methods): runs a {@link SecondOrderTrainer} and
 * reports it the way the first-order trainer's runs are reported, one record per iteration (each is one pass
 * over the whole training set), with the training and validation figures measured at the iteration's point.
 */
final class SecondOrder {
    private SecondOrder() {
    }

    /** Trains {@code net} and returns the run as a {@link TrainingResult}; the network ends at the result's point. */
    static TrainingResult train(Network net, Dataset train, Dataset validation, Method method, Limits limits, Regularization reg,
                                Progress progress) {
        List<EpochRecord> history = new ArrayList<>();
        boolean br = method instanceof BayesianRegularization;
        SecondOrderTrainer.Listener listener = (it, n) -> {
            if (it.iteration() == 0) {
                return;
            }
            EpochRecord rec = record(it, n, train, validation, br);
            history.add(rec);
            progress.onEpoch(rec);
        };
        Result r;
        try {
            r = new SecondOrderTrainer(method, limits).fit(net, train, validation, reg, listener);
        } catch (IllegalArgumentException e) { // a cost that is not a sum of squares, too many parameters: the user's to fix
            throw new UserError(e.getMessage());
        }
        StopReason reason = switch (r.reason()) {
            case MAX_ITERATIONS -> StopReason.MAX_EPOCHS;
            case LOSS_GOAL -> StopReason.LOSS_GOAL;
            case MIN_GRADIENT -> StopReason.MIN_GRADIENT;
            case VALIDATION -> StopReason.EARLY_STOPPING;
            case TIME_LIMIT -> StopReason.TIME_LIMIT;
            case NO_PROGRESS -> StopReason.NO_PROGRESS;
            case NOT_FINITE -> StopReason.DIVERGED;
        };
        String message = r.reason() == dev.backprop.secondorder.Stop.NOT_FINITE
                ? r.message() + ". Try float64 (--precision float64), standardised inputs (--scale standard) or another method" : r.message();
        double seconds = r.history().getLast().seconds();
        // r.kept(): the iteration whose point the network ends with (0, the starting point, has no record)
        return new TrainingResult(reason, message, List.copyOf(history), r.kept(), r.iterations(), Duration.ofNanos((long) (seconds * 1e9)),
                null, List.of());
    }

    private static EpochRecord record(Iteration it, Network n, Dataset train, Dataset validation, boolean br) {
        Evaluation t = n.evaluate(train);
        Evaluation v = validation == null ? null : n.evaluate(validation);
        boolean classes = t.task().isClassification();
        // BR's own objective is β·E_D + α·E_W; show the network's J like every other run
        double loss = br ? n.objective(train, Regularization.NONE) : it.value();
        return new EpochRecord(it.iteration(), loss, classes ? t.accuracy() : Double.NaN, classes ? Double.NaN : t.mse(),
                classes ? Double.NaN : t.r2(), validation == null ? Double.NaN : it.validationLoss(),
                v == null || !classes ? Double.NaN : v.accuracy(), v == null || classes ? Double.NaN : v.mse(),
                v == null || classes ? Double.NaN : v.r2(), it.gradientNorm(), Double.NaN, 1, it.seconds());
    }

    /** The configuration table of the report for a second-order run. */
    static Map<String, String> settings(Method method, Limits limits, Regularization reg, int trainSize, boolean hasValidation, long seed) {
        Map<String, String> t = Report.map();
        t.put("optimizer", method.toString());
        t.put("batch size", "full batch (" + trainSize + ")");
        t.put("iterations (max)", Integer.toString(limits.maxIterations()));
        t.put("regularization", method instanceof BayesianRegularization ? "Bayesian (alpha, beta re-estimated every iteration)"
                : "L2 " + reg.l2() + ", L1 " + reg.l1());
        t.put("stopping", String.format(Locale.ROOT, "goal %s, min gradient %s%s", limits.lossGoal(), limits.minGradientNorm(),
                limits.timeLimit() == null ? "" : ", time " + limits.timeLimit().toMillis() / 1000.0 + " s"));
        t.put("early stopping", hasValidation && limits.maxFail() > 0 ? "max_fail " + limits.maxFail() : "off");
        t.put("seed", Long.toString(seed));
        return t;
    }
}
