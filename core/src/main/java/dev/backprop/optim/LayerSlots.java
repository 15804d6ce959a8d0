package dev.backprop.optim;

import dev.backprop.Dense;
import dev.backprop.Network;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-parameter state buffers of an optimizer, laid out like the network's flat parameter vector and cut
 * into the same per-layer views, so an update is one kernel call per weight matrix and bias vector with no
 * allocation. Frozen layers are skipped at each step (their state is kept but never touched).
 */
final class LayerSlots {
    /** One parameter block (a layer's W or b) with the matching views of every state buffer. */
    record Block(Dense layer, boolean weights, Vec params, Vec grads, Vec[] state) {
        /** The elements [from, from + len) of this block, with the same elements of every state buffer. */
        Block slice(int from, int len) {
            Vec[] st = new Vec[state.length];
            for (int s = 0; s < st.length; s++) {
                st[s] = state[s].view(from, len);
            }
            return new Block(layer, weights, params.view(from, len), grads.view(from, len), st);
        }
    }

    final Kernels kernels;
    final List<Block> blocks;
    private final Vec[] buffers;

    final int base;

    LayerSlots(Network net, int stateBuffers) {
        this.kernels = net.kernels();
        this.base = net.parameters().offset();
        this.buffers = new Vec[stateBuffers];
        for (int s = 0; s < stateBuffers; s++) {
            buffers[s] = kernels.allocate(net.parameterCount());
        }
        List<Block> list = new ArrayList<>();
        for (Dense d : net.layers()) {
            list.add(block(d, true, d.weights(), d.weightGradient()));
            if (d.hasBias()) {
                list.add(block(d, false, d.biases(), d.biasGradient()));
            }
        }
        this.blocks = List.copyOf(list);
    }

    private Block block(Dense d, boolean weights, Vec p, Vec g) {
        int off = p.offset() - base;
        Vec[] st = new Vec[buffers.length];
        for (int s = 0; s < buffers.length; s++) {
            st[s] = buffers[s].view(off, p.length());
        }
        return new Block(d, weights, p, g, st);
    }

    /** New buffers holding a copy of the state buffers. */
    Vec[] copyBuffers() {
        Vec[] c = new Vec[buffers.length];
        for (int s = 0; s < c.length; s++) {
            c[s] = kernels.allocate(buffers[s].length());
            kernels.copy(buffers[s], c[s]);
        }
        return c;
    }

    /** Copies the state buffers into {@code other} (with {@code toOther}) or back from it. */
    void transfer(Vec[] other, boolean toOther) {
        if (other.length != buffers.length) {
            throw new IllegalArgumentException("the snapshot belongs to another optimizer");
        }
        for (int s = 0; s < buffers.length; s++) {
            if (toOther) {
                kernels.copy(buffers[s], other[s]);
            } else {
                kernels.copy(other[s], buffers[s]);
            }
        }
    }

    /** Zeroes all state. */
    void clear() {
        for (Vec b : buffers) {
            kernels.fill(b, 0.0);
        }
    }

    /**
     * An optimizer state that updates block by block: {@link #step(double)} calls {@link #update} for every
     * block of a layer that is not frozen. Each block counts its own steps, as PyTorch counts them per
     * parameter: a layer that was frozen and is unfrozen later starts with step 1 (fresh bias corrections,
     * first-step rules), whatever the other layers have done.
     */
    abstract static class BlockState implements OptimizerState {
        /** Blocks of at least this many parameters are updated in parallel on the network's threads. */
        static final int PARALLEL_MIN = 1 << 15;

        final LayerSlots slots;
        private final Network network;
        private final long[] blockSteps;
        private long t;

        BlockState(Network network, int stateBuffers) {
            this.slots = new LayerSlots(network, stateBuffers);
            this.network = network;
            this.blockSteps = new long[slots.blocks.size()];
        }

        /** Updates one block's parameters from its gradient and state; {@code step} is the block's own count, from 1. */
        abstract void update(Block b, long step, double lr);

        /**
         * Updates every block that is not frozen: {@link #step(double, RangeHook, int)} with no hook.
         */
        @Override
        public final void step(double lr) {
            step(lr, null, 0);
        }

        /**
         * Updates every block that is not frozen, in one hand-off to the network's threads: a large block is cut into
         * pieces (whole rows of a weight matrix, as many as the network's split pass cuts that layer's units into), and
         * each thread updates a contiguous run of them in proportion to its learned speed ({@link Network#shareOut});
         * the small blocks are dealt whole to the thread with the least work. Every update is element-wise, so the cut
         * changes no bits. {@code before} (if not null) is called for each block or piece just before it is updated,
         * on the thread that updates it.
         */
        @Override
        public final void step(double lr, RangeHook before, int parameterCount) {
            t++;
            Plan plan = plan();
            for (int i = 0; i < blockSteps.length; i++) {
                if (!slots.blocks.get(i).layer().isFrozen()) {
                    ++blockSteps[i];
                }
            }
            stepRate = lr;
            stepHook = before;
            try {
                if (plan.threads == 1) {
                    partTask.accept(0);
                } else {
                    for (int b = 0; b < plan.large.length; b++) {
                        network.shareOut(plan.large[b].length, plan.threads, plan.cuts[b]);
                    }
                    network.parallel(plan.threads, partTask);
                }
            } finally {
                stepHook = null;
            }
        }

        // the step under way, read by the threads (set before each hand-off: no allocation per step)
        private double stepRate;
        private RangeHook stepHook;
        private final java.util.function.IntConsumer partTask = this::updatePart;

