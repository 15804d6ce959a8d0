package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.kernel.Vec;
import org.junit.jupiter.api.Test;

class NetworkTest {

    @Test
    void refusesACostThatCannotTakeTheOutputRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .dense(3, Activation.tanh()).cost(Cost.itakuraSaito()).build(1));
        assertEquals("cost itakura_saito cannot take the outputs of tanh (range (-1, 1)); output activations that fit "
                + "itakura_saito: sigmoid, softplus, softmax", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .dense(3, Activation.sigmoid()).cost(Cost.kullbackLeibler()).build(1));
        assertTrue(e.getMessage().contains("output activations that fit kullback_leibler: softmax"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .dense(3, Activation.sigmoid()).cost(Cost.crossEntropy()).build(1));
        assertTrue(e.getMessage().contains("for independent yes/no outputs use binary_cross_entropy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .dense(3, Activation.identity()).cost(Cost.hellinger()).build(1));
        assertTrue(e.getMessage().contains("hellinger: sigmoid, softplus, softmax"), e.getMessage());
    }

    @Test
    void refusesOtherBadStructures() {
        assertThrows(IllegalArgumentException.class, () -> Network.builder(2).cost(Cost.quadratic()).build(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2)
                .dense(3, Activation.softmax()).dense(2, Activation.softmax()).cost(Cost.crossEntropy()).build(1));
        assertTrue(e.getMessage().contains("softmax may only be the output activation"));
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).dense(1, Activation.softmax())
                .cost(Cost.crossEntropy()).build(1));
        assertTrue(e.getMessage().contains("use sigmoid"));
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(2).dense(1, Activation.sigmoid()).build(1));
        assertTrue(e.getMessage().contains("no cost given"));
        assertThrows(IllegalArgumentException.class, () -> Network.builder(0));
        assertThrows(IllegalArgumentException.class, () -> LayerSpec.dense(0, Activation.relu()));
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("sigmod"));
        assertTrue(e.getMessage().startsWith("unknown activation 'sigmod' (did you mean 'sigmoid'?)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Cost.parse("helinger"));
        assertTrue(e.getMessage().contains("did you mean 'hellinger'"), e.getMessage());
        assertEquals(Activation.leakyRelu(), Activation.parse("Leaky-ReLU"));
        assertEquals(Cost.crossEntropy(), Cost.parse("ce"));
    }

    /** The flat vector is laid out layer by layer, W row-major (out×in) then b, and the layers view it. */
    @Test
    void parametersAreOneFlatVectorWithLayerViews() {
        Network net = Network.builder(3).dense(2, Activation.tanh()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(1);
        assertEquals(3 * 2 + 2 + 2 * 1 + 1, net.parameterCount());
        double[] theta = new double[net.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = i;
        }
        net.setParameters(theta);
        assertEquals(5.0, net.layer(0).weight(1, 2)); // W[1][2] = row 1 * 3 inputs + 2
        assertEquals(6.0, net.layer(0).biases().get(0));
        assertEquals(8.0, net.layer(1).weights().get(0));
        assertEquals(8, net.layer(1).offset());
        net.layer(1).weights().set(1, -1);
        assertEquals(-1.0, net.parameters().get(9));
    }

    /** A forward pass computed by hand: z = W·x + b, a = f(z), layer by layer. */
    @Test
    void forwardPassMatchesHandComputation() {
        Network net = Network.builder(2).precision(Precision.FLOAT64).dense(2, Activation.tanh()).dense(1, Activation.sigmoid())
                .cost(Cost.quadratic()).build(1);
        net.setParameters(new double[] {0.1, -0.2, 0.3, 0.4, /* b1 */ 0.05, -0.05, /* W2 */ 0.7, -0.6, /* b2 */ 0.2});
        double[] x = {1.5, -0.5};
        double h0 = Math.tanh(0.1 * 1.5 - 0.2 * -0.5 + 0.05);
        double h1 = Math.tanh(0.3 * 1.5 + 0.4 * -0.5 - 0.05);
        double out = 1 / (1 + Math.exp(-(0.7 * h0 - 0.6 * h1 + 0.2)));
        assertEquals(out, net.predict(x)[0], 1e-15);
    }

    /** The input scaling is part of the model: raw inputs in, the same outputs as scaled inputs without it. */
    @Test
    void inputScalingIsAppliedBeforeTheFirstLayer() {
        Network net = Network.builder(2).precision(Precision.FLOAT64).dense(3, Activation.tanh()).dense(1, Activation.identity())
                .cost(Cost.quadratic()).build(4);
        double[] raw = {150, -0.02};
        InputScaling s = new InputScaling("custom", new double[] {100, 0}, new double[] {50, 0.01});
        double[] plain = net.predict(s.apply(raw));
        net.setInputScaling(s);
        assertArrayEquals(plain, net.predict(raw));
        assertArrayEquals(plain, net.predict(Dataset.of(new double[][] {raw}, new double[][] {{0}}))[0]);
        assertEquals(s, net.copy().inputScaling());
        Dataset d = Dataset.of(new double[][] {{1, 2}, {3, 5}, {2, 2}}, new double[][] {{0}, {1}, {0}});
        InputScaling std = InputScaling.standardize(d);
        assertArrayEquals(new double[] {2, 3}, std.center(), 1e-15);
        assertArrayEquals(new double[] {Math.sqrt(2.0 / 3), Math.sqrt(2)}, std.scale(), 1e-15);
        assertArrayEquals(new double[] {1, 2}, InputScaling.minMax(d).center());
        assertThrows(IllegalArgumentException.class, () -> net.setInputScaling(std.apply(new double[] {1}).length == 1 ? new InputScaling(
                "custom", new double[] {1}, new double[] {1}) : null));
    }

    @Test
    void precisionConversionKeepsStructureAndValues() {
        Network net = Network.builder(4).dense(5, Activation.relu()).dense(3, Activation.softmax()).cost(Cost.crossEntropy()).build(9);
        assertEquals(Precision.FLOAT32, net.precision());
        net.freeze(0);
        Network d = net.toPrecision(Precision.FLOAT64);
        assertEquals(Precision.FLOAT64, d.precision());
        assertTrue(d.layer(0).isFrozen());
        assertArrayEquals(net.parameterArray(), d.parameterArray());
        Network back = d.toPrecision(Precision.FLOAT32);
        assertTrue(back.parameters().bitEquals(net.parameters()));
        d.parameters().set(0, 42);
        assertFalse(net.parameters().get(0) == 42, "copies are deep");
    }

    @Test
    void initialisationIsSeededAndFollowsTheScheme() {
        Network a = Network.builder(100).dense(50, Activation.relu()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(3);
        Network b = Network.builder(100).dense(50, Activation.relu()).dense(1, Activation.identity()).cost(Cost.quadratic()).build(3);
        assertTrue(a.parameters().bitEquals(b.parameters()));
        Vec w = a.layer(0).weights();
        double bound = 1 / Math.sqrt(100);
        double max = 0;
        for (int i = 0; i < w.length(); i++) {
            max = Math.max(max, Math.abs(w.get(i)));
        }
        assertTrue(max <= bound && max > 0.9 * bound, "PyTorch default init is U(±1/sqrt(fan_in)), max " + max);
        Network he = Network.builder(100).dense(50, Activation.relu()).dense(1, Activation.identity()).cost(Cost.quadratic())
                .init(Init.heNormal()).build(3);
        double s2 = 0;
        Vec hw = he.layer(0).weights();
        for (int i = 0; i < hw.length(); i++) {
            s2 += hw.get(i) * hw.get(i);
        }
        assertEquals(2.0 / 100, s2 / hw.length(), 0.2 * 2.0 / 100, "He normal variance is 2/fan_in");
        assertEquals(0.0, he.layer(0).biases().get(7));
        Network unit = Network.builder(1).layer(LayerSpec.dense(1, Activation.sigmoid()).withoutBias()).cost(Cost.quadratic())
                .init(Init.uniform(0, 1)).build(5);
        assertEquals(1, unit.parameterCount());
        assertTrue(unit.parameters().get(0) >= 0 && unit.parameters().get(0) < 1);
    }

    @Test
    void evaluationReportsTheRightMetrics() {
        Network clf = Network.builder(1).dense(2, Activation.softmax()).cost(Cost.crossEntropy()).precision(Precision.FLOAT64).build(1);
        clf.setParameters(new double[] {1, -1, 0, 0}); // class 0 when x > 0
        Dataset d = Dataset.ofLabels(new double[][] {{1}, {2}, {-1}, {-3}}, new int[] {0, 0, 1, 0}, 2);
        Evaluation e = clf.evaluate(d);
        assertEquals(Task.CLASSIFICATION, e.task());
        assertEquals(0.75, e.accuracy());
        Network reg = Network.builder(1).dense(1, Activation.identity()).cost(Cost.quadratic()).precision(Precision.FLOAT64).build(1);
        reg.setParameters(new double[] {2, 0});
        Dataset r = Dataset.of(new double[][] {{1}, {2}, {3}}, new double[][] {{2}, {4}, {7}});
        Evaluation er = reg.evaluate(r);
        assertEquals(Task.REGRESSION, er.task());
        assertEquals(1.0 / 3, er.mse(), 1e-15);
        double mean = 13.0 / 3;
        double sst = Math.pow(2 - mean, 2) + Math.pow(4 - mean, 2) + Math.pow(7 - mean, 2);
        assertEquals(1 - 1 / sst, er.r2(), 1e-15);
        assertEquals(0.5 / 3, er.cost(), 1e-15);
    }
}
