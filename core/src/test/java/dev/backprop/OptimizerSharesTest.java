package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.backprop.optim.Adam;
import dev.backprop.optim.OptimizerState;
import dev.backprop.util.Rng;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An optimizer shares out a large weight matrix's rows as the split pass shares out the layer's units: each thread
 * in proportion to its learned speed ({@link Network#shareOut}), whole granules of rows, with the same bits.
 */
class OptimizerSharesTest {

    /** 180·200 = 36,000 weights in the first layer: a block large enough to be cut over the threads. */
    private static Network net() {
        Network n = Network.builder(200).dense(180, Activation.tanh()).dense(7, Activation.relu())
                .dense(3, Activation.identity()).cost(Cost.quadratic()).build(3);
        n.setThreads(2);
        return n;
    }

    @Test
    void theThreadOnTheSlowerCoreUpdatesFewerRowsAndTheBitsAreTheSame() {
        Rng rng = new Rng(9);
        double[][] x = new double[128][200];
        double[][] y = new double[128][3];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 200; j++) {
                x[i][j] = rng.uniform(-1, 1);
            }
            y[i][i % 3] = 1;
        }
        Dataset d = Dataset.of(x, y);
        double[][] after = new double[2][];
        for (int run = 0; run < 2; run++) {
            Network net = net();
            OptimizerState state = new Adam(0.01).start(net);
            net.computeGradient(d, Regularization.NONE); // makes the split pass and its shares
            if (run == 1) {
                net.splitShares().set(0.3, 0.7);
            }
            String caller = Thread.currentThread().getName();
            List<int[]> mine = Collections.synchronizedList(new ArrayList<>());
            state.step(0.01, (from, length) -> {
                if (Thread.currentThread().getName().equals(caller) && from < 180 * 200) {
                    mine.add(new int[] {from, length});
                }
            }, net.parameterCount());
            int rows = mine.stream().mapToInt(r -> r[1]).sum() / 200;
            int granule = Network.unitGranule(180, 2); // 16: 12 pieces of rows, the last of 4 (the split pass's cut)
            assertEquals(16, granule);
            // an even cut gives the caller 6 of the 12 pieces (96 rows); a share of 0.3 gives it round(3.6) = 4 (64 rows)
            assertEquals(run == 0 ? 96 : 64, rows, "rows of the first layer's weights updated by the calling thread");
            assertEquals(0, mine.stream().mapToInt(r -> r[0]).min().orElse(-1), "the calling thread's rows come first");
            after[run] = net.parameterArray();
        }
        assertArrayEquals(after[0], after[1], 0.0);
    }
}
