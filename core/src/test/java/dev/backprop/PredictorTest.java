package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.util.Rng;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PredictorTest {

    static Network net(Precision p) {
        Network net = Network.builder(6).precision(p).dense(16, Activation.tanh()).dense(8, Activation.relu())
                .dense(3, Activation.softmax()).cost(Cost.crossEntropy()).build(11);
        Dataset data = Dataset.of(rows(200, 6, 5, 3.0), rows(200, 3, 6, 1.0));
        net.setInputScaling(InputScaling.standardize(data));
        return net;
    }

    /** n rows of d values drawn uniformly from (−spread, spread) + 1. */
    static double[][] rows(int n, int d, long seed, double spread) {
        Rng rng = new Rng(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = 1 + rng.uniform(-spread, spread);
            }
        }
        return x;
    }

    static float[] flatFloat(double[][] x) {
        int d = x[0].length;
        float[] f = new float[x.length * d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                f[i * d + j] = (float) x[i][j];
            }
        }
        return f;
    }

    private static void assertBitEqual(double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(Double.doubleToRawLongBits(expected[i][j]), Double.doubleToRawLongBits(actual[i][j]),
                        "row " + i + ", output " + j + ": " + expected[i][j] + " vs " + actual[i][j]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyFormEqualsNetworkPredictBitForBit(Precision precision) {
        Network net = net(precision);
        Predictor p = Predictor.of(net);
        // 1, a small batch, exactly a chunk, and over a chunk with a partial last chunk
        for (int n : new int[] {1, 37, Network.CHUNK_ROWS, 2 * Network.CHUNK_ROWS + 77}) {
            double[][] x = rows(n, 6, n, 4.0);
            double[][] expected = net.predict(x);
            assertBitEqual(expected, p.predict(x));
            double[] flat = new double[n * 6];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x[i], 0, flat, i * 6, 6);
            }
            double[] out = new double[n * 3];
            p.predict(flat, n, out);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(Double.doubleToRawLongBits(expected[i][j]), Double.doubleToRawLongBits(out[i * 3 + j]), "flat row " + i);
                }
            }
            // the float form on float inputs equals the network on the same (float-exact) inputs, rounded to float
            float[] fx = flatFloat(x);
            double[][] xf = new double[n][6];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 6; j++) {
                    xf[i][j] = fx[i * 6 + j];
                }
            }
            double[][] expectedF = net.predict(xf);
            float[] fout = new float[n * 3];
            p.predict(fx, n, fout);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(Float.floatToRawIntBits((float) expectedF[i][j]), Float.floatToRawIntBits(fout[i * 3 + j]), "float row " + i);
                }
            }
        }
        double[] one = rows(1, 6, 99, 2.0)[0];
        assertArrayEquals(net.predict(one), p.predict(one));
    }

    @Test
    void laterChangesToTheNetworkDoNotReachThePredictor() {
        Network net = net(Precision.FLOAT32);
        double[][] x = rows(10, 6, 1, 2.0);
        double[][] before = net.predict(x);
        Predictor p = Predictor.of(net);
        net.parameters().set(0, 42.0);
        net.setInputScaling(null);
        assertFalse(java.util.Arrays.deepEquals(before, net.predict(x)), "the network did change");
        assertBitEqual(before, p.predict(x));
    }

    @Test
    void loadsAModelFile(@TempDir Path dir) throws Exception {
        Network net = net(Precision.FLOAT32);
        Path file = dir.resolve("m.model.json");
        net.save(file);
        assertTrue(Files.exists(file));
        Predictor p = Predictor.load(file);
        double[][] x = rows(50, 6, 3, 2.0);
        assertBitEqual(net.predict(x), p.predict(x));
        assertEquals(6, p.inputs());
        assertEquals(3, p.outputs());
        assertEquals(Task.CLASSIFICATION, p.task());
    }

    /** Eight threads calling every form at once on batches of mixed sizes get exactly the serial answers. */
    @Test
    void eightThreadsGetTheSerialAnswers() throws Exception {
        Network net = net(Precision.FLOAT32);
        Predictor p = Predictor.of(net);
        int[] sizes = {1, 3, 64, 200, 1100};
        List<double[][]> inputs = new ArrayList<>();
        List<double[][]> serial = new ArrayList<>();
        List<float[]> serialFloat = new ArrayList<>();
        List<double[]> serialSingle = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            double[][] x = rows(sizes[s], 6, 100 + s, 3.0);
            inputs.add(x);
            serial.add(p.predict(x));
            float[] out = new float[x.length * 3];
            p.predict(flatFloat(x), x.length, out);
            serialFloat.add(out);
            serialSingle.add(p.predict(x[x.length - 1]));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < 60; round++) {
                        int s = (round + thread) % sizes.length;
                        double[][] x = inputs.get(s);
                        double[][] expected = serial.get(s);
                        double[][] got = p.predict(x);
                        assertBitEqual(expected, got);
                        float[] out = new float[x.length * 3];
                        p.predict(flatFloat(x), x.length, out);
                        assertArrayEquals(serialFloat.get(s), out);
                        assertArrayEquals(serialSingle.get(s), p.predict(x[x.length - 1]));
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> f : done) {
                assertEquals(60, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The output-array form allocates nothing in steady state: per-thread allocation counters around 500 calls,
     * after a few thousand warm-up calls, the quietest of several windows.
     */
    @Test
    void theOutputArrayFormAllocatesNothingOnceWarm() {
        Predictor p = Predictor.of(net(Precision.FLOAT32));
        int n = 32;
        float[] x = flatFloat(rows(n, 6, 8, 2.0));
        float[] out = new float[n * 3];
        for (int i = 0; i < 5000; i++) {
            p.predict(x, n, out);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 20 && best > 0; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            int calls = 500;
            for (int i = 0; i < calls; i++) {
                p.predict(x, n, out);
            }
            long after = mx.getCurrentThreadAllocatedBytes();
            best = Math.min(best, (after - before) / (double) calls);
        }
        assertEquals(0.0, best, "bytes allocated per call in steady state");
    }

    @Test
    void badArgumentsAreNamed() {
        Predictor p = Predictor.of(net(Precision.FLOAT32));
        assertEquals("example 0 has 2 features but the model takes 6",
                assertThrows(IllegalArgumentException.class, () -> p.predict(new double[2])).getMessage());
        assertEquals("example 1 has 5 features but the model takes 6",
                assertThrows(IllegalArgumentException.class, () -> p.predict(new double[][] {new double[6], new double[5]})).getMessage());
        assertEquals("3 rows of 6 features need 18 input values, the array has 12",
                assertThrows(IllegalArgumentException.class, () -> p.predict(new float[12], 3, new float[9])).getMessage());
        assertEquals("3 rows of 3 outputs need 9 output values, the array has 8",
                assertThrows(IllegalArgumentException.class, () -> p.predict(new float[18], 3, new float[8])).getMessage());
        assertEquals("the number of rows must be at least 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> p.predict(new float[18], -1, new float[9])).getMessage());
        assertEquals(0, p.predict(new double[0][]).length);
        p.predict(new float[0], 0, new float[0]);
    }
}
