package dev.backprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.kernel.Vec;
import dev.backprop.optim.Adam;
import dev.backprop.util.Rng;
import org.junit.jupiter.api.Test;

/** Issue 6, learning on in production: a guarded update is rolled back bit for bit when it hurts validation. */
class GuardedLearnerTest {
    private static final TrainingConfig CONFIG = TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(32).withSeed(3);

    /** n examples of three Gaussian blobs in 4 dimensions (centres 3 apart, σ = 1), labels one-hot. */
    static Dataset blobs(int n, long seed) {
        Rng rng = new Rng(seed);
        double[][] x = new double[n][4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = rng.nextInt(3);
            labels[i] = c;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (j == c ? 3 : 0) + rng.nextGaussian();
            }
        }
        return Dataset.ofLabels(x, labels, 3);
    }

    /** The same examples with every label moved to the next class. */
    static Dataset mislabelled(Dataset d) {
        double[][] x = new double[d.size()][];
        int[] labels = new int[d.size()];
        for (int i = 0; i < d.size(); i++) {
            x[i] = d.featureRow(i);
            labels[i] = (d.label(i) + 1) % 3;
        }
        return Dataset.ofLabels(x, labels, 3);
    }

    /** A classifier trained for a few epochs: good, not converged, so one good step still helps. */
    static Network trained() {
        Network net = Network.builder(4).dense(16, Activation.tanh()).dense(3, Activation.softmax()).cost(Cost.crossEntropy()).build(5);
        new Trainer(CONFIG.withEpochs(3)).fit(net, blobs(300, 1));
        return net;
    }

    static Vec copy(Vec v) {
        return v.toPrecision(v.precision());
    }

    @Test
    void aMislabelledUpdateIsRejectedBitForBitAndTheNextGoodOneWorks() {
        Network net = trained();
        Network twin = net.copy();
        Dataset validation = blobs(200, 2);
        GuardedLearner guarded = new GuardedLearner(net, CONFIG, validation, Guard.defaults());
        GuardedLearner twinGuarded = new GuardedLearner(twin, CONFIG, validation, Guard.defaults());
        Vec before = copy(net.parameters());

        GuardedUpdate bad = guarded.update(mislabelled(blobs(64, 10)));
        assertFalse(bad.accepted(), bad.toString());
        assertTrue(bad.lossAfter() > bad.lossBefore(), bad.toString());
        assertTrue(bad.reason().contains("beyond the tolerance"), bad.reason());
        assertTrue(before.bitEquals(net.parameters()), "a rejected update leaves the weights bit-identical");
        assertEquals(bad.lossBefore(), guarded.validationLoss());

        // the next good update gives exactly what it gives a twin that never saw the bad one: Adam's moments and
        // step counts were restored too
        Dataset good = blobs(64, 11);
        GuardedUpdate ok = guarded.update(good);
        GuardedUpdate twinOk = twinGuarded.update(good);
        assertTrue(ok.accepted(), ok.toString());
        assertTrue(ok.lossAfter() < ok.lossBefore(), ok.toString());
        assertTrue(twinOk.accepted());
        assertTrue(twin.parameters().bitEquals(net.parameters()), "optimizer state restored bit for bit");

        assertEquals(1, guarded.acceptedCount());
        assertEquals(1, guarded.rejectedCount());
        assertEquals(2, guarded.history().size());
        assertEquals(1, guarded.history().get(0).index());
        assertEquals(64, guarded.history().get(1).examples());
        assertEquals(0, guarded.history().get(1).replayed());
        assertThrows(UnsupportedOperationException.class, () -> guarded.history().clear());
    }

    @Test
    void aGoodBatchIsAcceptedAndLowersTheValidationLoss() {
        Network net = trained();
        GuardedLearner guarded = new GuardedLearner(net, CONFIG, blobs(200, 2), Guard.defaults().withEpochs(2));
        Vec before = copy(net.parameters());
        GuardedUpdate u = guarded.update(blobs(96, 12));
        assertTrue(u.accepted(), u.toString());
        assertTrue(u.lossAfter() < u.lossBefore(), u.toString());
        assertEquals(u.lossAfter(), guarded.validationLoss());
        assertFalse(before.bitEquals(net.parameters()));
    }

    @Test
    void frozenLayersStayBitIdenticalWhetherAcceptedOrRejected() {
        Network net = trained();
        net.freeze(0);
        Vec w0 = copy(net.layer(0).weights());
        Vec b0 = copy(net.layer(0).biases());
        GuardedLearner guarded = new GuardedLearner(net, CONFIG, blobs(200, 2), Guard.defaults());
        assertFalse(guarded.update(mislabelled(blobs(64, 10))).accepted());
        assertTrue(w0.bitEquals(net.layer(0).weights()) && b0.bitEquals(net.layer(0).biases()), "after a rejection");
        assertTrue(guarded.update(blobs(64, 11)).accepted());
        assertTrue(w0.bitEquals(net.layer(0).weights()) && b0.bitEquals(net.layer(0).biases()), "after an acceptance");
    }

    @Test
    void anUpdateThatBlowsUpIsRejectedWhateverTheTolerance() {
        Network net = trained();
        Vec before = copy(net.parameters());
        TrainingConfig huge = TrainingConfig.defaults().withOptimizer(new dev.backprop.optim.Sgd(1e300));
        GuardedLearner guarded = new GuardedLearner(net, huge, blobs(200, 2), Guard.defaults().withAbsoluteTolerance(1e300));
        GuardedUpdate u = guarded.update(blobs(64, 10));
        assertFalse(u.accepted(), u.toString());
        assertFalse(Double.isFinite(u.lossAfter()), u.toString());
        assertTrue(u.reason().startsWith("the validation loss became"), u.reason());
        assertTrue(before.bitEquals(net.parameters()));
    }

    @Test
    void aToleranceLetsASmallRiseThrough() {
        Network net = trained();
        Dataset validation = blobs(200, 2);
        Dataset bad = mislabelled(blobs(64, 10));
        GuardedUpdate strict = new GuardedLearner(net.copy(), CONFIG, validation, Guard.defaults()).update(bad);
        double rise = strict.lossAfter() - strict.lossBefore();
        assertFalse(strict.accepted());
        GuardedUpdate loose = new GuardedLearner(net.copy(), CONFIG, validation, Guard.defaults().withAbsoluteTolerance(2 * rise)).update(bad);
        assertTrue(loose.accepted(), loose.toString());
        assertTrue(loose.reason().contains("within the tolerance"), loose.reason());
        double relative = 2 * rise / strict.lossBefore();
        assertTrue(new GuardedLearner(net.copy(), CONFIG, validation, Guard.defaults().withRelativeTolerance(relative)).update(bad).accepted());
        assertFalse(new GuardedLearner(net.copy(), CONFIG, validation, Guard.defaults().withRelativeTolerance(relative / 4)).update(bad).accepted());
    }

    @Test
    void replayIsDeterministicForASeedAndIsPartOfTheUpdate() {
        Network net = trained();
        Dataset old = blobs(300, 1);
        Dataset validation = blobs(200, 2);
        Dataset fresh = blobs(40, 13);
        Guard guard = Guard.defaults().withAbsoluteTolerance(1).withReplay(Replay.count(old, 25, 77));
        Network a = net.copy();
        Network b = net.copy();
        GuardedUpdate ua = new GuardedLearner(a, CONFIG, validation, guard).update(fresh);
        GuardedUpdate ub = new GuardedLearner(b, CONFIG, validation, guard).update(fresh);
        assertEquals(ua, ub);
        assertEquals(25, ua.replayed());
        assertEquals(40, ua.examples());
        assertTrue(ua.accepted());
        assertTrue(a.parameters().bitEquals(b.parameters()), "same seed, same update");

        // the update trained on exactly the new examples followed by the seeded sample of old ones
        Dataset mixed = guard.replay().mix(fresh, new Rng(77));
        assertEquals(65, mixed.size());
        assertEquals(fresh.featureRow(39)[0], mixed.featureRow(39)[0]);
        Network c = net.copy();
        new Learner(c, CONFIG).learn(mixed);
        assertTrue(c.parameters().bitEquals(a.parameters()), "replayed examples are part of the update");

        Network d = net.copy();
        new GuardedLearner(d, CONFIG, validation, guard.withReplay(Replay.count(old, 25, 78))).update(fresh);
        assertFalse(d.parameters().bitEquals(a.parameters()), "another seed draws another sample");

        assertEquals(20, Replay.ratio(old, 0.5, 1).sampleSize(40));
        assertEquals(300, Replay.ratio(old, 100, 1).sampleSize(40), "never more than the old data holds");
    }

    @Test
    void badArgumentsGetClearMessages() {
        Network net = trained();
        Dataset validation = blobs(50, 2);
        assertEquals("guard tolerance must be finite and at least 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> Guard.defaults().withAbsoluteTolerance(-0.1)).getMessage());
        assertEquals("guard tolerance must be finite and at least 0, got NaN",
                assertThrows(IllegalArgumentException.class, () -> Guard.defaults().withRelativeTolerance(Double.NaN)).getMessage());
        assertEquals("guard epochs must be 0 (one step) or more, got -1",
                assertThrows(IllegalArgumentException.class, () -> Guard.defaults().withEpochs(-1)).getMessage());
        assertEquals("replay count must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Replay.count(validation, 0, 1)).getMessage());
        assertEquals("replay ratio must be finite and above 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> Replay.ratio(validation, -1, 1)).getMessage());
        assertEquals("replay takes either a count or a ratio above 0, got count 3 and ratio 0.5",
                assertThrows(IllegalArgumentException.class, () -> new Replay(validation, 3, 0.5, 1)).getMessage());
        assertEquals("replay needs a dataset of old examples, got null",
                assertThrows(IllegalArgumentException.class, () -> Replay.count(null, 3, 1)).getMessage());
        assertEquals("a guarded learner needs a network, a training config, a validation set and a guard; got null for the validation set",
                assertThrows(IllegalArgumentException.class, () -> new GuardedLearner(net, CONFIG, null, Guard.defaults())).getMessage());
        Dataset wrong = Dataset.of(new double[][] {{1, 2}}, new double[][] {{1}});
        assertEquals("validation set: the data has 2 features and 1 targets but the network takes 4 inputs and has 3 outputs",
                assertThrows(IllegalArgumentException.class, () -> new GuardedLearner(net, CONFIG, wrong, Guard.defaults())).getMessage());
        assertEquals("the replay data has 2 features and 1 targets but the network takes 4 inputs and has 3 outputs",
                assertThrows(IllegalArgumentException.class,
                        () -> new GuardedLearner(net, CONFIG, validation, Guard.defaults().withReplay(Replay.count(wrong, 1, 1)))).getMessage());
        GuardedLearner g = new GuardedLearner(net, CONFIG, validation, Guard.defaults());
        assertThrows(IllegalArgumentException.class, () -> g.update(wrong));
        assertEquals(0, g.history().size());
        Network frozen = trained();
        frozen.freeze(0, 1);
        assertEquals("every layer of the network is frozen: there is nothing to train",
                assertThrows(IllegalArgumentException.class, () -> new GuardedLearner(frozen, CONFIG, validation, Guard.defaults())).getMessage());
        assertNotEquals(null, g.guard());
    }
}
