package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.RunningMetrics;
import dev.backprop.optim.Adam;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** Gradients on several threads: the same mathematics, and the same bits for any thread count. */
class ThreadsTest {

    private static Network net(Precision p, int threads) {
        Network n = Network.builder(3).precision(p).dense(16, Activation.tanh()).dense(8, Activation.relu())
                .dense(3, Activation.softmax()).cost(Cost.crossEntropy()).build(5);
        n.setThreads(threads);
        return n;
    }

    private static Dataset data() {
        return CostCatalog.dataFor(new CostCatalog.Pair(Cost.crossEntropy(), Activation.softmax()), 301, 3, 3, 2);
    }

    @Test
    void splittingTheBatchComputesTheSameGradient() {
        Dataset d = data();
        Network one = net(Precision.FLOAT64, 1);
        double j1 = one.computeGradient(d, Regularization.l2(0.01));
        for (int threads : new int[] {2, 3, 4}) {
            Network many = net(Precision.FLOAT64, threads);
            RunningMetrics m = new RunningMetrics();
            double jt = many.computeGradient(d, null, 0, d.size(), Regularization.l2(0.01), m);
            assertEquals(j1, jt, 1e-13 * Math.abs(j1));
            assertEquals(d.size(), m.examples());
            double diff = 0;
            double norm = 0;
            for (int i = 0; i < one.parameterCount(); i++) {
                diff = Math.max(diff, Math.abs(one.gradient().get(i) - many.gradient().get(i)));
                norm = Math.max(norm, Math.abs(one.gradient().get(i)));
            }
            assertTrue(diff <= 1e-14 * Math.max(1, norm), threads + " threads differ by " + diff);
        }
    }

    /** A single layer (the first product is the output layer's) and frozen lower layers split the same way. */
    @Test
    void oneLayerAndFrozenLayersGiveTheSameBitsOnAnyThreadCount() {
        Dataset d = data();
        for (int variant = 0; variant < 3; variant++) {
            double[][] g = new double[3][];
            for (int threads = 1; threads <= 3; threads++) {
                dev.backprop.NetworkBuilder b = Network.builder(3).precision(Precision.FLOAT32);
                if (variant > 0) {
                    b.dense(11, Activation.tanh()).dense(6, Activation.relu());
                }
                Network net = b.dense(3, Activation.softmax()).cost(Cost.crossEntropy()).build(5);
                if (variant == 1) {
                    net.freeze(0);
                } else if (variant == 2) {
                    net.freeze(0, 1);
                }
                net.setThreads(threads);
                net.computeGradient(d, Regularization.NONE);
                g[threads - 1] = net.gradient().toDoubleArray();
            }
            assertTrue(java.util.Arrays.equals(g[0], g[1]) && java.util.Arrays.equals(g[0], g[2]), "variant " + variant);
        }
    }

    /**
     * After a split pass the whole batch's Z and A are in the shared workspace, as after one thread: the first layer's
     * columns, which each thread computes into its own buffers, are gathered back by rows.
     */
    @Test
    void theLastBatchLooksTheSameOnAnyThreadCount() {
        Dataset d = data();
        Network.BatchInspection one = null;
        for (int threads = 1; threads <= 3; threads++) {
            Network net = net(Precision.FLOAT32, threads);
            net.computeGradient(d, Regularization.NONE);
            Network.BatchInspection b = net.inspectLastBatch();
            if (one == null) {
                one = b;
            } else {
                String what = threads + " threads";
                assertEquals(one.maxAbsInput(), b.maxAbsInput(), 0.0, what);
                assertEquals(one.maxAbsTarget(), b.maxAbsTarget(), 0.0, what);
                assertTrue(java.util.Arrays.equals(one.saturatedFraction(), b.saturatedFraction()), what);
                assertTrue(java.util.Arrays.equals(one.maxAbsPreActivation(), b.maxAbsPreActivation()), what);
            }
        }
    }