        /** Part p's run of each large block's pieces, then its small blocks, each with its block's own step count. */
        private void updatePart(int p) {
            Plan plan = this.plan;
            for (int b = 0; b < plan.large.length; b++) {
                Block[] pieces = plan.large[b];
                int from = plan.threads == 1 ? 0 : plan.cuts[b][p], to = plan.threads == 1 ? pieces.length : plan.cuts[b][p + 1];
                for (int i = from; i < to; i++) {
                    update(pieces[i], plan.largeIndex[b]);
                }
            }
            Block[] small = plan.small[p];
            for (int i = 0; i < small.length; i++) {
                update(small[i], plan.smallIndex[p][i]);
            }
        }

        private void update(Block b, int index) {
            if (b.layer().isFrozen()) {
                return;
            }
            if (stepHook != null) {
                stepHook.before(b.params().offset() - slots.base, b.params().length());
            }
            update(b, blockSteps[index], stepRate);
        }

        /**
         * How a step is shared out on this many threads: the large blocks, each in pieces, with the index of the block
         * and the run of pieces of each thread (filled before each step); and each thread's small blocks, whole.
         */
        private record Plan(int threads, Block[][] large, int[] largeIndex, int[][] cuts, Block[][] small, int[][] smallIndex) {
        }

        /** The plan, made on first use and again when the thread count changes. */
        private Plan plan;

        /** Whether a block of n parameters is shared out over the threads: from {@link #PARALLEL_MIN} on, on two or more. */
        private static boolean large(int n, int threads) {
            return threads > 1 && n >= PARALLEL_MIN;
        }

        private Plan plan() {
            int threads = network.threads();
            if (plan != null && partsFor == threads) {
                return plan;
            }
            List<Block[]> large = new ArrayList<>();
            List<Integer> largeIndex = new ArrayList<>();
            long[] load = new long[threads];
            for (int i = 0; i < slots.blocks.size(); i++) { // large blocks: in pieces, shared out at each step
                Block b = slots.blocks.get(i);
                int n = b.params().length();
                if (!large(n, threads)) {
                    continue;
                }
                int rows = b.weights() ? b.layer().outputs() : 1, width = n / rows;
                int g = b.weights() ? dev.backprop.Network.unitGranule(rows, threads) : 0;
                int pieces = b.weights() ? (rows + g - 1) / g : Math.max(threads, n / (PARALLEL_MIN / 4));
                Block[] ps = new Block[pieces];
                for (int q = 0, at = 0; q < pieces; q++) {
                    int len = b.weights() ? (Math.min((q + 1) * g, rows) - q * g) * width : n / pieces + (q < n % pieces ? 1 : 0);
                    ps[q] = b.slice(at, len);
                    at += len;
                }
                large.add(ps);
                largeIndex.add(i);
                for (int p = 0; p < threads; p++) {
                    load[p] += n / threads;
                }
            }
            boolean split = !large.isEmpty();
            List<List<Block>> small = new ArrayList<>();
            List<List<Integer>> smallIndex = new ArrayList<>();
            for (int p = 0; p < threads; p++) {
                small.add(new ArrayList<>());
                smallIndex.add(new ArrayList<>());
            }
            for (int i = 0; i < slots.blocks.size(); i++) { // then each small block whole to the least loaded part
                Block b = slots.blocks.get(i);
                if (large(b.params().length(), threads)) {
                    continue;
                }
                int p = 0; // the first of equals; only part 0 when no block was cut
                for (int q = 1; split && q < threads; q++) {
                    p = load[q] < load[p] ? q : p;
                }
                small.get(p).add(b);
                smallIndex.get(p).add(i);
                load[p] += b.params().length();
            }
            int count = split ? threads : 1;
            Block[][] smallArr = new Block[count][];
            int[][] smallIdx = new int[count][];
            for (int p = 0; p < count; p++) {
                smallArr[p] = small.get(p).toArray(new Block[0]);
                smallIdx[p] = smallIndex.get(p).stream().mapToInt(Integer::intValue).toArray();
            }
            plan = new Plan(count, large.toArray(new Block[0][]), largeIndex.stream().mapToInt(Integer::intValue).toArray(),
                    new int[large.size()][count + 1], smallArr, smallIdx);
            partsFor = threads;
            return plan;
        }

        private int partsFor;

        @Override
        public void reset() {
            slots.clear();
            java.util.Arrays.fill(blockSteps, 0);
            t = 0;
        }

        @Override
        public long steps() {
            return t;
        }

        @Override
        public final Snapshot snapshot() {
            return new Saved(this, slots.copyBuffers(), blockSteps.clone(), t);
        }

        @Override
        public final void save(Snapshot into) {
            Saved s = own(into);
            slots.transfer(s.buffers, true);
            System.arraycopy(blockSteps, 0, s.blockSteps, 0, blockSteps.length);
            s.t = t;
        }

        @Override
        public final void restore(Snapshot from) {
            Saved s = own(from);
            slots.transfer(s.buffers, false);
            System.arraycopy(s.blockSteps, 0, blockSteps, 0, blockSteps.length);
            t = s.t;
        }

        private Saved own(Snapshot s) {
            if (!(s instanceof Saved saved) || saved.owner != this) {
                throw new IllegalArgumentException("the snapshot was made by another optimizer state");
            }
            return saved;
        }

        /** The buffers, per-block step counts and total steps of a {@link BlockState}. */
        private static final class Saved implements Snapshot {
            final BlockState owner;
            final Vec[] buffers;
            final long[] blockSteps;
            long t;

            Saved(BlockState owner, Vec[] buffers, long[] blockSteps, long t) {
                this.owner = owner;
                this.buffers = buffers;
                this.blockSteps = blockSteps;
                this.t = t;
            }
        }
    }
}
