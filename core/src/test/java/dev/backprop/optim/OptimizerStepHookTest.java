package dev.backprop.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dense;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.kernel.Vec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An update with a hook ({@link OptimizerState#step(double, RangeHook, int)}) is the same update, done in one
 * hand-off: the hook sees each range of the parameters before it changes, the ranges cover exactly the layers that
 * are not frozen, and the parameters come out bit for bit as from {@link OptimizerState#step(double)}.
 */
class OptimizerStepHookTest {

    private static final List<Optimizer> ALL = List.of(new Sgd(0.05), new Momentum(0.05), new Nesterov(0.05), new Adam(0.01),
            new AdamW(0.01), new RmsProp(0.01), new Rprop(), new Quickprop(0.05));

    /** 200·180 = 36,000 weights in the first layer: a block large enough to be cut over the threads. */
    private static Network net(Precision p, int threads) {
        Network n = Network.builder(200).precision(p).dense(180, Activation.tanh()).dense(7, Activation.relu())
                .dense(3, Activation.identity()).cost(Cost.quadratic()).build(3);
        n.setThreads(threads);
        return n;
    }

    /** A made-up gradient for step s, different in every entry and every step. */
    private static void gradient(Network net, int s) {
        Vec g = net.gradient();
        for (int i = 0; i < g.length(); i++) {
            g.set(i, Math.sin(0.37 * i + 1.3 * s) * (1 + (i % 5)) * 1e-2);
        }
    }

    private record Range(int from, int length, String thread) {
    }

    @Test
    void theHookSeesEveryTrainableRangeBeforeItChangesAndTheBitsAreTheSame() {
        for (Precision precision : Precision.values()) {
            for (int threads = 1; threads <= 3; threads++) {
                for (boolean frozen : new boolean[] {false, true}) {
                    for (Optimizer opt : ALL) {
                        String what = opt.id() + ", " + precision + ", " + threads + " threads" + (frozen ? ", layer 1 frozen" : "");
                        Network plain = net(precision, threads);
                        Network hooked = net(precision, threads);
                        if (frozen) {
                            plain.freeze(1);
                            hooked.freeze(1);
                        }
                        OptimizerState a = opt.start(plain);
                        OptimizerState b = opt.start(hooked);
                        for (int s = 0; s < 4; s++) {
                            gradient(plain, s);
                            gradient(hooked, s);
                            double[] before = hooked.parameterArray();
                            List<Range> seen = java.util.Collections.synchronizedList(new ArrayList<>());
                            AtomicInteger changed = new AtomicInteger(); // parameters that changed before their range's hook
                            a.step(0.5);
                            b.step(0.5, (from, length) -> {
                                seen.add(new Range(from, length, Thread.currentThread().getName()));
                                for (int i = from; i < from + length; i++) {
                                    if (hooked.parameters().get(i) != before[i]) {
                                        changed.incrementAndGet();
                                    }
                                }
                            }, hooked.parameterCount());
                            assertEquals(0, changed.get(), what + ": parameters changed before their hook");
                            assertArrayEquals(plain.parameterArray(), hooked.parameterArray(), what + ", step " + s);
                            assertEquals(trainableRanges(hooked), merged(seen), what);
                            long workers = seen.stream().map(Range::thread).distinct().count();
                            assertEquals(threads, workers, what + ": the ranges were updated on every thread");
                        }
                    }
                }
            }
        }
    }

    /** The [from, to) runs of the flat vector that belong to layers that are not frozen, adjacent runs joined. */
    private static List<List<Integer>> trainableRanges(Network net) {
        List<Range> r = new ArrayList<>();
        int base = net.parameters().offset();
        for (Dense d : net.layers()) {
            if (!d.isFrozen()) {
                r.add(new Range(d.weights().offset() - base, d.weights().length(), ""));
                if (d.hasBias()) {
                    r.add(new Range(d.biases().offset() - base, d.biases().length(), ""));
                }
            }
        }
        return merged(r);
    }

    /** Sorted, checked to be disjoint, and adjacent ranges joined. */
    private static List<List<Integer>> merged(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingInt(Range::from));
        List<List<Integer>> out = new ArrayList<>();
        int from = -1;
        int to = -1;
        for (Range r : sorted) {
            assertTrue(r.from() >= to, "ranges overlap at " + r.from());
            if (r.from() == to) {
                to += r.length();
            } else {
                if (from >= 0) {
                    out.add(List.of(from, to));
                }
                from = r.from();
                to = r.from() + r.length();
            }
        }
        if (from >= 0) {
            out.add(List.of(from, to));
        }
        return out;
    }
}
