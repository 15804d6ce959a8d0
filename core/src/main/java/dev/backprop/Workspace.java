package dev.backprop;

import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import java.util.List;

/**
 * The buffers one forward and backward pass over up to {@code capacity} examples needs: the batch inputs X
 * and targets Y, and per layer the pre-activations Z, the activations A and the deltas Δ (each rows×width).
 * Allocated once per (network, batch size); {@link #rows(int)} hands out views for a smaller last batch,
 * cached so that steady-state training allocates nothing. An inference workspace ({@code gradients} false, for
 * {@link Predictor}) has no deltas and no targets.
 */
final class Workspace {
    final int capacity;
    private final Vec x, y;
    private final Vec[] z, a, d;
    private final int[] widths;
    private final int inputs;
    private Rows full;
    private Rows partial;

    Workspace(Kernels k, int inputs, List<Dense> layers, int capacity) {
        this(k, inputs, layers, capacity, true);
    }

    Workspace(Kernels k, int inputs, List<Dense> layers, int capacity, boolean gradients) {
        this.capacity = capacity;
        this.inputs = inputs;
        int n = layers.size();
        widths = new int[n];
        z = new Vec[n];
        a = new Vec[n];
        d = new Vec[n];
        for (int l = 0; l < n; l++) {
            widths[l] = layers.get(l).outputs();
            z[l] = k.allocate(capacity * widths[l]);
            a[l] = k.allocate(capacity * widths[l]);
            d[l] = gradients ? k.allocate(capacity * widths[l]) : null;
        }
        x = k.allocate(capacity * inputs);
        y = gradients ? k.allocate(capacity * widths[n - 1]) : null;
        full = new Rows(0, capacity);
    }

    /** Views of every buffer holding exactly m rows (m ≤ capacity). */
    Rows rows(int m) {
        if (m == capacity) {
            return full;
        }
        if (m < 1 || m > capacity) {
            throw new IllegalArgumentException("batch of " + m + " rows does not fit a workspace of " + capacity);
        }
        if (partial == null || partial.m != m) {
            partial = new Rows(0, m);
        }
        return partial;
    }

    /**
     * New views of rows [from, from + m) of every buffer, for one thread's share of a batch. Not cached: callers
     * keep the views they reuse.
     */
    Rows rows(int from, int m) {
        if (from < 0 || m < 1 || from > capacity - m) {
            throw new IllegalArgumentException("rows [" + from + ", " + from + "+" + m + ") do not fit a workspace of " + capacity);
        }
        return new Rows(from, m);
    }

    /** The views of m rows of every buffer. */
    final class Rows {
        final int m;
        final Vec x, y;
        final Vec[] z, a, d;

        Rows(int from, int m) {
            this.m = m;
            int n = widths.length;
            this.x = Workspace.this.x.view(from * inputs, m * inputs);
            this.y = Workspace.this.y == null ? null : Workspace.this.y.view(from * widths[n - 1], m * widths[n - 1]);
            this.z = new Vec[n];
            this.a = new Vec[n];
            this.d = new Vec[n];
            for (int l = 0; l < n; l++) {
                this.z[l] = Workspace.this.z[l].view(from * widths[l], m * widths[l]);
                this.a[l] = Workspace.this.a[l].view(from * widths[l], m * widths[l]);
                this.d[l] = Workspace.this.d[l] == null ? null : Workspace.this.d[l].view(from * widths[l], m * widths[l]);
            }
        }

        /** The network's output activations for these rows. */
        Vec output() {
            return a[a.length - 1];
        }
    }
}
