package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.optim.Adam;
import dev.backprop.optim.Rprop;
import dev.backprop.optim.Sgd;
import dev.backprop.train.Diagnosis;
import dev.backprop.train.DivergenceException;
import dev.backprop.train.Learner;
import dev.backprop.train.StopReason;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingResult;
import dev.backprop.util.Rng;
import org.junit.jupiter.api.Test;

class DivergenceDoctorTest {

    private static Network sineNet(long seed) {
        return Network.builder(1).dense(16, Activation.tanh()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(seed);
    }

    private static boolean allFinite(Network net) {
        for (double v : net.parameterArray()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The case: learning rate 100 on a sine regression. */
    @Test
    void learningRate100StopsWithTheDoctorsMessageAndFiniteWeights() {
        Network net = sineNet(2);
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(100)).withEpochs(50))
                .fit(net, Problems.noisySine(200, 0.1, 3));
        assertEquals(StopReason.DIVERGED, r.reason());
        Diagnosis d = r.diagnosis();
        assertNotNull(d);
        assertEquals(Diagnosis.Cause.LEARNING_RATE_TOO_LARGE, d.cause());
        assertTrue(r.message().startsWith("training diverged at step " + d.step() + " (epoch 1, batch "), r.message());
        assertTrue(r.message().contains("Likely cause: learning rate too large"), r.message());
        assertTrue(r.message().contains("lower the learning rate (try 10 or less)"), r.message());
        assertTrue(allFinite(net), "the last good weights are kept");
        assertTrue(net.evaluate(Problems.noisySine(200, 0.1, 3)).cost() < 1e3);
    }

    @Test
    void nanLossIsCaughtAtTheStepItHappens() {
        // plain gradient descent at lr 1e6: the output weights overflow within a few steps
        Network net = sineNet(1);
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(1e6)).withFullBatch().withEpochs(10))
                .fit(net, Problems.noisySine(50, 0.1, 1));
        assertTrue(r.diverged(), r.message());
        assertTrue(r.diagnosis().step() <= 3, r.message());
        assertTrue(allFinite(net));
    }

    @Test
    void hugeInputsAreBlamedOnTheData() {
        Rng rng = new Rng(5);
        double[][] x = new double[100][1];
        double[][] y = new double[100][1];
        for (int i = 0; i < 100; i++) {
            x[i][0] = rng.uniform(-1e6, 1e6);
            y[i][0] = Math.sin(x[i][0] / 1e6);
        }
        Network net = Network.builder(1).dense(8, Activation.identity()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(3);
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(0.01)).withEpochs(20)).fit(net, Dataset.of(x, y));
        assertTrue(r.diverged(), r.message());
        assertEquals(Diagnosis.Cause.BAD_INPUT_VALUES, r.diagnosis().cause(), r.message());
        assertTrue(r.message().contains("standardise"), r.message());
    }

    @Test
    void saturatedOutputsThatBreakTheCostAreNamed() {
        // sigmoid outputs driven to exactly 0 in float32: Itakura–Saito divides by them
        Network is = Network.builder(1).dense(2, Activation.sigmoid()).cost(Cost.itakuraSaito()).build(1);
        is.setParameters(new double[] {-400, -400, 0, 0});
        Dataset data = Dataset.of(new double[][] {{1}, {2}}, new double[][] {{0.5, 0.5}, {0.5, 0.5}});
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(1e-6)).withFullBatch().withEpochs(5)).fit(is, data);
        assertTrue(r.diverged(), r.message());
        assertEquals(Diagnosis.Cause.SATURATED_UNITS, r.diagnosis().cause(), r.message());
        assertTrue(r.message().contains("layer 0 (sigmoid) are saturated"), r.message());
    }

    /**
     * Adam with a constant rate on an exactly solvable problem: the loss falls to about 1e−17, then hovers and
     * spikes far above that (Adam's steps do not shrink), without ever coming back to the initial loss. That is
     * not divergence. (Measured against its best alone, these runs were stopped at epochs 187 to 510.)
     */
    @Test
    void noFalseAlarmWhenTheLossHoversNearZero() {
        double[][] x = new double[20][1];
        double[][] y = new double[20][1];
        for (int i = 0; i < 20; i++) {
            x[i][0] = i / 10.0 - 1;
            y[i][0] = 2 * x[i][0] + 1;
        }
        for (double lr : new double[] {0.01, 0.03}) {
            Network net = Network.builder(1).dense(1, Activation.identity()).cost(Cost.quadratic()).build(1);
            TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(lr)).withOnline().withEpochs(2000))
                    .fit(net, Dataset.of(x, y));
            assertEquals(StopReason.MAX_EPOCHS, r.reason(), "lr " + lr + ": " + r.message());
            assertTrue(net.evaluate(Dataset.of(x, y)).mse() < 1e-2);
        }
    }

    @Test
    void recoveryHalvesTheRateAndCarriesOn() {
        Network net = sineNet(2);
        Dataset data = Problems.noisySine(200, 0.1, 3);
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Sgd(100)).withEpochs(60).withRecovery(true)).fit(net, data);
        assertFalse(r.diverged(), r.message());
        assertFalse(r.recoveries().isEmpty());
        assertTrue(r.recoveries().getFirst().contains("halved the learning rate to 50"), r.recoveries().getFirst());
        assertTrue(net.evaluate(data).mse() < 0.05, "it still learns: MSE " + net.evaluate(data).mse());
    }

    /** Rprop ignores the rate after its first step; recovery must still halve its step sizes, or it replays the same path. */
    @Test
    void recoveryHalvesRpropsStepSizes() {
        Network net = sineNet(2);
        Dataset data = Problems.noisySine(100, 0.1, 3);
        TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(new Rprop(200)).withFullBatch().withEpochs(300)
                .withRecovery(true)).fit(net, data);
        assertFalse(r.diverged(), r.message());
        assertFalse(r.recoveries().isEmpty());
        assertTrue(net.evaluate(data).mse() < 0.05, "MSE " + net.evaluate(data).mse());
    }

    /** Learning on: new data may raise the loss far above what the old data reached; that is not divergence. */
    @Test
    void learningOnAcrossAShiftInTheDataIsNotDivergence() {
        Network net = sineNet(3);
        Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(8));
        Dataset before = Problems.noisySine(64, 0.01, 1);
        for (int e = 0; e < 300; e++) {
            learner.partialFit(before);
        }
        double[][] x = new double[64][];
        double[][] y = new double[64][];
        for (int i = 0; i < 64; i++) {
            x[i] = before.featureRow(i);
            y[i] = new double[] {before.targetRow(i)[0] + 5};
        }
        Dataset shifted = Dataset.of(x, y);
        for (int e = 0; e < 50; e++) {
            learner.partialFit(shifted);
        }
        assertTrue(net.evaluate(shifted).mse() < 0.5, "it followed the shift: MSE " + net.evaluate(shifted).mse());
    }

    @Test
    void learningOnThrowsAndRestoresTheLastGoodWeights() {
        Network net = sineNet(4);
        Dataset data = Problems.noisySine(20, 0.1, 3);
        Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(new Adam(0.01)));
        learner.partialFit(data);
        double[] before = net.parameterArray();
        Learner wild = new Learner(net, TrainingConfig.defaults().withOptimizer(new Sgd(1e9)));
        DivergenceException e = assertThrows(DivergenceException.class, () -> {
            for (int i = 0; i < 10; i++) {
                wild.learn(new double[] {1.0}, new double[] {0.5});
            }
        });
        assertNotNull(e.diagnosis());
        assertTrue(allFinite(net));
        assertTrue(e.getMessage().contains("were kept"), e.getMessage());
        if (e.diagnosis().step() == 1) {
            assertArrayEquals(before, net.parameterArray());
        }
    }

    /**
     * With no frozen layer each thread copies its slice of the weights as the last good ones while it updates that
     * slice; with one frozen, the learner copies all of them first. Either way a diverging step brings back every
     * weight as it was before the last good update, on any thread count.
     */
    @Test
    void theLastGoodWeightsComeBackWholeOnAnyThreadCount() {
        double[] x = new double[200];
        double[] huge = new double[200];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i);
            huge[i] = 1e300; // the loss overflows to infinity
        }
        for (int threads = 1; threads <= 3; threads++) {
            for (boolean frozen : new boolean[] {false, true}) {
                // 200·180 = 36,000 first-layer weights: enough for the optimizer to cut them over the threads
                Network net = Network.builder(200).dense(180, Activation.identity()).dense(5, Activation.identity())
                        .dense(1, Activation.identity()).cost(Cost.quadratic()).build(9);
                net.setThreads(threads);
                if (frozen) {
                    net.freeze(1);
                }
                Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(new Sgd(0.01)));
                learner.learn(x, new double[] {0.5});
                double[] lastGood = net.parameterArray(); // judged good by the next step, then updated
                learner.learn(x, new double[] {0.5});
                assertFalse(java.util.Arrays.equals(lastGood, net.parameterArray()), "the second step moved the weights");
                DivergenceException e = assertThrows(DivergenceException.class, () -> learner.learn(huge, new double[] {0.5}));
                assertEquals(3, e.diagnosis().step());
                assertArrayEquals(lastGood, net.parameterArray(), threads + " threads" + (frozen ? ", a layer frozen" : ""));
            }
        }
    }
}
