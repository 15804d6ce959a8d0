package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.optim.Sgd;
import dev.backprop.train.Learner;
import dev.backprop.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/**
 * The single-weight network of the seed question: learn the identity on x ∈ {0, 1} with ŷ = σ(w·x), the
 * quadratic cost E = ½(ŷ − y)² and w drawn from [0, 1]. Its gradient is ∂E/∂w = (ŷ − y)·x·ŷ(1 − ŷ), and one
 * gradient-descent update is w ← w − α·∂E/∂w.
 */
class TextbookExampleTest {

    private static Network singleWeight(Precision p) {
        return Network.builder(1).precision(p)
                .layer(LayerSpec.dense(1, Activation.sigmoid()).withoutBias())
                .cost(Cost.quadratic())
                .init(Init.uniform(0, 1))
                .build(2017);
    }

    @Test
    void backpropReproducesTheTextbookGradient() {
        Network net = singleWeight(Precision.FLOAT64);
        double w = net.parameters().get(0);
        for (double x : new double[] {0, 1}) {
            double y = x; // the identity
            double yHat = 1 / (1 + Math.exp(-w * x));
            double textbook = (yHat - y) * x * yHat * (1 - yHat);
            double j = net.computeGradient(Dataset.of(new double[][] {{x}}, new double[][] {{y}}), Regularization.NONE);
            assertEquals(0.5 * (yHat - y) * (yHat - y), j, 1e-16);
            assertEquals(textbook, net.gradient().get(0), 1e-16, "x = " + x);
        }
    }

    @Test
    void firstUpdateIsWMinusAlphaTimesTheGradient() {
        for (Precision p : Precision.values()) {
            Network net = singleWeight(p);
            double alpha = 0.5;
            double w0 = net.parameters().get(0);
            double yHat = 1 / (1 + Math.exp(-w0));
            Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(new Sgd(alpha)));
            learner.learn(new double[] {1}, new double[] {1});
            double expected = w0 - alpha * (yHat - 1) * 1 * yHat * (1 - yHat);
            assertEquals(expected, net.parameters().get(0), p == Precision.FLOAT64 ? 1e-16 : 1e-7, p.id());
            // x = 0 carries no information about w: the update leaves it unchanged
            double w1 = net.parameters().get(0);
            learner.learn(new double[] {0}, new double[] {0});
            assertEquals(w1, net.parameters().get(0), 0.0);
        }
    }
}
