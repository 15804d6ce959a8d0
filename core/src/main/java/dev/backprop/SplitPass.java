package dev.backprop;

import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import java.util.List;

/**
 * The gradient of a batch on t &gt; 1 threads, computed into the network's own gradient vector with no per-thread
 * copy of it. Each chunk of the batch (at most {@link Network#CHUNK_ROWS} examples, in one shared workspace) takes
 * four phases, each a hand-off to the network's threads. Part p owns a contiguous block of the chunk's examples
 * (its rows) and a contiguous block of every layer's units, each in proportion to its thread's learned share
 * ({@link Shares}), cut at multiples of a chunk's {@link #rowGranule} examples and of a layer's {@link #granule}
 * units:
 * <ol>
 * <li><b>Inputs, by rows.</b> Part p copies its examples in and applies the input scaling.</li>
 * <li><b>First product, by units.</b> Part p computes its units' columns of Z₀ = X·W₀ᵀ + b₀ and A₀ = f(Z₀) for
 * all the chunk's examples, from its own rows of W₀ (the bias and f in the product's epilogue,
 * {@link Kernels#denseForward}), into buffers of its own, rows its units apart. The first layer is usually the
 * widest product; split this way, each thread packs its share of W₀ instead of all of it and multiplies taller
 * blocks. Written straight into the shared Z₀ and A₀, the cache line of every row that holds the last units of one
 * part and the first of the next was written by two cores, each time the GEMM updated its tile (once per block of
 * k, again in the epilogue), and moved between them every time: {@code bench/run cores} times two threads each
 * computing half of W1's first product at 231–233 µs into one shared Z and 209–210 µs into their own, against
 * 201–213 µs for one thread alone (two runs).</li>
 * <li><b>Rows.</b> Part p gathers its examples' rows of Z₀ and A₀ from every part's buffers into the shared Z₀
 * and A₀ (its rows only: no line is written by two cores), takes them through the other layers (and the first
 * layer's softmax, which needs whole rows, if it has one), the cost and the output delta, and down through
 * δ_n = f'(z_n) ⊙ W_nᵀ·δ_{n+1} to the lowest trainable layer: each example's deltas need only that example's
 * row.</li>
 * <li><b>Units.</b> Part p writes its units' rows of every trainable layer's ∂J/∂W = Δᵀ·Y and the same entries
 * of ∂J/∂b = Σ_rows Δ, summed over all the chunk's examples (Δ's columns for those units, read in place with
 * Δ's row length as the leading dimension, are the A of an Aᵀ·B product).</li>
 * </ol>
 * Every gradient entry is thus one sum over the chunk's examples, as on one thread: no thread sums a partial
 * gradient of the whole network, and none is added up afterwards. The costs and figures are summed per group of
 * {@link #rowGranule} examples and Σ (∂J/∂θ)² per granule of units, and those sums are added in a fixed order, so
 * no result depends on the cut or on scheduling, only the time does. Each thread's busy time per phase is what
 * {@link Shares} learns from.
 */
final class SplitPass {
    /** Examples are cut at multiples of this many (one register tile of the GEMM), and their costs and figures are summed per group of this many. */
    static final int ROW_GRANULE = 8;
    /** At most this many granules of examples or of a layer's units (a view is made for every run of granules). */
    static final int MAX_GRANULES = 64;

    private final Network net;
    private final Kernels k;
    private final List<Dense> layers;
    /** The number of parts (threads). */
    final int t;
    /** The shared buffers for one chunk; its capacity is the chunk size. */
    final Workspace ws;
    /** Each thread's share of the work, learned from how fast each went through the last chunks. */
    final Shares shares;
    /** [layer]: the number of units its cut moves by ({@link #granule}), and how many such granules it has. */
    private final int[] granule;
    private final int[] granules;
    /** [layer][i][j]: units [i·g, min(j·g, out)) of the layer, for granules i &lt; j. */
    private final Unit[][][] unitRanges;
    /** [layer][granule]: Σ (∂J/∂θ)² over that granule's rows of ∂J/∂W and its entries of ∂J/∂b, from the last chunk. */
    private final double[][] granuleSquares;
    /**
     * [part]: the part's own buffers for its columns of the first layer's Z and A (capacity × {@link #maxFirst},
     * rows its units apart), so that no cache line of them is written by two cores.
     */
    private final Vec[] ownZ;
    private final Vec[] ownA;
    /** The most units of the first layer a part can get ({@link Shares#maxRun}): the width of its own buffers. */
    private final int maxFirst;
    /** [layer][p]: part p's units of the layer are granules [unitCuts[l][p], unitCuts[l][p+1]). */
    private final int[][] unitCuts;
    /** Part p's examples are groups [rowCuts[p], rowCuts[p+1]) of the chunk under way. */
    private final int[] rowCuts;
    /** [(phase·t + p)·PAD]: nanoseconds part p spent on a phase of the chunk under way (apart: no false sharing). */
    private final long[] busy;
    private static final int PAD = 16;
    private static final int INPUTS = 0, FIRST = 1, ROWS = 2, UNITS = 3, PHASES = 4;
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

