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
import dev.backprop.optim.AdamW;
import dev.backprop.optim.Momentum;
import dev.backprop.optim.Nesterov;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.Quickprop;
import dev.backprop.optim.RmsProp;
import dev.backprop.optim.Rprop;
import dev.backprop.optim.Sgd;
import dev.backprop.train.EpochRecord;
import dev.backprop.train.Learner;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FreezeAndLearnOnTest {

    static Stream<Optimizer> optimizers() {
        return Stream.of(new Sgd(0.1), new Momentum(0.05), new Nesterov(0.05), new Adam(0.01), new AdamW(0.01, 0.9, 0.999, 1e-8, 0.5),
                new RmsProp(0.01), new Rprop(0.01), new Quickprop(0.5));
    }

    private static Network net() {
        return Network.builder(1).dense(8, Activation.tanh()).dense(8, Activation.tanh()).dense(1, Activation.identity())
                .cost(Cost.quadratic()).build(6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void frozenLayersStayBitIdentical(Optimizer opt) {
        Network net = net();
        net.freeze(0, 2);
        Vec w0 = net.layer(0).weights().toPrecision(net.precision());
        Vec b0 = net.layer(0).biases().toPrecision(net.precision());
        Vec w2 = net.layer(2).weights().toPrecision(net.precision());
        Vec w1 = net.layer(1).weights().toPrecision(net.precision());
        new Trainer(TrainingConfig.defaults().withOptimizer(opt).withEpochs(20).withL2(1e-3).withL1(1e-4))
                .fit(net, Problems.noisySine(100, 0.1, 2));
        assertTrue(w0.bitEquals(net.layer(0).weights()), "frozen W of layer 0 changed");
        assertTrue(b0.bitEquals(net.layer(0).biases()), "frozen b of layer 0 changed");
        assertTrue(w2.bitEquals(net.layer(2).weights()), "frozen W of layer 2 changed");
        assertFalse(w1.bitEquals(net.layer(1).weights()), "the trainable layer learned");
        for (int i = 0; i < net.layer(0).weightGradient().length(); i++) {
            assertEquals(0.0, net.layer(0).weightGradient().get(i), "a frozen layer gets no gradient");
        }
    }

    /**
     * Step counts are kept per layer, as PyTorch keeps them per parameter: a layer unfrozen after ten steps
     * takes Adam's first step (each weight moves by the learning rate), not one with the bias corrections of
     * step eleven (which would move it by about a third of that).
     */
    @Test
    void aLayerUnfrozenLaterStartsItsOwnOptimizerHistory() {
        Network net = Network.builder(1).precision(dev.backprop.Precision.FLOAT64).dense(8, Activation.tanh())
                .dense(1, Activation.identity()).cost(Cost.quadratic()).build(6);
        Dataset data = Problems.noisySine(50, 0.1, 2);
        net.freeze(0);
        Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withFullBatch());
        for (int i = 0; i < 10; i++) {
            learner.learn(data);
        }
        net.unfreeze(0);
        double[] before = net.layer(0).weights().toDoubleArray();
        learner.learn(data);
        double[] after = net.layer(0).weights().toDoubleArray();
        for (int i = 0; i < before.length; i++) {
            assertEquals(0.01, Math.abs(after[i] - before[i]), 1e-6, "weight " + i);
        }
    }

    @Test
    void everyLayerFrozenIsRefused() {
        Network net = net();
        net.freeze(0, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TrainingConfig.defaults()).fit(net, Problems.noisySine(10, 0.1, 1)));
        assertTrue(e.getMessage().contains("every layer of the network is frozen"));
    }

    /** Train, freeze the feature layers, then keep learning a shifted target one example at a time. */
    @Test
    void aTrainedNetworkKeepsLearningOneExampleAtATime() {
        Network net = net();
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withEpochs(200)).fit(net, Problems.noisySine(200, 0.05, 1));
        net.freeze(0, 1);
        Vec features = net.layer(1).weights().toPrecision(net.precision());
        Dataset shifted = shifted(Problems.noisySine(200, 0.05, 7), 0.5);
        double before = net.evaluate(shifted).mse();
        Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(new Sgd(0.02)));
        for (int pass = 0; pass < 3; pass++) {
            for (int i = 0; i < shifted.size(); i++) {
                learner.learn(shifted.featureRow(i), shifted.targetRow(i));
            }
        }
        double after = net.evaluate(shifted).mse();
        assertTrue(after < before / 10, "learning on adapts to the shift: MSE " + before + " -> " + after);
        assertTrue(features.bitEquals(net.layer(1).weights()), "frozen layers are respected while learning on");
        assertEquals(3L * shifted.size(), learner.steps());
    }

    @Test
    void partialFitCarriesOptimizerStateAcrossCalls() {
        Dataset data = Problems.noisySine(64, 0.1, 3);
        Network a = net();
        Network b = net();
        TrainingConfig cfg = TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(16);
        Learner one = new Learner(a, cfg);
        EpochRecord first = one.partialFit(data);
        EpochRecord second = one.partialFit(data);
        assertEquals(4, first.steps());
        assertTrue(second.loss() < first.loss());
        // the same two epochs through Trainer give the same weights: partialFit continues the shuffle stream and Adam's moments
        new Trainer(cfg.withEpochs(2)).fit(b, data);
        assertTrue(a.parameters().bitEquals(b.parameters()));
    }

    private static Dataset shifted(Dataset d, double by) {
        double[][] x = new double[d.size()][];
        double[][] y = new double[d.size()][];
        for (int i = 0; i < d.size(); i++) {
            x[i] = d.featureRow(i);
            y[i] = new double[] {d.targetRow(i)[0] + by};
        }
        return Dataset.of(x, y);
    }
}
