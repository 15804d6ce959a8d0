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

    /** Sets every state buffer to {@code value}. */
    void fill(int buffer, double value) {
        kernels.fill(buffers[buffer], value);
    }

    /** Zeroes all state. */
    void clear() {
        for (Vec b : buffers) {
            kernels.fill(b, 0.0);
        }
    }

    /**
     * An optimizer state that updates block by block: {@link #step(double)} counts the step, then calls
     * {@link #update} for every block of a layer that is not frozen.
     */
    abstract static class BlockState implements OptimizerState {
        final LayerSlots slots;
        /** Steps taken, including the one in progress during {@link #update}. */
        long t;

        BlockState(Network network, int stateBuffers) {
            this.slots = new LayerSlots(network, stateBuffers);
        }

        /** Updates one block's parameters from its gradient and state. */
        abstract void update(Block b, double lr);

        /** Called once per step before the blocks are updated. */
        void beforeStep() {
        }

        @Override
        public final void step(double lr) {
            t++;
            beforeStep();
            for (Block b : slots.blocks) {
                if (!b.layer().isFrozen()) {
                    update(b, lr);
                }
            }
        }

        @Override
        public void reset() {
            slots.clear();
            t = 0;
        }

        @Override
        public long steps() {
            return t;
        }
    }
}
