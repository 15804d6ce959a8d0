package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Evaluation;
import dev.backprop.Network;
import dev.backprop.optim.Adam;
import dev.backprop.optim.AdamW;
import dev.backprop.optim.Momentum;
import dev.backprop.optim.Nesterov;
import dev.backprop.optim.Optimizer;
import dev.backprop.optim.Quickprop;
import dev.backprop.optim.RmsProp;
import dev.backprop.optim.Rprop;
import dev.backprop.optim.Sgd;
import dev.backprop.train.StopReason;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingResult;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimizer solves three problems with known answers: XOR (a hidden layer is necessary; accuracy 1 and
 * cross-entropy below 0.05), a noisy sine regression (the best possible MSE is the noise variance 0.01; reach
 * within 2× of it), and a linearly separable set (a linear softmax classifier reaches accuracy 1).
 * Rprop and Quickprop train full-batch, the others on mini-batches except for XOR's four examples.
 */
class OptimizerConvergenceTest {

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of(new Sgd(2.0), new Sgd(0.1), new Sgd(0.5)),
                Arguments.of(new Momentum(0.5), new Momentum(0.05), new Momentum(0.1)),
                Arguments.of(new Nesterov(0.5), new Nesterov(0.05), new Nesterov(0.1)),
                Arguments.of(new Adam(0.05), new Adam(0.01), new Adam(0.05)),
                Arguments.of(new AdamW(0.05), new AdamW(0.01), new AdamW(0.05)),
                Arguments.of(new RmsProp(0.01), new RmsProp(0.003), new RmsProp(0.01)),
                Arguments.of(new Rprop(0.05), new Rprop(0.01), new Rprop(0.05)),
                Arguments.of(new Quickprop(1.0), new Quickprop(0.5), new Quickprop(0.5)));
    }

    private static TrainingConfig config(Optimizer o, int miniBatch, int epochs) {
        return TrainingConfig.defaults().withOptimizer(o).withBatchSize(o.wantsFullBatch() ? TrainingConfig.FULL_BATCH : miniBatch)
                .withEpochs(o.wantsFullBatch() ? epochs * 5 : epochs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void solvesXor(Optimizer xor, Optimizer sine, Optimizer separable) {
        for (long seed = 0; seed < 5; seed++) {
            Network net = Network.builder(2).dense(4, Activation.tanh()).dense(1, Activation.sigmoid())
                    .cost(Cost.binaryCrossEntropy()).build(seed);
            TrainingResult r = new Trainer(TrainingConfig.defaults().withOptimizer(xor).withFullBatch().withEpochs(2000)
                    .withLossGoal(0.05)).fit(net, Problems.xor());
            assertEquals(StopReason.LOSS_GOAL, r.reason(), xor + " seed " + seed + ": " + r.message());
            assertEquals(1.0, net.evaluate(Problems.xor()).accuracy(), xor + " seed " + seed);
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("optimizers")
    void fitsNoisySine(Optimizer xor, Optimizer sine, Optimizer separable) {
        Dataset data = Problems.noisySine(200, 0.1, 1);
        Network net = Network.builder(1).dense(16, Activation.tanh()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(1);
        new Trainer(config(sine, 16, 300)).fit(net, data);
        Evaluation e = net.evaluate(data);
        assertTrue(e.mse() < 0.02, sine + ": MSE " + e.mse() + " (noise variance 0.01)");
        Dataset fresh = Problems.noisySine(200, 0.1, 99);
        assertTrue(net.evaluate(fresh).mse() < 0.025, sine + " generalises: MSE on fresh data " + net.evaluate(fresh).mse());
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("optimizers")
    void separatesLinearlySeparableClasses(Optimizer xor, Optimizer sine, Optimizer separable) {
        Dataset data = Problems.linearlySeparable(200, 2, 0.1, 4);
        Network net = Network.builder(2).dense(2, Activation.softmax()).cost(Cost.crossEntropy()).build(1);
        new Trainer(config(separable, 16, 100)).fit(net, data);
        assertEquals(1.0, net.evaluate(data).accuracy(), separable.toString());
    }
}
