package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.optim.Adam;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole networks on the Vector API kernels: the gradient of a float64 network equals the scalar reference's to
 * rounding (forward and backward through every vectorised activation, at batch sizes that leave vector tails and
 * cross GEMM blocks), and training is deterministic for a given thread count.
 */
class VectorTrainingTest {

    private static Dataset data(int n, int inputs, int classes, long seed) {
        Rng rng = new Rng(seed);
        double[][] x = new double[n][inputs];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < inputs; j++) {
                x[i][j] = rng.uniform(-1, 1);
            }
            labels[i] = rng.nextInt(classes);
        }
        return Dataset.ofLabels(x, labels, classes);
    }

    @ParameterizedTest(name = "hidden {0}")
    @ValueSource(strings = {"relu", "tanh", "sigmoid"})
    void float64GradientMatchesTheScalarReference(String hidden) {
        Activation f = switch (hidden) {
            case "relu" -> Activation.relu();
            case "tanh" -> Activation.tanh();
            default -> Activation.sigmoid();
        };
        Network vector = Network.builder(37).precision(Precision.FLOAT64).dense(300, f).dense(33, f).dense(7, Activation.softmax())
                .cost(Cost.crossEntropy()).build(11);
        assertInstanceOf(VectorDoubleKernels.class, vector.kernels());
        Network scalar = vector.copy(Kernels.scalar(Precision.FLOAT64));
        Dataset d = data(203, 37, 7, 5);
        int[] order = new int[d.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (Network net : new Network[] {vector, scalar}) {
            net.setThreads(2);
        }
        double jv = vector.computeGradient(d, order, 0, d.size(), new Regularization(1e-3, 0), null);
        double js = scalar.computeGradient(d, order, 0, d.size(), new Regularization(1e-3, 0), null);
        assertEquals(js, jv, 1e-12 * Math.abs(js), "objective");
        Vec gv = vector.gradient(), gs = scalar.gradient();
        double diff = 0, norm = 0;
        for (int i = 0; i < gs.length(); i++) {
            diff = Math.max(diff, Math.abs(gv.get(i) - gs.get(i)));
            norm = Math.max(norm, Math.abs(gs.get(i)));
        }
        assertTrue(diff <= 1e-12 * norm, "max |vector - scalar| = " + diff + " with max |g| = " + norm);
    }

    /**
     * Every gradient entry is one sum over the batch's examples whatever the thread count (the threads split the
     * examples for the deltas and the units for the products), so 1 to 4 threads give the same bits, on awkward sizes
     * and a batch that spans two chunks (an element's activation does not depend on where a thread's share of the
     * array puts it: the last partial vector goes through the same lanes).
     */
    @Test
    void anyThreadCountGivesTheSameGradientBits() {
        for (Precision p : Precision.values()) {
            Dataset d = data(1100, 37, 7, 5);
            // the first layer's activation in the product's epilogue (tanh), after it by the reference's loops on the
            // threads' blocks of units (ELU), and on whole rows after the split product (a single softmax layer)
            for (int shape = 0; shape < 3; shape++) {
                Vec first = null;
                for (int threads = 1; threads <= 4; threads++) {
                    dev.backprop.NetworkBuilder b = Network.builder(37).precision(p);
                    if (shape == 0) {
                        b.dense(33, Activation.tanh()).dense(17, Activation.sigmoid()).dense(13, Activation.relu());
                    } else if (shape == 1) {
                        b.dense(33, Activation.elu(1.0)).dense(13, Activation.relu());
                    }
                    Network net = b.dense(7, Activation.softmax()).cost(Cost.crossEntropy()).build(9);
                    net.setThreads(threads);
                    net.computeGradient(d, null, 5, 1090, Regularization.NONE, null); // chunks of 1024 and 66 examples
                    Vec g = net.gradient().toPrecision(p);
                    if (first == null) {
                        first = g;
                    } else {
                        assertTrue(first.bitEquals(g), p + ", network " + shape + ": " + threads + " threads give other bits than 1");
                    }
                }
            }
        }
    }

    /** A batch over 1024 rows is processed in chunks whose gradients are added: it equals the weighted batches' mean. */
    @Test
    void chunkedBatchGradientEqualsTheMeanOfItsParts() {
        Network net = Network.builder(12).precision(Precision.FLOAT64).dense(20, Activation.tanh()).dense(3, Activation.softmax())
                .cost(Cost.crossEntropy()).build(4);
        net.setThreads(2);
        Dataset d = data(2500, 12, 3, 8);
        int[] order = new int[d.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = (i * 7919) % d.size(); // a permutation: 7919 is prime and does not divide 2500
        }
        net.computeGradient(d, order, 0, 2500, Regularization.NONE, null);
        double[] full = net.gradient().toDoubleArray();
        double[] mean = new double[full.length];
        int[][] parts = {{0, 1000}, {1000, 1000}, {2000, 500}};
        for (int[] p : parts) {
            net.computeGradient(d, order, p[0], p[1], Regularization.NONE, null);
            double[] g = net.gradient().toDoubleArray();
            for (int i = 0; i < g.length; i++) {
                mean[i] += g[i] * p[1] / 2500.0;
            }
        }
        double diff = 0, norm = 0;
        for (int i = 0; i < full.length; i++) {
            diff = Math.max(diff, Math.abs(full[i] - mean[i]));
            norm = Math.max(norm, Math.abs(full[i]));
        }
        assertTrue(diff <= 1e-13 * Math.max(norm, 1e-3), "max |full - mean of parts| = " + diff + " with max |g| = " + norm);
    }

    @Test
    void trainingIsDeterministicForAThreadCount() {
        Dataset d = data(700, 20, 5, 9);
        for (int threads : new int[] {1, 2}) {
            Vec first = null;
            for (int run = 0; run < 2; run++) {
                Network net = Network.builder(20).dense(64, Activation.relu()).dense(5, Activation.softmax()).cost(Cost.crossEntropy())
                        .build(3);
                net.setThreads(threads);
                new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(1e-2)).withBatchSize(100).withEpochs(3)).fit(net, d);
                if (first == null) {
                    first = net.parameters().toPrecision(Precision.FLOAT32);
                } else {
                    assertTrue(first.bitEquals(net.parameters()), "same seed, data and " + threads + " threads: the same bits");
                }
            }
        }
    }
    /**
     * Clipping by norm scales the update by the gradient's norm, so the norm must not depend on how the threads summed
     * it (a split pass sums Σ g² per granule of units, and the granule depends on the thread count): training with it
     * gives the same weights on one, two and three threads (batches of 300 split).
     */
    @Test
    void clippingByNormGivesTheSameBitsOnAnyThreadCount() {
        Dataset d = data(600, 20, 5, 1);
        TrainingConfig cfg = TrainingConfig.defaults().withOptimizer(new Adam(1e-2)).withBatchSize(300).withEpochs(5).withSeed(1)
                .withPatience(0).withClipping(new dev.backprop.train.GradientClipping.ByNorm(0.05));
        Vec one = null;
        for (int threads = 1; threads <= 3; threads++) {
            Network net = Network.builder(20).dense(300, Activation.relu()).dense(5, Activation.softmax()).cost(Cost.crossEntropy())
                    .build(1);
            net.setThreads(threads);
            new Trainer(cfg).fit(net, d);
            assertInstanceOf(VectorFloatKernels.class, net.kernels());
            if (one == null) {
                one = net.parameters();
            } else {
                assertTrue(one.bitEquals(net.parameters()), threads + " threads differ from one");
            }
        }
    }

    /**
     * Features stored as unsigned bytes (as IDX images are) train to the same bits as the same values stored as
     * float32: the batches are widened exactly, by the Vector API kernel, then scaled by 1/255 as the CLI does.
     */
    @Test
    void byteStoredFeaturesTrainToTheBitsOfTheirFloatTwin() {
        int n = 530, inputs = 45, classes = 4;
        Rng rng = new Rng(12);
        byte[] px = new byte[n * inputs];
        float[] fx = new float[n * inputs];
        float[] y = new float[n * classes];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) rng.nextInt(256);
            fx[i] = px[i] & 0xff;
        }
        for (int i = 0; i < n; i++) {
            y[i * classes + rng.nextInt(classes)] = 1;
        }
        double[] center = new double[inputs];
        double[] scale = new double[inputs];
        java.util.Arrays.fill(scale, 255);
        for (int threads : new int[] {1, 2}) {
            Vec want = null;
            for (Dataset d : new Dataset[] {Dataset.wrap(fx, y, inputs, classes), Dataset.wrapUnsignedBytes(px, y, inputs, classes)}) {
                Network net = Network.builder(inputs).dense(40, Activation.relu()).dense(classes, Activation.softmax())
                        .cost(Cost.crossEntropy()).build(5);
                assertInstanceOf(VectorFloatKernels.class, net.kernels());
                net.setThreads(threads);
                net.setInputScaling(new dev.backprop.InputScaling("custom", center, scale));
                new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(1e-2)).withBatchSize(128).withEpochs(2)).fit(net, d);
                if (want == null) {
                    want = net.parameters().toPrecision(Precision.FLOAT32);
                } else {
                    assertTrue(d.storesUnsignedBytes());
                    assertTrue(want.bitEquals(net.parameters()), threads + " threads: bytes train to other bits than floats");
                }
            }
        }
    }
}
