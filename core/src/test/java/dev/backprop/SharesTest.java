package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.util.Rng;
import org.junit.jupiter.api.Test;

/** The threads' shares: cuts that follow them, and shares that follow the threads' measured speeds. */
class SharesTest {

    @Test
    void equalSharesCutEvenlyAndEveryCutCoversAllUnitsInOrder() {
        int[] cut = new int[3];
        new Shares(2).cut(8, cut);
        assertArrayEquals(new int[] {0, 4, 8}, cut);
        Shares s = new Shares(3);
        s.set(0.2, 0.5, 0.3);
        int[] c3 = new int[4];
        s.cut(10, c3);
        assertArrayEquals(new int[] {0, 2, 7, 10}, c3);
        for (int units = 0; units < 40; units++) {
            s.cut(units, c3);
            assertEquals(0, c3[0]);
            assertEquals(units, c3[3]);
            for (int p = 0; p < 3; p++) {
                assertTrue(c3[p] <= c3[p + 1], units + " units: " + java.util.Arrays.toString(c3));
            }
        }
        int[] even = new int[4];
        Shares.evenCut(10, even);
        assertArrayEquals(new int[] {0, 4, 7, 10}, even);
    }

    /** However the speeds go, the shares stay within [1/(2t), 3/(2t)] and sum to 1, and no cut exceeds maxRun. */
    @Test
    void sharesStayInTheirBoundsAndCutsInTheirMaximum() {
        Rng rng = new Rng(5);
        for (int t = 2; t <= 8; t++) {
            Shares s = new Shares(t);
            int[] cut = new int[t + 1];
            for (int step = 0; step < 2000; step++) {
                for (int p = 0; p < t; p++) {
                    s.work[p] = s.share(p);
                    s.time[p] = s.share(p) * Math.exp(rng.uniform(-3, 3)); // speeds that differ up to 400-fold
                }
                s.learn();
                double sum = 0;
                for (int p = 0; p < t; p++) {
                    assertTrue(s.share(p) >= 0.5 / t - 1e-12 && s.share(p) <= 1.5 / t + 1e-12, t + " threads: " + s.share(p));
                    sum += s.share(p);
                }
                assertEquals(1.0, sum, 1e-12);
                for (int pieces : new int[] {1, 5, 8, 13, 64}) {
                    s.cut(pieces, cut);
                    for (int p = 0; p < t; p++) {
                        assertTrue(cut[p + 1] - cut[p] <= s.maxRun(pieces), t + " threads, " + pieces + " pieces: "
                                + java.util.Arrays.toString(cut) + " > " + s.maxRun(pieces));
                    }
                }
            }
        }
    }

    @Test
    void granulesArePanelsOfTheGemmAndNeverTooMany() {
        assertEquals(32, SplitPass.granule(256, 2));
        assertEquals(16, SplitPass.granule(128, 2));
        assertEquals(1, SplitPass.granule(10, 2));
        assertEquals(4, SplitPass.granule(50, 2));
        assertEquals(64, SplitPass.granule(4096, 2));
        assertEquals(8, SplitPass.rowGranule(128));
        assertEquals(8, SplitPass.rowGranule(5));
        assertEquals(8, SplitPass.rowGranule(512));
        assertEquals(16, SplitPass.rowGranule(513));
        assertEquals(16, SplitPass.rowGranule(1024));
        for (int n = 1; n <= 5000; n += 7) {
            assertTrue((n + SplitPass.granule(n, 3) - 1) / SplitPass.granule(n, 3) <= SplitPass.MAX_GRANULES, "units " + n);
            assertTrue((n + SplitPass.rowGranule(n) - 1) / SplitPass.rowGranule(n) <= SplitPass.MAX_GRANULES, "rows " + n);
        }
    }