    SplitPass(Network net, int t, int capacity, Shares shares) {
        if (shares.t != t) {
            throw new IllegalArgumentException("shares for " + shares.t + " threads, not " + t);
        }
        this.net = net;
        this.k = net.kernels();
        this.layers = net.layers();
        this.t = t;
        this.ws = new Workspace(k, net.inputs(), layers, capacity);
        this.shares = shares;
        int n = layers.size();
        this.granule = new int[n];
        this.granules = new int[n];
        this.unitRanges = new Unit[n][][];
        this.granuleSquares = new double[n][];
        for (int l = 0; l < n; l++) {
            Dense d = layers.get(l);
            int out = d.outputs();
            granule[l] = granule(out, t);
            int g = (out + granule[l] - 1) / granule[l];
            granules[l] = g;
            unitRanges[l] = new Unit[g + 1][g + 1];
            for (int i = 0; i < g; i++) {
                for (int j = i + 1; j <= g; j++) {
                    int first = i * granule[l];
                    unitRanges[l][i][j] = new Unit(d, first, Math.min(j * granule[l], out) - first);
                }
            }
            granuleSquares[l] = new double[g];
        }
        this.ownZ = new Vec[t];
        this.ownA = new Vec[t];
        this.maxFirst = Math.min(layers.getFirst().outputs(), shares.maxRun(granules[0]) * granule[0]);
        for (int p = 0; p < t; p++) {
            ownZ[p] = k.allocate(capacity * maxFirst);
            ownA[p] = k.allocate(capacity * maxFirst);
        }
        this.unitCuts = new int[n][t + 1];
        this.rowCuts = new int[t + 1];
        this.busy = new long[PHASES * t * PAD];
    }

    /**
     * The number of units a cut of a layer of {@code out} units moves by on t threads: a whole panel of the GEMM's
     * register tile (32 float32 lanes with AVX-512) when the layer has at least four per thread, so that a block of
     * units costs no extra partial panel; else halved until it does (a narrow layer can still be shared out); doubled
     * while the layer would have more than {@link #MAX_GRANULES}.
     */
    static int granule(int out, int t) {
        int g = 32;
        while (g > 1 && out / g < 4 * t) {
            g /= 2;
        }
        while ((out + g - 1) / g > MAX_GRANULES) {
            g *= 2;
        }
        return g;
    }

