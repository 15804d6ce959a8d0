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
         * one contiguous slice per thread, and the small blocks are dealt whole to the thread with the least work so
         * far. Every update is element-wise, so the cut changes no bits. {@code before} (if not null) is called for
         * each block or slice just before it is updated, on the thread that updates it.
         */
        @Override
        public final void step(double lr, RangeHook before, int parameterCount) {
            t++;
            Part[] parts = parts();
            for (int i = 0; i < blockSteps.length; i++) {
                if (!slots.blocks.get(i).layer().isFrozen()) {
                    ++blockSteps[i];
                }
            }
            stepRate = lr;
            stepHook = before;
            try {
                if (parts.length == 1) {
                    partTask.accept(0);
                } else {
                    network.parallel(parts.length, partTask);
                }
            } finally {
                stepHook = null;
            }
        }

        // the step under way, read by the threads (set before each hand-off: no allocation per step)
        private double stepRate;
        private RangeHook stepHook;
        private final java.util.function.IntConsumer partTask = this::updatePart;

        /** Part p's blocks and slices, in order, each with its own step count. */
        private void updatePart(int p) {
            Part part = parts[p];
            for (int j = 0; j < part.pieces.length; j++) {
                Block b = part.pieces[j];
                if (b.layer().isFrozen()) {
                    continue;
                }
                if (stepHook != null) {
                    stepHook.before(b.params().offset() - slots.base, b.params().length());
                }
                update(b, blockSteps[part.blocks[j]], stepRate);
            }
        }

        /** The blocks and slices one thread updates, and the index of the block each comes from. */
        private record Part(Block[] pieces, int[] blocks) {
        }

        /** Each thread's share of the blocks, made on first use and again when the thread count changes. */
        private Part[] parts;
        private int partsFor;

        /** Into how many slices a block of n parameters is cut on this many threads: 1 below {@link #PARALLEL_MIN}. */
        private static int cuts(int n, int threads) {
            int t = Math.min(threads, n / (PARALLEL_MIN / 2));
            return t > 1 && n >= PARALLEL_MIN ? t : 1;
        }

        private Part[] parts() {
            int threads = network.threads();
            if (parts != null && partsFor == threads) {
                return parts;
            }
            List<List<Block>> pieces = new ArrayList<>();
            List<List<Integer>> from = new ArrayList<>();
            long[] load = new long[threads];
            for (int p = 0; p < threads; p++) {
                pieces.add(new ArrayList<>());
                from.add(new ArrayList<>());
            }
            boolean split = false;
            for (int i = 0; i < slots.blocks.size(); i++) { // large blocks first: a slice for each of t parts
                int t = cuts(slots.blocks.get(i).params().length(), threads);
                Block b = slots.blocks.get(i);
                for (int p = 0, at = 0, n = b.params().length(); t > 1 && p < t; p++) {
                    int len = n / t + (p < n % t ? 1 : 0);
                    pieces.get(p).add(b.slice(at, len));
                    from.get(p).add(i);
                    load[p] += len;
                    at += len;
                    split = true;
                }
            }
            for (int i = 0; i < slots.blocks.size(); i++) { // then each small block whole to the least loaded part
                Block b = slots.blocks.get(i);
                if (cuts(b.params().length(), threads) > 1) {
                    continue;
                }
                int p = 0; // the first of equals; only part 0 when no block was cut
                for (int q = 1; split && q < threads; q++) {
                    p = load[q] < load[p] ? q : p;
                }
                pieces.get(p).add(b);
                from.get(p).add(i);
                load[p] += b.params().length();
            }
            int count = split ? threads : 1;
            Part[] made = new Part[count];
            for (int p = 0; p < count; p++) {
                made[p] = new Part(pieces.get(p).toArray(new Block[0]), from.get(p).stream().mapToInt(Integer::intValue).toArray());
            }
            parts = made;
            partsFor = threads;
            return made;
        }

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