    @Test
    void sharesMoveTowardTheThreadsSpeedsAndStayInBounds() {
        Shares s = new Shares(2);
        Rng rng = new Rng(3);
        for (int step = 0; step < 200; step++) { // thread 1 takes 1.5 times as long for the same work, with noise
            s.work[0] = s.share(0);
            s.work[1] = s.share(1);
            s.time[0] = s.share(0) * (1 + 0.05 * rng.uniform(-1, 1));
            s.time[1] = 1.5 * s.share(1) * (1 + 0.05 * rng.uniform(-1, 1));
            s.learn();
        }
        assertEquals(0.6, s.share(0), 0.01);
        assertEquals(1.0, s.share(0) + s.share(1), 1e-12);
        for (int step = 0; step < 200; step++) { // thread 0 ten times slower: its share stops at 1/(2t)
            s.work[0] = s.share(0);
            s.work[1] = s.share(1);
            s.time[0] = 10 * s.share(0);
            s.time[1] = s.share(1);
            s.learn();
        }
        assertEquals(0.25, s.share(0), 0.01);
        double before = s.share(0);
        s.work[0] = 1;
        s.work[1] = 1;
        s.time[0] = 0; // a thread that took no time says nothing
        s.time[1] = 1;
        s.learn();
        assertEquals(before, s.share(0), 0.0);
        assertThrows(IllegalArgumentException.class, () -> s.set(1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> s.set(0.8, 0.2)); // outside [1/4, 3/4]
        assertThrows(IllegalArgumentException.class, () -> s.set(1.0));
        assertThrows(IllegalArgumentException.class, () -> new Shares(0));
    }

    /**
     * Which thread computes what never changes a result: the gradient, the cost, the figures and the gradient's
     * squares have the same bits however the shares cut the batch and the layers' units.
     */
    @Test
    void theCutChangesNoBits() {
        double[][] x = new double[700][]; // one chunk of more than 512: groups of 16 examples
        int[] labels = new int[700];
        Rng rng = new Rng(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = new double[] {rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)};
            labels[i] = (x[i][0] + x[i][1] > 0 ? 1 : 0) + (x[i][2] > 0.5 ? 1 : 0);
        }
        Dataset d = Dataset.ofLabels(x, labels, 3);
        for (Precision precision : Precision.values()) {
            for (int threads = 2; threads <= 3; threads++) {
                double[][] shares = threads == 2 ? new double[][] {{0.5, 0.5}, {0.3, 0.7}, {0.74, 0.26}}
                        : new double[][] {{1, 1, 1}, {0.2, 0.5, 0.3}, {0.5, 0.2, 0.3}};
                double[] reference = null;
                double referenceCost = 0, referenceSquares = 0;
                RunningMetrics referenceFigures = null;
                for (double[] sh : shares) {
                    Network net = Network.builder(4).precision(precision).dense(70, Activation.tanh())
                            .dense(36, Activation.relu()).dense(3, Activation.softmax()).cost(Cost.crossEntropy()).build(5);
                    net.setThreads(threads);
                    net.computeGradient(d, null, 0, 256, Regularization.NONE, null); // makes the split pass
                    net.splitShares().set(sh);
                    RunningMetrics figures = new RunningMetrics();
                    double cost = net.computeGradient(d, null, 0, d.size(), Regularization.NONE, figures);
                    double[] g = net.gradient().toDoubleArray();
                    String what = precision + ", " + threads + " threads, shares " + java.util.Arrays.toString(sh);
                    if (reference == null) {
                        reference = g;
                        referenceCost = cost;
                        referenceSquares = net.lastGradientSquares();
                        referenceFigures = figures;
                    } else {
                        assertArrayEquals(reference, g, 0.0, what);
                        assertEquals(referenceCost, cost, 0.0, what);
                        assertEquals(referenceSquares, net.lastGradientSquares(), 0.0, what);
                        assertEquals(referenceFigures.costSum, figures.costSum, 0.0, what);
                        assertEquals(referenceFigures.sse, figures.sse, 0.0, what);
                        assertEquals(referenceFigures.matches, figures.matches, what);
                        assertEquals(referenceFigures.examples, figures.examples, what);
                    }
                }
            }
        }
    }
}
