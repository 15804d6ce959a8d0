package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.train.Learner;
import dev.backprop.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/**
 * The first steps of every optimizer, computed by hand, on J(w) = ½w²: a network with one weight, identity
 * output, no bias, trained on the single example x = 1, y = 0, so that ∂J/∂w = w. Start at w = 1.
 */
class OptimizerFirstStepsTest {

    private static double[] run(Optimizer opt, int steps) {
        Network net = Network.builder(1).precision(Precision.FLOAT64)
                .layer(LayerSpec.dense(1, Activation.identity()).withoutBias()).cost(Cost.quadratic()).build(0);
        net.setParameters(new double[] {1.0});
        Dataset data = Dataset.of(new double[][] {{1}}, new double[][] {{0}});
        Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(opt).withFullBatch());
        double[] w = new double[steps];
        for (int s = 0; s < steps; s++) {
            learner.learn(data);
            w[s] = net.parameters().get(0);
        }
        return w;
    }

    @Test
    void sgd() {
        double[] w = run(new Sgd(0.1), 2);
        assertEquals(0.9, w[0], 1e-15);
        assertEquals(0.81, w[1], 1e-15);
    }

    @Test
    void momentum() {
        double[] w = run(new Momentum(0.1, 0.9, 0), 2);
        assertEquals(0.9, w[0], 1e-15); // v = g = 1
        assertEquals(0.9 - 0.1 * (0.9 * 1 + 0.9), w[1], 1e-15); // v = 0.9·1 + 0.9
    }

    @Test
    void nesterov() {
        double[] w = run(new Nesterov(0.1, 0.9), 2);
        assertEquals(1 - 0.1 * (1 + 0.9 * 1), w[0], 1e-15);
        double g = w[0];
        double v = 0.9 * 1 + g;
        assertEquals(w[0] - 0.1 * (g + 0.9 * v), w[1], 1e-15);
    }

    @Test
    void adam() {
        double[] w = run(new Adam(0.1), 2);
        assertEquals(1 - 0.1 * 1 / (1 + 1e-8), w[0], 1e-15);
        double g = w[0];
        double m = 0.9 * 0.1 + 0.1 * g;
        double v = 0.999 * 0.001 + 0.001 * g * g;
        double mHat = m / (1 - 0.9 * 0.9);
        double vHat = v / (1 - 0.999 * 0.999);
        assertEquals(w[0] - 0.1 * mHat / (Math.sqrt(vHat) + 1e-8), w[1], 1e-14);
    }

    @Test
    void adamWDecaysBeforeTheAdamStep() {
        double[] w = run(new AdamW(0.1, 0.9, 0.999, 1e-8, 0.1), 1);
        assertEquals(1 * (1 - 0.1 * 0.1) - 0.1 * 1 / (1 + 1e-8), w[0], 1e-15);
    }

    @Test
    void rmsprop() {
        double[] w = run(new RmsProp(0.01), 2);
        assertEquals(1 - 0.01 * 1 / (Math.sqrt(0.01) + 1e-8), w[0], 1e-15);
        double g = w[0];
        double v = 0.99 * 0.01 + 0.01 * g * g;
        assertEquals(w[0] - 0.01 * g / (Math.sqrt(v) + 1e-8), w[1], 1e-15);
    }

    @Test
    void rpropGrowsTheStepWhileTheSignHolds() {
        double[] w = run(new Rprop(0.1), 3);
        assertEquals(0.9, w[0], 1e-15);
        assertEquals(0.9 - 0.12, w[1], 1e-15);
        assertEquals(0.9 - 0.12 - 0.144, w[2], 1e-15);
        // overshoot: from w = 0.5 with step 1.0 the sign flips, the step halves and that update is skipped
        double[] big = run(new Rprop(1.5), 3);
        assertEquals(-0.5, big[0], 1e-15);
        assertEquals(-0.5, big[1], 1e-15); // sign flipped: step 1.5 -> 0.75, no move
        assertEquals(0.25, big[2], 1e-15); // previous gradient was zeroed: step stays 0.75
    }

    @Test
    void quickpropJumpsToTheSecantMinimum() {
        double[] w = run(new Quickprop(0.5, 1.75), 2);
        assertEquals(0.5, w[0], 1e-15); // no previous step: ε·s = 0.5·(−1)
        // slopes −1 then −0.5 after a step of −0.5: secant −0.5·(−0.5)/(−1 + 0.5) = −0.5, plus ε·s = −0.25
        assertEquals(0.5 - 0.5 - 0.25, w[1], 1e-15);
    }

    @Test
    void badHyperParametersAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(0.001, 1.0, 0.999, 1e-8));
        assertTrue(e.getMessage().contains("Adam beta1") && e.getMessage().contains("1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Sgd(-1));
        assertTrue(e.getMessage().contains("learning rate") && e.getMessage().contains("-1.0"));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Momentum(0.1, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Rprop(0.1, 0.5, 1.2, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(0.1, 0.99, 0, 0, false));
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.parse("adma"));
        assertTrue(e.getMessage().contains("did you mean 'adam'"), e.getMessage());
    }

    @Test
    void defaultsFollowPyTorch() {
        Adam adam = new Adam();
        assertEquals(1e-3, adam.learningRate());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.999, adam.beta2());
        assertEquals(1e-8, adam.eps());
        assertEquals(1e-2, new AdamW().weightDecay());
        assertEquals(1e-2, new RmsProp().learningRate());
        assertEquals(0.99, new RmsProp().alpha());
        Rprop r = new Rprop();
        assertEquals(0.5, r.etaMinus());
        assertEquals(1.2, r.etaPlus());
        assertEquals(1e-6, r.stepMin());
        assertEquals(50, r.stepMax());
    }
}
