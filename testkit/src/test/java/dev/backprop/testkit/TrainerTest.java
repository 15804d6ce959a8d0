package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.kernel.Vec;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Sgd;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.GradientClipping;
import dev.backprop.train.LearningRateSchedule;
import dev.backprop.train.Learner;
import dev.backprop.train.StopReason;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingListener;
import dev.backprop.train.TrainingResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerTest {

    private static Network sineNet() {
        return Network.builder(1).dense(16, Activation.tanh()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(1);
    }

    @Test
    void onlineMiniBatchAndFullBatchMakeTheRightNumberOfUpdates() {
        Dataset data = Problems.noisySine(100, 0.1, 1);
        TrainingConfig base = TrainingConfig.defaults().withOptimizer(new Sgd(0.01)).withEpochs(2);
        assertEquals(100, new Trainer(base.withOnline()).fit(sineNet(), data).history().getFirst().steps());
        assertEquals(4, new Trainer(base.withBatchSize(32)).fit(sineNet(), data).history().getFirst().steps());
        TrainingResult full = new Trainer(base.withFullBatch()).fit(sineNet(), data);
        assertEquals(1, full.history().getFirst().steps());
        assertEquals(2, full.steps());
    }

    @Test
    void stopsAtTheMaximumNumberOfEpochs() {
        TrainingResult r = new Trainer(TrainingConfig.defaults().withEpochs(7)).fit(sineNet(), Problems.noisySine(50, 0.1, 1));
        assertEquals(StopReason.MAX_EPOCHS, r.reason());
        assertEquals(7, r.history().size());
        assertEquals(7, r.last().epoch());
        assertTrue(r.message().startsWith("stopped after the maximum of 7 epochs"), r.message());
    }

    @Test
    void stopsAtTheLossGoal() {
        Network net = Network.builder(2).dense(4, Activation.tanh()).dense(1, Activation.sigmoid()).cost(Cost.binaryCrossEntropy()).build(0);
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.05)).withFullBatch().withEpochs(5000)
                .withLossGoal(0.1)).fit(net, Problems.xor());
        assertEquals(StopReason.LOSS_GOAL, r.reason());
        assertTrue(r.last().loss() <= 0.1);
        assertTrue(r.history().get(r.history().size() - 2).loss() > 0.1);
    }

    @Test
    void stopsAtTheMinimumGradientNorm() {
        Dataset line = Dataset.of(new double[][] {{-1}, {0}, {1}, {2}}, new double[][] {{-1}, {1}, {3}, {5}});
        Network net = Network.builder(1).dense(1, Activation.identity()).cost(Cost.quadratic()).build(0);
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(0.3)).withFullBatch().withEpochs(10_000)
                .withMinGradientNorm(1e-4)).fit(net, line);
        assertEquals(StopReason.MIN_GRADIENT, r.reason());
        assertTrue(r.last().gradientNorm() <= 1e-4);
        assertEquals(2.0, net.parameters().get(0), 1e-3);
        assertEquals(1.0, net.parameters().get(1), 1e-3);
    }

    @Test
    void stopsAtTheTimeLimit() {
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOnline().withEpochs(1_000_000)
                .withTimeLimit(Duration.ofMillis(300))).fit(sineNet(), Problems.noisySine(500, 0.1, 1));
        assertEquals(StopReason.TIME_LIMIT, r.reason());
        assertTrue(r.history().size() < 1_000_000);
        assertTrue(r.elapsed().toMillis() >= 300);
    }

    @Test
    void earlyStoppingRestoresTheBestEpochsWeights() {
        // a big network on 20 noisy points overfits: validation loss turns up while training loss keeps falling
        Dataset train = Problems.noisySine(20, 0.3, 1);
        Dataset validation = Problems.noisySine(200, 0.3, 2);
        Network net = Network.builder(1).dense(64, Activation.tanh()).dense(64, Activation.tanh()).dense(1, Activation.identity())
                .cost(Cost.quadratic()).build(3);
        Map<Integer, Vec> snapshots = new HashMap<>();
        TrainingListener keep = new TrainingListener() {
            @Override
            public void onEpoch(EpochRecord r) {
                snapshots.put(r.epoch(), net.parameters().toPrecision(net.precision()));
            }
        };
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(4).withEpochs(3000)
                .withPatience(25), keep).fit(net, train, validation);
        assertEquals(StopReason.EARLY_STOPPING, r.reason(), r.message());
        int best = r.bestEpoch();
        assertEquals(best + 25, r.history().size());
        double bestLoss = r.history().get(best - 1).validationLoss();
        for (EpochRecord e : r.history()) {
            assertTrue(e.validationLoss() >= bestLoss);
        }
        assertTrue(snapshots.get(best).bitEquals(net.parameters()), "weights of epoch " + best + " restored");
        assertTrue(r.message().contains("restored the weights of epoch " + best), r.message());
    }

    /** A validation loss that is infinite from the start never improves: the initial weights come back. */
    @Test
    void earlyStoppingWithoutAnyImprovementRestoresTheInitialWeights() {
        Network net = Network.builder(1).dense(2, Activation.softmax()).cost(Cost.binaryCrossEntropy()).build(1);
        net.setParameters(new double[] {100, -100, 0, 0}); // x = 1 gives a = (1, 0) exactly in float32
        double[] initial = net.parameterArray();
        Dataset train = Dataset.of(new double[][] {{0}, {0}}, new double[][] {{0.3, 0.7}, {0.3, 0.7}});
        Dataset validation = Dataset.of(new double[][] {{1}}, new double[][] {{0, 1}}); // ln(1 − 1): infinite cost
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(1e-6)).withFullBatch().withEpochs(20)
                .withPatience(3)).fit(net, train, validation);
        assertEquals(StopReason.EARLY_STOPPING, r.reason(), r.message());
        assertEquals(0, r.bestEpoch());
        assertTrue(r.message().contains("restored the initial weights"), r.message());
        assertEquals(java.util.Arrays.toString(initial), java.util.Arrays.toString(net.parameterArray()));
    }

    @Test
    void withPatienceOnTheBestWeightsAlsoComeBackAtTheEpochLimit() {
        Dataset train = Problems.noisySine(20, 0.3, 1);
        Dataset validation = Problems.noisySine(200, 0.3, 2);
        Network net = Network.builder(1).dense(64, Activation.tanh()).dense(64, Activation.tanh()).dense(1, Activation.identity())
                .cost(Cost.quadratic()).build(3);
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(4).withEpochs(150)
                .withPatience(1000)).fit(net, train, validation);
        assertEquals(StopReason.MAX_EPOCHS, r.reason());
        assertTrue(r.bestEpoch() < 150, "this net overfits, so the best epoch is not the last");
        assertTrue(r.message().contains("restored the weights of epoch " + r.bestEpoch()), r.message());
        assertEquals(r.history().get(r.bestEpoch() - 1).validationLoss(), net.evaluate(validation).cost(), 1e-6);
    }

    @Test
    void earlyStoppingNeedsValidationData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TrainingConfig.defaults().withPatience(3)).fit(sineNet(), Problems.noisySine(50, 0.1, 1)));
        assertTrue(e.getMessage().contains("needs validation data"));
        TrainingResult r = new Trainer(TrainingConfig.defaults().withPatience(3).withValidationFraction(0.25).withEpochs(3))
                .fit(sineNet(), Problems.noisySine(40, 0.1, 1));
        assertFalse(Double.isNaN(r.last().validationLoss()));
        assertFalse(Double.isNaN(r.last().validationR2()));
    }

    @Test
    void historyHoldsTheMetricsOfTheTask() {
        TrainingResult clf = new Trainer(TrainingConfig.defaults().withEpochs(3).withValidationFraction(0.2))
                .fit(Network.builder(2).dense(2, Activation.softmax()).cost(Cost.crossEntropy()).build(1), Problems.linearlySeparable(100, 2, 0.1, 1));
        EpochRecord c = clf.last();
        assertTrue(c.accuracy() >= 0 && c.accuracy() <= 1 && c.validationAccuracy() >= 0);
        assertTrue(Double.isNaN(c.r2()));
        TrainingResult reg = new Trainer(TrainingConfig.defaults().withEpochs(3)).fit(sineNet(), Problems.noisySine(50, 0.1, 1));
        EpochRecord r = reg.last();
        assertTrue(Double.isNaN(r.accuracy()));
        assertFalse(Double.isNaN(r.mse()) || Double.isNaN(r.r2()));
        assertTrue(Double.isNaN(r.validationLoss()));
    }

    @Test
    void schedulesScaleTheRateAsDocumented() {
        var step = new LearningRateSchedule.StepDecay(2, 0.5);
        assertEquals(1.0, step.factor(1, 0, 10));
        assertEquals(0.5, step.factor(2, 0, 10));
        assertEquals(0.25, step.factor(5, 3, 10));
        assertEquals(Math.pow(0.9, 3), new LearningRateSchedule.ExponentialDecay(0.9).factor(3, 7, 10), 1e-15);
        var cos = new LearningRateSchedule.CosineAnnealing(10, 0.1);
        assertEquals(1.0, cos.factor(0, 0, 1), 1e-15);
        assertEquals(0.55, cos.factor(5, 0, 1), 1e-15);
        assertEquals(0.1, cos.factor(10, 0, 1), 1e-15);
        assertEquals(0.1, cos.factor(25, 0, 1), 1e-15);
        var warm = new LearningRateSchedule.Warmup(2, new LearningRateSchedule.ExponentialDecay(0.5));
        assertEquals(0.1, warm.factor(0, 0, 5), 1e-15);
        assertEquals(0.6, warm.factor(1, 0, 5), 1e-15);
        assertEquals(1.0, warm.factor(1, 4, 5), 1e-15);
        assertEquals(1.0, warm.factor(2, 0, 5), 1e-15);
        assertEquals(0.5, warm.factor(3, 2, 5), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.StepDecay(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule.ExponentialDecay(1.5));
    }

    @Test
    void theScheduleDrivesTheRateOfEachEpoch() {
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(0.1)).withEpochs(4)
                .withSchedule(new LearningRateSchedule.ExponentialDecay(0.5))).fit(sineNet(), Problems.noisySine(64, 0.1, 1));
        assertEquals(0.1, r.history().get(0).learningRate(), 1e-15);
        assertEquals(0.0125, r.history().get(3).learningRate(), 1e-15);
    }

    @Test
    void clippingLimitsTheUpdate() {
        Dataset data = Dataset.of(new double[][] {{100}}, new double[][] {{-100}});
        Network net = Network.builder(1).dense(3, Activation.identity()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(2);
        double[] before = net.parameterArray();
        new Learner(net, TrainingConfig.defaults().withOptimizer(new Sgd(1.0)).withClipping(new GradientClipping.ByNorm(0.5))).learn(data);
        double moved = 0;
        double[] after = net.parameterArray();
        for (int i = 0; i < after.length; i++) {
            moved += (after[i] - before[i]) * (after[i] - before[i]);
        }
        assertEquals(0.5, Math.sqrt(moved), 1e-5, "the step is the clipped gradient, of norm 0.5");
        Network v = Network.builder(1).dense(3, Activation.identity()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(2);
        new Learner(v, TrainingConfig.defaults().withOptimizer(new Sgd(1.0)).withClipping(new GradientClipping.ByValue(0.01))).learn(data);
        double[] va = v.parameterArray();
        for (int i = 0; i < va.length; i++) {
            assertTrue(Math.abs(va[i] - before[i]) <= 0.01 + 1e-7, "each entry moves at most lr * 0.01");
        }
    }

    @Test
    void targetsTheCostCannotTakeAreRefusedBeforeTraining() {
        Network net = Network.builder(1).dense(2, Activation.softmax()).cost(Cost.crossEntropy()).build(1);
        Dataset bad = Dataset.of(new double[][] {{1}, {2}}, new double[][] {{0, 1}, {2, -1}});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Trainer(TrainingConfig.defaults()).fit(net, bad));
        assertTrue(e.getMessage().contains("example 1, column 0"), e.getMessage());
        Dataset wide = Dataset.of(new double[][] {{1, 2}}, new double[][] {{0, 1}});
        e = assertThrows(IllegalArgumentException.class, () -> new Trainer(TrainingConfig.defaults()).fit(net, wide));
        assertTrue(e.getMessage().contains("2 features"), e.getMessage());
    }

    @Test
    void configRefusesBadValuesByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withBatchSize(0));
        assertTrue(e.getMessage().contains("batch size") && e.getMessage().contains("0"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withEpochs(-1));
        assertTrue(e.getMessage().contains("max epochs"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withL2(-0.1));
        assertTrue(e.getMessage().contains("L2") && e.getMessage().contains("-0.1"));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withValidationFraction(1.0));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withTimeLimit(Duration.ZERO));
    }
}