    /** The threads sum Σ g² while they write the gradient; it is the sum of the gradient's squares, or NaN. */
    @Test
    void thePassSumsTheGradientSquaresWhenItCan() {
        Dataset d = data();
        for (int threads : new int[] {2, 3}) {
            Network net = net(Precision.FLOAT64, threads);
            net.computeGradient(d, Regularization.NONE);
            double expected = 0;
            for (int i = 0; i < net.parameterCount(); i++) {
                expected += net.gradient().get(i) * net.gradient().get(i);
            }
            assertEquals(expected, net.lastGradientSquares(), 1e-13 * expected, threads + " threads");
            net.freeze(0);
            net.computeGradient(d, Regularization.NONE);
            double unfrozen = 0;
            for (int i = net.layer(1).offset(); i < net.parameterCount(); i++) {
                unfrozen += net.gradient().get(i) * net.gradient().get(i);
            }
            assertEquals(unfrozen, net.lastGradientSquares(), 1e-13 * unfrozen, "a frozen layer adds nothing");
            net.computeGradient(d, Regularization.l2(0.01));
            assertTrue(Double.isNaN(net.lastGradientSquares()), "a penalty's gradient is added after the pass");
            net.computeGradient(d, Regularization.NONE);
            net.evaluate(d);
            assertTrue(Double.isNaN(net.lastGradientSquares()), "the last computation was not a gradient");
        }
        Network one = net(Precision.FLOAT64, 1);
        one.computeGradient(d, Regularization.NONE);
        assertTrue(Double.isNaN(one.lastGradientSquares()), "one thread does not sum them");
    }

    /**
     * A network of 36,000 parameters or more splits every gradient pass over its threads, a batch of one example
     * included (its units are cut as well as its examples), with the same bits as one thread; a smaller one splits
     * only batches of 256 or more.
     */
    @Test
    void aWideNetworkSplitsEvenOneExampleWithTheSameBits() {
        java.util.Random r = new java.util.Random(3);
        double[][] x = new double[9][200];
        double[][] y = new double[9][10];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                x[i][j] = r.nextGaussian();
            }
            y[i][r.nextInt(10)] = 1;
        }
        Dataset d = Dataset.of(x, y);
        for (Precision p : Precision.values()) {
            Network one = wide(p, 1);
            assertTrue(one.parameterCount() >= 36_000, "the network is wide enough to split: " + one.parameterCount());
            Network two = wide(p, 2);
            Network three = wide(p, 3);
            for (int count : new int[] {1, 2, 3, 8, 9}) {
                int[] order = java.util.stream.IntStream.range(0, count).toArray();
                double j1 = one.computeGradient(d, order, 0, count, Regularization.NONE, null);
                for (Network many : new Network[] {two, three}) {
                    String what = p + ", " + count + " examples, " + many.threads() + " threads";
                    double jt = many.computeGradient(d, order, 0, count, Regularization.NONE, null);
                    assertEquals(j1, jt, 0.0, what);
                    assertTrue(one.gradient().bitEquals(many.gradient()), what);
                    assertTrue(!Double.isNaN(many.lastGradientSquares()), what + ": the split pass ran (it sums Σ g²)");
                }
            }
        }
        Network small = net(Precision.FLOAT32, 2);
        Dataset big = data();
        int[] order = java.util.stream.IntStream.range(0, big.size()).toArray();
        small.computeGradient(big, order, 0, 255, Regularization.NONE, null);
        assertTrue(Double.isNaN(small.lastGradientSquares()), "a small network does not split 255 examples");
        small.computeGradient(big, order, 0, 256, Regularization.NONE, null);
        assertTrue(!Double.isNaN(small.lastGradientSquares()), "a small network splits 256 examples");
    }

    /** 200-160-32-10: 37,602 parameters. */
    private static Network wide(Precision p, int threads) {
        Network n = Network.builder(200).precision(p).dense(160, Activation.relu()).dense(32, Activation.tanh())
                .dense(10, Activation.softmax()).cost(Cost.crossEntropy()).build(7);
        n.setThreads(threads);
        return n;
    }

    @Test
    void theSameThreadCountGivesTheSameBits() {
        Network a = net(Precision.FLOAT32, 2);
        Network b = net(Precision.FLOAT32, 2);
        TrainingConfig cfg = TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(128).withEpochs(5);
        new Trainer(cfg).fit(a, data());
        new Trainer(cfg).fit(b, data());
        assertTrue(a.parameters().bitEquals(b.parameters()));
        for (int threads : new int[] {1, 3}) {
            Network other = net(Precision.FLOAT32, threads);
            new Trainer(cfg).fit(other, data());
            assertTrue(other.parameters().bitEquals(a.parameters()),
                    "each gradient entry is one sum over the batch whatever the thread count: " + threads + " threads differ");
        }
        assertThrows(IllegalArgumentException.class, () -> a.setThreads(0));
    }
}