    /**
     * The number of examples a cut of a chunk of m moves by: {@link #ROW_GRANULE} (a register tile of the GEMM), or a
     * multiple of it for a chunk of more than {@link #MAX_GRANULES} tiles. The chunk's costs and figures are summed
     * per group of this many examples, a number that depends on m alone.
     */
    static int rowGranule(int m) {
        int tiles = (m + ROW_GRANULE - 1) / ROW_GRANULE;
        return ROW_GRANULE * ((tiles + MAX_GRANULES - 1) / MAX_GRANULES);
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
                java.util.Arrays.fill(granuleSquares[li], 0.0);
            }
        }
        this.data = data;
        this.order = order;
        this.scale = scale;
        this.measure = sink != null;
        this.lowest = net.lowestTrainable();
        double costSum = 0;
        try {
            for (int c = 0; c < count; c += ws.capacity) {
                chunk = views(Math.min(ws.capacity, count - c));
                chunkFrom = from + c;
                accumulate = c > 0;
                lastChunk = c + ws.capacity >= count;
                for (int l = 0; l < unitCuts.length; l++) {
                    shares.cut(granules[l], unitCuts[l]);
                }
                shares.cut(chunk.groups, rowCuts);
                java.util.Arrays.fill(busy, 0L);
                net.runParts(t, inputsTask);
                net.runParts(t, firstTask);
                net.runParts(t, rowsTask);
                if (lowest >= 0) {
                    net.runParts(t, unitsTask);
                }
                for (int g = 0; g < chunk.groups; g++) { // in a fixed order: the sums do not depend on the cut
                    costSum += chunk.groupCosts[g];
                    if (measure) {
                        sink.add(chunk.groupMetrics[g]);
                    }
                }
                learnSpeeds();
            }
        } finally {
            this.data = null;
            this.order = null;
        }
        return costSum;
    }

    /**
     * Tells {@link #shares} each part's work and busy time over the chunk's phases: in each phase, part p did the
     * fraction of its examples or of the first layer's units that the cut gave it, of a phase whose whole cost is
     * taken as the parts' summed busy time on it.
     */
    private void learnSpeeds() {
        java.util.Arrays.fill(shares.work, 0.0);
        java.util.Arrays.fill(shares.time, 0.0);
        for (int ph = 0; ph < PHASES; ph++) {
            int[] cut = ph == INPUTS || ph == ROWS ? rowCuts : unitCuts[0];
            double total = 0;
            for (int p = 0; p < t; p++) {
                total += busy[(ph * t + p) * PAD];
            }
            for (int p = 0; p < t; p++) {
                shares.work[p] += total * (cut[p + 1] - cut[p]) / cut[t];
                shares.time[p] += busy[(ph * t + p) * PAD];
            }
        }
        shares.learn();
    }

    /**
     * Σ (∂J/∂θ)² over the gradient the last {@link #run} wrote (frozen layers contribute their zeros), summed for
     * each granule of units by the part that wrote its rows, while they were still in that part's cache, and added in
     * the order of the layers and granules, whatever the cut.
     */
    double gradientSquares() {
        double sum = 0;
        for (double[] layer : granuleSquares) {
            for (double s : layer) {
                sum += s;
            }
        }
        return sum;
    }

    /** The whole last chunk, for {@link Network#inspectLastBatch()}. */
    Workspace.Rows lastChunk() {
        return chunk.full;
    }

    /** Phase 1: part p's examples in, scaled. */
    private void inputs(int p) {
        long start = System.nanoTime();
        int i = rowCuts[p], j = rowCuts[p + 1];
        if (i < j) {
            Workspace.Rows r = chunk.rowRanges[i][j];
            data.copyRows(k, order, chunkFrom + i * chunk.granule, r.m, r.x, r.y);
            net.scaleInputs(r);
        }
        busy[(INPUTS * t + p) * PAD] = System.nanoTime() - start;
    }

    /**
     * Phase 2: part p's units' columns of Z₀ = X·W₀ᵀ + b₀ and A₀ = f(Z₀) over all the chunk's examples (of Z₀ alone
     * when f is softmax), into the part's own buffers.
     */
    private void first(int p) {
        long start = System.nanoTime();
        int i = unitCuts[0][p], j = unitCuts[0][p + 1];
        if (i < j) {
            Unit u = unitRanges[0][i][j];
            Workspace.Rows r = chunk.full;
            Dense d = layers.getFirst();
            Vec z = chunk.firstZ[p][i][j];
            if (elementWise(d.activation())) {
                k.denseForward(r.m, u.w, d.inputs(), r.x, u.weights, u.biases, d.activation(), z, chunk.firstA[p][i][j], u.w);
            } else {
                k.denseForward(r.m, u.w, d.inputs(), r.x, u.weights, u.biases, IDENTITY, z, z, u.w);
            }
        }
        busy[(FIRST * t + p) * PAD] = System.nanoTime() - start;
    }

    private static final Activation IDENTITY = new Activation.Identity();

    /** Whether f acts on each element alone (every activation but softmax), so a block of a layer's units can apply it. */
    static boolean elementWise(Activation f) {
        return !(f instanceof Activation.Softmax);
    }

    /**
     * Phase 3: part p's rows of Z₀ and A₀ gathered from every part's own buffers, then its examples through the rest
     * of the forward pass and their deltas down; the cost and figures per group of {@link #rowGranule} examples.
     */
    private void rows(int p) {
        long start = System.nanoTime();
        int i = rowCuts[p], j = rowCuts[p + 1];
        if (i < j) {
            Workspace.Rows r = chunk.rowRanges[i][j];
            Dense first = layers.getFirst();
            int out = first.outputs(), from = i * chunk.granule;
            Unit[][] ranges = unitRanges[0];
            for (int q = 0; q < t; q++) {
                int ui = unitCuts[0][q], uj = unitCuts[0][q + 1];
                if (ui < uj) {
                    Unit u = ranges[ui][uj];
                    k.copy(r.m, u.w, ownZ[q], from * u.w, u.w, chunk.full.z[0], from * out + u.first, out);
                    if (elementWise(first.activation())) {
                        k.copy(r.m, u.w, ownA[q], from * u.w, u.w, chunk.full.a[0], from * out + u.first, out);
                    }
                }
            }
            net.forwardAfterFirstProduct(r);
            for (int g = i; g < j; g++) {
                Workspace.Rows group = chunk.rowRanges[g][g + 1];
                double cs = net.costSum(group);
                chunk.groupCosts[g] = cs;
                if (measure) {
                    RunningMetrics m = chunk.groupMetrics[g];
                    m.clear();
                    net.measure(group, cs, m);
                }
            }
            net.outputDelta(r, scale);
            net.backwardDeltas(r, lowest);
        }
        busy[(ROWS * t + p) * PAD] = System.nanoTime() - start;
    }

    /** Phase 4: part p's rows of each trainable layer's weight gradient and its entries of the bias gradient. */
    private void units(int p) {
        long start = System.nanoTime();
        Workspace.Rows r = chunk.full;
        for (int l = layers.size() - 1; l >= lowest; l--) {
            Dense d = layers.get(l);
            int i = unitCuts[l][p], j = unitCuts[l][p + 1];
            if (d.isFrozen() || i >= j) {
                continue;
            }
            Unit u = unitRanges[l][i][j];
            Vec cols = chunk.deltaCols[l][i][j]; // these units' columns of Δ, rows d.outputs() apart
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
                for (int g = i; g < j; g++) {
                    Unit gu = unitRanges[l][g][g + 1];
                    granuleSquares[l][g] = k.sumSquares(gu.dW) + (d.hasBias() ? k.sumSquares(gu.db) : 0.0);
                }
            }
        }
        busy[(UNITS * t + p) * PAD] = System.nanoTime() - start;
    }

    /** The views for a chunk of m examples. */
    private Views views(int m) {
        if (views[0] != null && views[0].m == m) {
            return views[0];
        }
        Views v = views[1] != null && views[1].m == m ? views[1] : new Views(m);
        views[1] = views[0];
        views[0] = v;
        return v;
    }

    /** One chunk size's views of the shared workspace and the parts' buffers, for every way of cutting them. */
    private final class Views {
        final int m;
        final Workspace.Rows full;
        /** The chunk's {@link #rowGranule}, and how many groups of that many examples it has (the last may be short). */
        final int granule;
        final int groups;
        /** [i][j]: examples [i·g, min(j·g, m)), for groups i &lt; j. */
        final Workspace.Rows[][] rowRanges;
        final double[] groupCosts;
        final RunningMetrics[] groupMetrics;
        /** [layer][i][j]: the columns of Δ of a range of units, as views whose rows are the layer's width apart. */
        final Vec[][][] deltaCols;
        /** [part][i][j]: part p's own buffers holding a range of the first layer's units (m × its units). */
        final Vec[][][] firstZ;
        final Vec[][][] firstA;

        Views(int m) {
            this.m = m;
            this.full = ws.rows(0, m);
            this.granule = rowGranule(m);
            this.groups = (m + granule - 1) / granule;
            this.rowRanges = new Workspace.Rows[groups + 1][groups + 1];
            for (int i = 0; i < groups; i++) {
                for (int j = i + 1; j <= groups; j++) {
                    int from = i * granule;
                    rowRanges[i][j] = ws.rows(from, Math.min(j * granule, m) - from);
                }
            }
            this.groupCosts = new double[groups];
            this.groupMetrics = new RunningMetrics[groups];
            for (int g = 0; g < groups; g++) {
                groupMetrics[g] = new RunningMetrics();
            }
            int n = layers.size();
            this.deltaCols = new Vec[n][][];
            for (int l = 0; l < n; l++) {
                int g = granules[l];
                deltaCols[l] = new Vec[g + 1][g + 1];
                for (int i = 0; i < g; i++) {
                    for (int j = i + 1; j <= g; j++) {
                        Unit u = unitRanges[l][i][j];
                        int len = (m - 1) * layers.get(l).outputs() + u.w;
                        deltaCols[l][i][j] = full.d[l] == null ? null : full.d[l].view(u.first, len);
                    }
                }
            }
            int g0 = granules[0];
            this.firstZ = new Vec[t][g0 + 1][g0 + 1];
            this.firstA = new Vec[t][g0 + 1][g0 + 1];
            for (int p = 0; p < t; p++) {
                for (int i = 0; i < g0; i++) {
                    for (int j = i + 1; j <= g0; j++) {
                        int w = unitRanges[0][i][j].w;
                        if (w <= maxFirst) { // the cut never gives a part more
                            firstZ[p][i][j] = ownZ[p].view(0, m * w);
                            firstA[p][i][j] = ownA[p].view(0, m * w);
                        }
                    }
                }
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
