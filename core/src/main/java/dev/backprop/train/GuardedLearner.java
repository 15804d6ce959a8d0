package dev.backprop.train;

import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.optim.OptimizerState;
import dev.backprop.util.Numbers;
import dev.backprop.util.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Learning on in production, with a guard: each update from new labelled examples is checked against a held-out
 * validation set and rolled back when it makes the validation loss worse by more than the {@link Guard}'s
 * tolerance.
 *
 * <p>{@link #update(Dataset)} does, in order: save the parameters and the optimizer's state; measure the
 * validation loss L₀ (the mean cost over the validation set, no weight penalty); mix in a sample of old data if
 * the guard has a {@link Replay}; train on the batch (one step, or the guard's number of epochs) with a
 * {@link Learner} that respects frozen layers; measure L₁. If L₁ is not finite, the update diverged, or
 * L₁ exceeds the tolerance ({@link Guard#allows}), the parameters and the optimizer state (moments, step counts)
 * are put back bit for bit and the update is recorded as rejected; otherwise it is recorded as accepted. Frozen
 * layers never change either way.
 *
 * <pre>{@code
 * GuardedLearner guarded = new GuardedLearner(net, TrainingConfig.defaults().withOptimizer(new Adam(1e-3)),
 *         validation, Guard.defaults().withRelativeTolerance(0.01).withReplay(Replay.ratio(oldTrain, 1.0, 7)));
 * GuardedUpdate u = guarded.update(newExamples);   // u.accepted(), u.lossBefore(), u.lossAfter(), u.reason()
 * }</pre>
 *
 * <p>What a rejection does not undo: the learner's shuffle stream and step count, the replay sample stream, and
 * a learning-rate halving by the divergence doctor when the training config turns recovery on. Not thread-safe;
 * serve predictions from a {@link dev.backprop.Predictor} made after accepted updates.
 */
public final class GuardedLearner {
    private final Network net;
    private final Dataset validation;
    private final Guard guard;
    private final Learner learner;
    private final Kernels k;
    private final OptimizerState optimizer;
    private final Vec savedParameters;
    private final OptimizerState.Snapshot savedOptimizer;
    private final Rng replayRng;
    private final List<GuardedUpdate> history = new ArrayList<>();
    private final List<GuardedUpdate> historyView = Collections.unmodifiableList(history);
    private int accepted;
    private int rejected;

    /**
     * A guard around {@code network}, trained with {@code config}'s optimizer and rules and checked on
     * {@code validation} (examples never trained on).
     *
     * @throws IllegalArgumentException if an argument is null, the validation set does not fit the network, or
     *         every layer is frozen
     */
    public GuardedLearner(Network network, TrainingConfig config, Dataset validation, Guard guard) {
        if (network == null || config == null || validation == null || guard == null) {
            throw new IllegalArgumentException("a guarded learner needs a network, a training config, a validation set and a guard;"
                    + " got null for the " + (network == null ? "network" : config == null ? "config" : validation == null ? "validation set" : "guard"));
        }
        if (!network.hasTrainableLayers()) {
            throw new IllegalArgumentException("every layer of the network is frozen: there is nothing to train");
        }
        this.net = network;
        this.validation = validation;
        this.guard = guard;
        this.learner = new Learner(network, config);
        try {
            learner.check(validation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("validation set: " + e.getMessage(), e);
        }
        if (guard.replay() != null) {
            Dataset old = guard.replay().data();
            if (old.features() != network.inputs() || old.targets() != network.outputs()) {
                throw new IllegalArgumentException("the replay data has " + old.features() + " features and " + old.targets()
                        + " targets but the network takes " + network.inputs() + " inputs and has " + network.outputs() + " outputs");
            }
            old.checkTargets(network.cost());
        }
        this.k = network.kernels();
        this.optimizer = learner.optimizerState();
        this.savedParameters = k.allocate(network.parameterCount());
        this.savedOptimizer = optimizer.snapshot();
        this.replayRng = guard.replay() == null ? null : new Rng(guard.replay().seed());
    }

    /** The network being updated. */
    public Network network() {
        return net;
    }

    /** The guard's rules. */
    public Guard guard() {
        return guard;
    }

    /** The mean cost of the network over the validation set now (no weight penalty). */
    public double validationLoss() {
        return net.evaluate(validation).cost();
    }

    /**
     * One guarded update from {@code newExamples} (see the class comment).
     *
     * @return the record of the update, also appended to {@link #history()}
     * @throws IllegalArgumentException if the examples do not fit the network or the cost
     */
    public GuardedUpdate update(Dataset newExamples) {
        learner.check(newExamples);
        Dataset batch = replayRng == null ? newExamples : guard.replay().mix(newExamples, replayRng);
        int replayed = batch.size() - newExamples.size();
        k.copy(net.parameters(), savedParameters);
        optimizer.save(savedOptimizer);
        double before = validationLoss();
        int recoveries = learner.recoveries();
        double after;
        String reason;
        try {
            if (guard.epochs() == 0) {
                learner.learn(batch);
            } else {
                for (int e = 0; e < guard.epochs(); e++) {
                    learner.partialFit(batch);
                }
            }
            after = validationLoss();
            reason = learner.recoveries() > recoveries ? "the update diverged (the doctor recovered from it)" : null;
        } catch (DivergenceException e) {
            after = Double.NaN;
            reason = "the update diverged: " + e.getMessage();
        }
        boolean ok = reason == null && guard.allows(before, after);
        if (reason == null) {
            reason = describe(ok, before, after);
        }
        if (!ok) {
            k.copy(savedParameters, net.parameters());
            optimizer.restore(savedOptimizer);
            rejected++;
        } else {
            accepted++;
        }
        GuardedUpdate u = new GuardedUpdate(history.size() + 1L, ok, newExamples.size(), replayed, before, after, reason);
        history.add(u);
        return u;
    }

    private String describe(boolean ok, double before, double after) {
        if (!Double.isFinite(after)) {
            return "the validation loss became " + after;
        }
        String change = "validation loss " + Numbers.format(before) + " -> " + Numbers.format(after);
        String limit = guard.relative() ? Numbers.format(guard.tolerance() * 100) + "% of the loss" : Numbers.format(guard.tolerance());
        if (ok) {
            return after <= before ? change : change + ", a rise within the tolerance of " + limit;
        }
        return change + ", a rise of " + Numbers.format(after - before) + " beyond the tolerance of " + limit;
    }

    /** Every update so far, oldest first (a read-only view that grows with later updates). */
    public List<GuardedUpdate> history() {
        return historyView;
    }

    /** Updates kept. */
    public int acceptedCount() {
        return accepted;
    }

    /** Updates rolled back. */
    public int rejectedCount() {
        return rejected;
    }
}
