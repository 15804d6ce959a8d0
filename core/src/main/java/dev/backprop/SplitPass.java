package dev.backprop;

import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import java.util.List;

/**
 * The gradient of a batch on t &gt; 1 threads, computed into the network's own gradient vector with no per-thread
 * copy of it. Each chunk of the batch (at most {@link Network#CHUNK_ROWS} examples, in one shared workspace) takes
 * four phases, each a hand-off to the network's threads. Part p owns a contiguous block of the chunk's examples
 * (its rows) and a contiguous block [o_p, o_{p+1}) of every layer's units:
 * <ol>
 * <li><b>Inputs, by rows.</b> Part p copies its examples in and applies the input scaling.</li>
 * <li><b>First product, by units.</b> Part p computes its units' columns of Z₀ = X·W₀ᵀ + b₀ and A₀ = f(Z₀) for
 * all the chunk's examples, from its own rows of W₀ (the bias and f in the product's epilogue,
 * {@link Kernels#denseForward}), into buffers of its own, rows its units apart. The first layer is usually the
 * widest product; split this way, each thread packs half of W₀ (the half its own optimizer slice just updated,
 * still in its cache) instead of all of it, and multiplies taller blocks. Written straight into the shared Z₀ and
 * A₀, the cache line of every row that holds the last units of one part and the first of the next was written by
 * two cores, each time the GEMM updated its tile (once per block of k, again in the epilogue), and moved between
 * them every time. Measured with one thread timing its half of W1's first product while the other thread ran the
 * other half: 226–231 µs into one shared Z, 207 µs into separate ones, 203 µs with the other core idle.</li>
 * <li><b>Rows.</b> Part p gathers its examples' rows of Z₀ and A₀ from every part's buffers into the shared Z₀
 * and A₀ (its rows only: no line is written by two cores), takes them through the other layers (and the first
 * layer's softmax, which needs whole rows, if it has one), the cost and the output delta, and down through
 * δ_n = f'(z_n) ⊙ W_nᵀ·δ_{n+1} to the lowest trainable layer: each example's deltas need only that example's
 * row.</li>
 * <li><b>Units.</b> Part p writes rows [o_p, o_{p+1}) of every trainable layer's ∂J/∂W = Δᵀ·Y and the same entries
 * of ∂J/∂b = Σ_rows Δ, summed over all the chunk's examples (Δ's columns for those units, read in place with
 * Δ's row length as the leading dimension, are the A of an Aᵀ·B product).</li>
 * </ol>
 * Every gradient entry is thus one sum over the chunk's examples, as on one thread: no thread sums a partial
 * gradient of the whole network, and none is added up afterwards. A layer's units are cut into equal contiguous
 * parts, the same cut the optimizers' per-thread slices of a large weight matrix make, so thread p's optimizer
 * update reads the gradient rows that thread p just wrote. Results do not depend on scheduling: the parts write
 * disjoint entries, and their costs and metrics are added in the order of p.
 */
final class SplitPass {
    private final Network net;
    private final Kernels k;
    private final List<Dense> layers;
    /** The number of parts (threads). */
    final int t;
    /** The shared buffers for one chunk; its capacity is the chunk size. */
    final Workspace ws;
    /** [part][layer]: that part's units of the layer and its views of the layer's gradient; null when it has none. */
    private final Unit[][] units;
    private final double[] costSums;
    private final double[] squares;
    private final RunningMetrics[] metrics;
    /**
     * [part]: the part's own buffers for its columns of the first layer's Z and A (capacity × its units, rows its
     * units apart), so that no cache line of them is written by two cores; null for a part with no units.
     */
    private final Vec[] ownZ;
    private final Vec[] ownA;
    /** The views for the last two chunk sizes (a batch's full chunks and its last one), most recent first. */
    private final Views[] views = new Views[2];

    // the chunk under way, read by the parts (set before each hand-off, so that a step allocates nothing)
    private Views chunk;
    private Dataset data;
    private int[] order;
    private int chunkFrom;
    private double scale;
    private boolean measure;
    private boolean accumulate;
    private boolean lastChunk;
    private int lowest;
    private final java.util.function.IntConsumer inputsTask = this::inputs;
    private final java.util.function.IntConsumer firstTask = this::first;
    private final java.util.function.IntConsumer rowsTask = this::rows;
    private final java.util.function.IntConsumer unitsTask = this::units;

