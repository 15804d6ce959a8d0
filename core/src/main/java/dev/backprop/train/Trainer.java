package dev.backprop.train;

import dev.backprop.Backprop;
import dev.backprop.Dataset;
import dev.backprop.Evaluation;
import dev.backprop.Network;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.util.Numbers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a network by epochs of mini-batch updates until a stopping rule fires:
 *
 * <pre>{@code
 * TrainingResult result = new Trainer(TrainingConfig.defaults().withEpochs(50)).fit(net, train, validation);
 * System.out.println(result.message());
 * }</pre>
 *
 * Each epoch visits every training example once (in a fresh seeded order when shuffling), in batches of the
 * configured size; after each epoch the validation data, if any, is evaluated and the stopping rules are
 * checked (see {@link Stopping}). The same seed, data and configuration give bit-identical weights.
 */
public final class Trainer {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    private final TrainingConfig config;
    private final TrainingListener listener;

    /** A trainer with the given configuration. */
    public Trainer(TrainingConfig config) {
        this(config, null);
    }

    /** A trainer that reports progress to {@code listener}. */
    public Trainer(TrainingConfig config, TrainingListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** The configuration. */
    public TrainingConfig config() {
        return config;
    }

    /** Trains on {@code train}, holding out {@link TrainingConfig#validationFraction()} of it for validation if set. */
    public TrainingResult fit(Network network, Dataset train) {
        return fit(network, train, null);
    }

    /**
     * Trains on {@code train}, validating on {@code validation} after each epoch (null: none, or the configured
     * fraction of {@code train}).
     *
     * @throws IllegalArgumentException for data of the wrong shape, targets the cost cannot take, early stopping
     *                                  without validation data, or a network with every layer frozen
     */
    public TrainingResult fit(Network network, Dataset train, Dataset validation) {
        if (validation == null && config.validationFraction() > 0) {
            Dataset.Split split = train.split(1 - config.validationFraction(), config.seed() ^ 0x5DEECE66DL);
            train = split.first();
            validation = split.second();
        }
        if (config.stopping().patience() > 0 && validation == null) {
            throw new IllegalArgumentException("early stopping (patience " + config.stopping().patience()
                    + ") needs validation data: pass a validation set or set a validation fraction");
        }
        Learner learner = new Learner(network, config);
        learner.watchRisingLoss();
        learner.check(train);
        if (validation != null) {
            learner.check(validation);
        }
        Kernels k = network.kernels();
        long start = System.nanoTime();
        Duration limit = config.stopping().timeLimit();
        long deadline = limit == null ? start + Long.MAX_VALUE / 2 : start + limit.toNanos();
        List<EpochRecord> history = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean keepBest = config.stopping().patience() > 0;
        Vec bestParams = keepBest ? k.allocate(network.parameterCount()) : null;
        if (keepBest) {
            k.copy(network.parameters(), bestParams); // epoch 0: the weights before training
        }
        StopReason reason = null;
        Diagnosis diagnosis = null;
        List<String> recoveries = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void onStep(int epoch, int batch, int batches, double loss) {
                if (listener != null) {
                    listener.onStep(epoch, batch, batches, loss);
                }
            }

            @Override
            public void onRecovery(Diagnosis d, String message) {
                recoveries.add(message);
                if (listener != null) {
                    listener.onRecovery(d, message);
                }
            }
        };
        learner.setListener(recorder);
        int maxEpochs = config.stopping().maxEpochs();
        for (int e = 0; e < maxEpochs && reason == null; e++) {
            Learner.EpochStats s;
            try {
                s = learner.epoch(train, e, deadline);
            } catch (DivergenceException ex) {
                diagnosis = ex.diagnosis();
                reason = StopReason.DIVERGED;
                break;
            }
            if (s.steps == 0) { // every update of the epoch diverged and was undone by recovery
                if (s.timedOut) {
                    reason = StopReason.TIME_LIMIT;
                }
                continue;
            }
            // R² needs the spread of the targets seen; an epoch cut short (time limit, undone steps) reports NaN
            Evaluation tr = s.metrics.toEvaluation(network.task(), s.examples == train.size() ? train.targetTotalSumOfSquares() : Double.NaN);
            double loss = s.objectiveSum / s.examples;
            double vLoss = Double.NaN;
            Evaluation va = null;
            if (validation != null) {
                va = network.evaluate(validation);
                vLoss = va.cost() + network.penalty(config.regularization());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EpochRecord rec = new EpochRecord(e + 1, loss, tr.accuracy(), tr.mse(), tr.r2(), vLoss,
                    va == null ? Double.NaN : va.accuracy(), va == null ? Double.NaN : va.mse(), va == null ? Double.NaN : va.r2(),
                    s.gradientNormSum / s.steps, learner.lastRate, s.steps, seconds);
            history.add(rec);
            LOG.log(System.Logger.Level.DEBUG, rec::summary);
            if (listener != null) {
                listener.onEpoch(rec);
            }
            double score = validation != null ? vLoss : loss;
            if (score < best - config.stopping().minDelta()) {
                best = score;
                bestEpoch = e + 1;
                sinceBest = 0;
                if (keepBest) {
                    k.copy(network.parameters(), bestParams);
                }
            } else {
                sinceBest++;
            }
            if (s.timedOut) {
                reason = StopReason.TIME_LIMIT;
            } else if (loss <= config.stopping().lossGoal()) {
                reason = StopReason.LOSS_GOAL;
            } else if (rec.gradientNorm() <= config.stopping().minGradientNorm()) {
                reason = StopReason.MIN_GRADIENT;
            } else if (keepBest && sinceBest >= config.stopping().patience()) {
                reason = StopReason.EARLY_STOPPING;
            }
        }
        if (reason == null) {
            reason = StopReason.MAX_EPOCHS;
        }
        // with early stopping on, a run that ends by epochs, time or patience keeps the best validation weights
        // (as scikit-learn does); the loss goal and the gradient minimum refer to the current weights, and a
        // diverged run keeps the doctor's last good weights
        boolean restored = keepBest && (reason == StopReason.EARLY_STOPPING || reason == StopReason.MAX_EPOCHS
                || reason == StopReason.TIME_LIMIT) && bestEpoch < history.size();
        if (restored) {
            k.copy(bestParams, network.parameters());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String message = message(reason, history, bestEpoch, diagnosis, elapsed);
        if (restored && reason != StopReason.EARLY_STOPPING) {
            message += "; restored " + bestWeights(history, bestEpoch);
        }
        recordProvenance(network, train, learner, history.size(), reason);
        return new TrainingResult(reason, message, List.copyOf(history), bestEpoch, learner.steps(), elapsed, diagnosis,
                List.copyOf(recoveries));
    }

    private String message(StopReason reason, List<EpochRecord> history, int bestEpoch, Diagnosis diagnosis, Duration elapsed) {
        EpochRecord last = history.isEmpty() ? null : history.getLast();
        String lossText = last == null ? "" : ", training loss " + Numbers.format(last.loss())
                + (Double.isNaN(last.validationLoss()) ? "" : ", validation loss " + Numbers.format(last.validationLoss()));
        String time = " in " + Numbers.format(elapsed.toNanos() / 1e9) + " s";
        return switch (reason) {
            case MAX_EPOCHS -> "stopped after the maximum of " + history.size() + " epochs" + lossText + time;
            case LOSS_GOAL -> "reached the loss goal " + Numbers.format(config.stopping().lossGoal()) + " after " + history.size() + " epochs" + lossText + time;
            case MIN_GRADIENT -> "the gradient norm fell to " + Numbers.format(last.gradientNorm()) + " (minimum "
                    + Numbers.format(config.stopping().minGradientNorm()) + ") after " + history.size() + " epochs" + lossText + time;
            case TIME_LIMIT -> "stopped at the time limit of " + config.stopping().timeLimit().toMillis() / 1000.0 + " s after "
                    + history.size() + " epochs" + lossText;
            case EARLY_STOPPING -> "stopped early after " + history.size() + " epochs: validation loss did not improve for "
                    + config.stopping().patience() + " epochs; restored " + bestWeights(history, bestEpoch) + time;
            case DIVERGED -> diagnosis.message();
            case NO_PROGRESS -> "no further progress after " + history.size() + " epochs" + lossText + time; // second-order runs only
        };
    }

    private static String bestWeights(List<EpochRecord> history, int bestEpoch) {
        return bestEpoch == 0 ? "the initial weights (no epoch improved the validation loss)"
                : "the weights of epoch " + bestEpoch + " (validation loss " + Numbers.format(history.get(bestEpoch - 1).validationLoss()) + ")";
    }

    private void recordProvenance(Network net, Dataset train, Learner learner, int epochs, StopReason reason) {
        net.putProvenance("library", "backprop " + Backprop.VERSION);
        net.putProvenance("optimizer", config.optimizer().toString());
        net.putProvenance("batch_size", config.batchSize() >= train.size() ? "full (" + train.size() + ")" : Integer.toString(config.batchSize()));
        net.putProvenance("regularization", "l2=" + config.regularization().l2() + ", l1=" + config.regularization().l1());
        net.putProvenance("schedule", config.schedule().toString());
        net.putProvenance("training_seed", Long.toString(config.seed()));
        net.putProvenance("training_examples", Integer.toString(train.size()));
        net.putProvenance("data_fingerprint", String.format("%016x", train.fingerprint()));
        net.putProvenance("epochs", Integer.toString(epochs));
        net.putProvenance("steps", Long.toString(learner.steps()));
        net.putProvenance("stop_reason", reason.name().toLowerCase());
    }
}
