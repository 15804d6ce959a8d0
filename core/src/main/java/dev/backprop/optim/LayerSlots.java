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

    private final int base;

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
        /** Each block cut into one contiguous slice per thread (null for blocks updated whole), made on first use. */
        private Block[][] slices;
        private int slicedFor;

        BlockState(Network network, int stateBuffers) {
            this.slots = new LayerSlots(network, stateBuffers);
            this.network = network;
            this.blockSteps = new long[slots.blocks.size()];
        }

        /** Updates one block's parameters from its gradient and state; {@code step} is the block's own count, from 1. */
        abstract void update(Block b, long step, double lr);

        /**
         * Updates every block that is not frozen. A large block is cut into one contiguous slice per network thread
         * and the slices are updated at once; every update is element-wise, so the slicing changes no bits.
         */
        @Override
        public final void step(double lr) {
            t++;
            Block[][] cut = slices();
            for (int i = 0; i < blockSteps.length; i++) {
                Block b = slots.blocks.get(i);
                if (b.layer().isFrozen()) {
                    continue;
                }
                long s = ++blockSteps[i];
                Block[] parts = cut[i];
                if (parts == null) {
                    update(b, s, lr);
                } else {
                    sliceParts = parts;
                    sliceStep = s;
                    sliceRate = lr;
                    network.parallel(parts.length, sliceTask);
                }
            }
        }

        // the slices being updated, read by the threads (set before each parallel update: no allocation per step)
        private Block[] sliceParts;
        private long sliceStep;
        private double sliceRate;
        private final java.util.function.IntConsumer sliceTask = p -> update(sliceParts[p], sliceStep, sliceRate);

        private Block[][] slices() {
            int threads = network.threads();
            if (slices == null || slicedFor != threads) {
                slices = new Block[slots.blocks.size()][];
                for (int i = 0; i < slices.length; i++) {
                    Block b = slots.blocks.get(i);
                    int n = b.params().length();
                    int t = Math.min(threads, n / (PARALLEL_MIN / 2));
                    if (t > 1 && n >= PARALLEL_MIN) {
                        slices[i] = new Block[t];
                        for (int p = 0, from = 0; p < t; p++) {
                            int len = n / t + (p < n % t ? 1 : 0);
                            slices[i][p] = b.slice(from, len);
                            from += len;
                        }
                    }
                }
                slicedFor = threads;
            }
            return slices;
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