    SplitPass(Network net, int t, int capacity) {
        this.net = net;
        this.k = net.kernels();
        this.layers = net.layers();
        this.t = t;
        this.ws = new Workspace(k, net.inputs(), layers, capacity);
        this.units = new Unit[t][layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            Dense d = layers.get(l);
            int out = d.outputs();
            for (int p = 0, o = 0; p < t; p++) {
                int w = out / t + (p < out % t ? 1 : 0);
                if (w > 0) {
                    units[p][l] = new Unit(d, o, w);
                }
                o += w;
            }
        }
        this.ownZ = new Vec[t];
        this.ownA = new Vec[t];
        for (int p = 0; p < t; p++) {
            Unit u = units[p][0];
            if (u != null) {
                ownZ[p] = k.allocate(capacity * u.w);
                ownA[p] = k.allocate(capacity * u.w);
            }
        }
        this.costSums = new double[t];
        this.squares = new double[t];
        this.metrics = new RunningMetrics[t];
        for (int p = 0; p < t; p++) {
            metrics[p] = new RunningMetrics();
        }
    }

    /**
     * Forward over examples {@code order[from .. from+count)} and the gradient of scale·Σ C into the network's
     * gradient vector (trainable layers overwritten, frozen ones zeroed). Returns Σ C; adds the batch's figures to
     * {@code sink} if not null.
     */
    double run(Dataset data, int[] order, int from, int count, double scale, RunningMetrics sink) {
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            if (d.isFrozen()) {
                k.fill(d.weightGradient(), 0.0);
                k.fill(d.biasGradient(), 0.0);
            }
        }
        this.data = data;
        this.order = order;
        this.scale = scale;
        this.measure = sink != null;
        this.lowest = net.lowestTrainable();
        java.util.Arrays.fill(costSums, 0.0);
        java.util.Arrays.fill(squares, 0.0);
        for (RunningMetrics m : metrics) {
            m.clear();
        }
        try {
            for (int c = 0; c < count; c += ws.capacity) {
                chunk = views(Math.min(ws.capacity, count - c));
                chunkFrom = from + c;
                accumulate = c > 0;
                lastChunk = c + ws.capacity >= count;
                net.runParts(t, inputsTask);
                net.runParts(t, firstTask);
                net.runParts(t, rowsTask);
                if (lowest >= 0) {
                    net.runParts(t, unitsTask);
                }
            }
        } finally {
            this.data = null;
            this.order = null;
        }
        double costSum = 0;
        for (int p = 0; p < t; p++) { // fixed order: the result does not depend on scheduling
            costSum += costSums[p];
            if (measure) {
                sink.add(metrics[p]);
            }
        }
        return costSum;
    }

    /**
     * Σ (∂J/∂θ)² over the gradient the last {@link #run} wrote (frozen layers contribute their zeros), summed by each
     * part over the entries it wrote, while they were still in its cache, and added in the order of the parts.
     */
    double gradientSquares() {
        double sum = 0;
        for (int p = 0; p < t; p++) {
            sum += squares[p];
        }
        return sum;
    }

    /** The whole last chunk, for {@link Network#inspectLastBatch()}. */
    Workspace.Rows lastChunk() {
        return chunk.full;
    }

    /** Phase 1: part p's examples in, scaled. */
    private void inputs(int p) {
        Workspace.Rows r = chunk.parts[p];
        if (r != null) {
            data.copyRows(k, order, chunkFrom + chunk.starts[p], r.m, r.x, r.y);
            net.scaleInputs(r);
        }
    }

    /**
     * Phase 2: part p's units' columns of Z₀ = X·W₀ᵀ + b₀ and A₀ = f(Z₀) over all the chunk's examples (of Z₀ alone
     * when f is softmax).
     */
    private void first(int p) {
        Unit u = units[p][0];
        if (u == null) {
            return;
        }
        Workspace.Rows r = chunk.full;
        Dense d = layers.getFirst();
        Vec z = chunk.firstZ[p];
        if (elementWise(d.activation())) {
            k.denseForward(r.m, u.w, d.inputs(), r.x, u.weights, u.biases, d.activation(), z, chunk.firstA[p], u.w);
        } else {
            k.denseForward(r.m, u.w, d.inputs(), r.x, u.weights, u.biases, IDENTITY, z, z, u.w);
        }
    }

    private static final Activation IDENTITY = new Activation.Identity();

    /** Whether f acts on each element alone (every activation but softmax), so a block of a layer's units can apply it. */
    static boolean elementWise(Activation f) {
        return !(f instanceof Activation.Softmax);
    }

    /** Phase 3: part p's examples through the rest of the forward pass and their deltas down. */
    private void rows(int p) {
        Workspace.Rows r = chunk.parts[p];
        if (r == null) {
            return;
        }
        Dense first = layers.getFirst();
        boolean withA = elementWise(first.activation());
        for (int q = 0; q < t; q++) { // the part's rows of Z₀ and A₀, gathered from every part's own columns
            Unit u = units[q][0];
            if (u != null) {
                k.copy(r.m, u.w, chunk.gatherZ[p][q], u.w, chunk.gatherToZ[p][q], first.outputs());
                if (withA) {
                    k.copy(r.m, u.w, chunk.gatherA[p][q], u.w, chunk.gatherToA[p][q], first.outputs());
                }
            }
        }
        net.forwardAfterFirstProduct(r);
        double cs = net.costSum(r);
        costSums[p] += cs;
        if (measure) {
            net.measure(r, cs, metrics[p]);
        }
        net.outputDelta(r, scale);
        net.backwardDeltas(r, lowest);
    }

    /** Phase 4: part p's rows of each trainable layer's weight gradient and its entries of the bias gradient. */
    private void units(int p) {
        Workspace.Rows r = chunk.full;
        for (int l = layers.size() - 1; l >= lowest; l--) {
            Dense d = layers.get(l);
            Unit u = units[p][l];
            if (d.isFrozen() || u == null) {
                continue;
            }
            Vec cols = chunk.deltaCols[p][l]; // this part's columns of Δ, rows d.outputs() apart
            Vec in = l == 0 ? r.x : r.a[l - 1];
            int out = d.outputs(), inputs = d.inputs();
            k.gemm(true, false, u.w, inputs, r.m, 1.0, cols, out, in, inputs, accumulate ? 1.0 : 0.0, u.dW, inputs);
            if (d.hasBias()) {
                if (!accumulate) {
                    k.fill(u.db, 0.0);
                }
                k.sumRows(1.0, cols, r.m, u.w, out, u.db);
            }
            if (lastChunk) {
                squares[p] += k.sumSquares(u.dW) + (d.hasBias() ? k.sumSquares(u.db) : 0.0);
            }
        }
    }

    /** The views for a chunk of m examples: all of them, and each part's contiguous block. */
    private Views views(int m) {
        if (views[0] != null && views[0].m == m) {
            return views[0];
        }
        Views v = views[1] != null && views[1].m == m ? views[1] : new Views(m);
        views[1] = views[0];
        views[0] = v;
        return v;
    }

    /** One chunk size's views of the shared workspace. */
    private final class Views {
        final int m;
        final Workspace.Rows full;
        final Workspace.Rows[] parts = new Workspace.Rows[t];
        final int[] starts = new int[t];
        /** [part][layer]: the part's columns of Δ, as views whose rows are the layer's width apart. */
        final Vec[][] deltaCols = new Vec[t][];
        /** [part]: the part's own buffers for its columns of the first layer's Z and A (m × its units). */
        final Vec[] firstZ = new Vec[t];
        final Vec[] firstA = new Vec[t];
        /** [p][q]: part q's own columns of Z₀ and A₀ for part p's rows, and where they go in the shared Z₀ and A₀. */
        final Vec[][] gatherZ = new Vec[t][t];
        final Vec[][] gatherA = new Vec[t][t];
        final Vec[][] gatherToZ = new Vec[t][t];
        final Vec[][] gatherToA = new Vec[t][t];

        Views(int m) {
            this.m = m;
            this.full = ws.rows(0, m);
            for (int p = 0; p < t; p++) {
                deltaCols[p] = new Vec[layers.size()];
                for (int l = 0; l < layers.size(); l++) {
                    Unit u = units[p][l];
                    if (u == null) {
                        continue;
                    }
                    int len = (m - 1) * layers.get(l).outputs() + u.w;
                    deltaCols[p][l] = full.d[l] == null ? null : full.d[l].view(u.first, len);
                    if (l == 0) {
                        firstZ[p] = ownZ[p].view(0, m * u.w);
                        firstA[p] = ownA[p].view(0, m * u.w);
                    }
                }
            }
            for (int p = 0, s = 0; p < t; p++) {
                int len = m / t + (p < m % t ? 1 : 0);
                starts[p] = s;
                parts[p] = len > 0 ? ws.rows(s, len) : null;
                int out = layers.getFirst().outputs();
                for (int q = 0; q < t && len > 0; q++) {
                    Unit u = units[q][0];
                    if (u != null) {
                        gatherZ[p][q] = ownZ[q].view(s * u.w, len * u.w);
                        gatherA[p][q] = ownA[q].view(s * u.w, len * u.w);
                        gatherToZ[p][q] = full.z[0].view(s * out + u.first, (len - 1) * out + u.w);
                        gatherToA[p][q] = full.a[0].view(s * out + u.first, (len - 1) * out + u.w);
                    }
                }
                s += len;
            }
        }
    }

    /** Units [first, first + w) of one layer: their rows of W and of ∂J/∂W, and their entries of b and ∂J/∂b. */
    private static final class Unit {
        final int first;
        final int w;
        final Vec weights;
        final Vec biases;
        final Vec dW;
        final Vec db;

        Unit(Dense d, int first, int w) {
            this.first = first;
            this.w = w;
            this.weights = d.weights().view(first * d.inputs(), w * d.inputs());
            this.biases = d.biases().view(d.hasBias() ? first : 0, d.hasBias() ? w : 0);
            this.dW = d.weightGradient().view(first * d.inputs(), w * d.inputs());
            this.db = d.hasBias() ? d.biasGradient().view(first, w) : null;
        }
    }
}
