package dev.backprop;

import dev.backprop.io.ModelFile;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.util.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multilayer feedforward network of fully connected layers, trained by backpropagation.
 *
 * <p>Layer n computes z = W·y + b, a = f(z), W out×in. The network owns one flat parameter vector θ (layer by
 * layer: W row-major, then b) and one flat gradient vector of the same layout; each {@link Dense} layer holds
 * views of both. {@link #computeGradient} fills the gradient with ∂J/∂θ for
 * J = (1/m)·Σᵢ C(aᵢ, yᵢ) + penalty (see {@link Regularization}) by one forward and one backward pass over the
 * batch in matrix form:
 * <ul>
 * <li>δ_N = ∂C/∂z_N at the output (fused for softmax/cross-entropy and sigmoid/binary cross-entropy),</li>
 * <li>δ_n = f'(z_n) ⊙ W_nᵀ·δ_{n+1} going down,</li>
 * <li>∂C/∂W_n = δ_{n+1}·y_nᵀ and ∂C/∂b_n = δ_{n+1}, averaged over the batch.</li>
 * </ul>
 *
 * <p>Not thread-safe: a network owns scratch buffers that every computation reuses.
 */
public final class Network {
    /** Largest number of examples pushed through the network at once; bigger batches are processed in chunks. */
    public static final int CHUNK_ROWS = 1024;

    private final int inputs;
    private final List<Dense> layers;
    private final Cost cost;
    private final Kernels kernels;
    private final Vec params;
    private final Vec grads;
    private final Task task;
    final Head head;
    private final Map<String, String> provenance = new LinkedHashMap<>();
    private InputScaling scaling;
    private Vec scalingCenter;
    private Vec scalingScale;
    private List<String> inputNames = List.of();
    private List<String> outputNames = List.of();
    private final List<Workspace> workspaces = new ArrayList<>(2);
    private Workspace.Rows lastRows;
    private RPass rPass;
    private GaussNewton gaussNewton;
    private int threads = 1;
    private Part[] parts = new Part[0];
    private Workers workers;
    private static final java.lang.ref.Cleaner WORKER_CLEANER = java.lang.ref.Cleaner.create();
    private SplitPass split;
    private double gradientSquares = Double.NaN;

    /** The fused output-layer forms (see {@link Cost}). */
    enum Head { SOFTMAX_CROSS_ENTROPY, SOFTMAX_KULLBACK_LEIBLER, SIGMOID_BINARY_CROSS_ENTROPY, GENERIC }

    Network(int inputs, List<LayerSpec> specs, Cost cost, Kernels kernels) {
        this.inputs = inputs;
        this.cost = cost;
        this.kernels = kernels;
        long total = 0;
        int width = inputs;
        for (LayerSpec s : specs) {
            total += (long) width * s.outputs() + (s.bias() ? s.outputs() : 0);
            width = s.outputs();
        }
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the network would have " + total + " parameters; at most " + (Integer.MAX_VALUE - 16)
                    + " fit in one flat vector");
        }
        this.params = kernels.allocate((int) total);
        this.grads = kernels.allocate((int) total);
        List<Dense> built = new ArrayList<>(specs.size());
        int offset = 0;
        width = inputs;
        for (int l = 0; l < specs.size(); l++) {
            Dense d = new Dense(l, width, specs.get(l), offset, params, grads);
            built.add(d);
            offset += d.parameterCount();
            width = d.outputs();
        }
        this.layers = Collections.unmodifiableList(built);
        Activation out = outputLayer().activation();
        this.task = Task.of(out, cost);
        if (out instanceof Activation.Softmax && cost instanceof Cost.CrossEntropy) {
            head = Head.SOFTMAX_CROSS_ENTROPY;
        } else if (out instanceof Activation.Softmax && cost instanceof Cost.KullbackLeibler) {
            head = Head.SOFTMAX_KULLBACK_LEIBLER;
        } else if (out instanceof Activation.Sigmoid && cost instanceof Cost.BinaryCrossEntropy) {
            head = Head.SIGMOID_BINARY_CROSS_ENTROPY;
        } else {
            head = Head.GENERIC;
        }
    }

    /** Starts describing a network that takes {@code inputs} features. */
    public static NetworkBuilder builder(int inputs) {
        return new NetworkBuilder(inputs);
    }

    /** Draws all weights and biases afresh from {@code seed}, layer by layer. */
    public void initialize(Init init, long seed) {
        Rng rng = new Rng(seed);
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            init.initialize(d.weights(), d.biases(), d.inputs(), d.outputs(), rng);
        }
    }

    // ------------------------------------------------------------------ structure

    /** Width of the input. */
    public int inputs() {
        return inputs;
    }

    /** Width of the output. */
    public int outputs() {
        return outputLayer().outputs();
    }

    /** The layers, input side first (unmodifiable). */
    public List<Dense> layers() {
        return layers;
    }

    /** Layer l (0 reads the inputs). */
    public Dense layer(int l) {
        if (l < 0 || l >= layers.size()) {
            throw new IllegalArgumentException("layer " + l + " does not exist: the network has layers 0.." + (layers.size() - 1));
        }
        return layers.get(l);
    }

    /** The output layer. */
    public Dense outputLayer() {
        return layers.getLast();
    }

    /** The layer descriptions, input side first. */
    public List<LayerSpec> specs() {
        return layers.stream().map(Dense::spec).toList();
    }

    /** The cost the network is trained on. */
    public Cost cost() {
        return cost;
    }

    /** What the outputs mean (decides the metrics). */
    public Task task() {
        return task;
    }

    /** The precision of parameters and arithmetic. */
    public Precision precision() {
        return kernels.precision();
    }

    /** The kernels the network computes with. */
    public Kernels kernels() {
        return kernels;
    }

    /** Total number of parameters (weights and biases). */
    public int parameterCount() {
        return params.length();
    }

    // ------------------------------------------------------------------ parameters

    /** The flat parameter vector θ (live: changing it changes the network). */
    public Vec parameters() {
        return params;
    }

    /** The flat gradient vector ∂J/∂θ written by {@link #computeGradient} (live). */
    public Vec gradient() {
        return grads;
    }

    /** A copy of θ as doubles. */
    public double[] parameterArray() {
        return params.toDoubleArray();
    }

    /** Sets θ from doubles (rounded to the network's precision). */
    public void setParameters(double[] theta) {
        if (theta.length != params.length()) {
            throw new IllegalArgumentException("expected " + params.length() + " parameters, got " + theta.length);
        }
        params.copyFrom(theta, 0, 0, theta.length);
    }

    /** Freezes layers: training leaves their weights and biases bit-identical. */
    public void freeze(int... layerIndices) {
        for (int l : layerIndices) {
            layer(l).setFrozen(true);
        }
    }

    /** Lets frozen layers learn again. */
    public void unfreeze(int... layerIndices) {
        for (int l : layerIndices) {
            layer(l).setFrozen(false);
        }
    }

    /** Whether any layer can learn. */
    public boolean hasTrainableLayers() {
        return lowestTrainable() >= 0;
    }

    int lowestTrainable() {
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            if (!d.isFrozen()) {
                return d.index();
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ inputs and outputs

    /** The scaling applied to raw inputs before the first layer, or null if inputs are used as they are. */
    public InputScaling inputScaling() {
        return scaling;
    }

    /**
     * Sets the scaling applied to every input before the first layer (null removes it). It becomes part of the
     * model: training, evaluation and prediction all take raw features from then on.
     */
    public void setInputScaling(InputScaling s) {
        if (s != null && s.features() != inputs) {
            throw new IllegalArgumentException("the scaling is for " + s.features() + " features but the network takes " + inputs);
        }
        this.scaling = s;
        this.scalingCenter = s == null ? null : Vec.of(precision(), s.center());
        this.scalingScale = s == null ? null : Vec.of(precision(), s.scale());
    }

    /** Names of the input features (for example CSV column names), or an empty list. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** Names the input features; the list must be empty or have one name per input. */
    public void setInputNames(List<String> names) {
        checkNames(names, inputs, "input");
        this.inputNames = List.copyOf(names);
    }

    /** Names of the outputs (class names for classification, target names for regression), or an empty list. */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * Names the outputs; the list must be empty or have one name per output, except that a single yes/no output
     * (sigmoid with binary cross-entropy) takes two: the class for 0, then the class for 1.
     */
    public void setOutputNames(List<String> names) {
        if (!(outputs() == 1 && task == Task.BINARY_CLASSIFICATION && names.size() == 2)) {
            checkNames(names, outputs(), "output");
        }
        this.outputNames = List.copyOf(names);
    }

    private static void checkNames(List<String> names, int n, String what) {
        if (!names.isEmpty() && names.size() != n) {
            throw new IllegalArgumentException(names.size() + " " + what + " names for " + n + " " + what + "s");
        }
    }

    // ------------------------------------------------------------------ provenance

    /** Where this network came from (seed, data fingerprint, options, library version...), in insertion order. */
    public Map<String, String> provenance() {
        return Collections.unmodifiableMap(provenance);
    }

    /** Forgets all provenance entries. */
    public void clearProvenance() {
        provenance.clear();
    }

    /** Records one provenance entry (replacing an earlier one of the same key). */
    public void putProvenance(String key, String value) {
        provenance.put(key, value);
    }

    // ------------------------------------------------------------------ computation

    /** The network's output for one example. */
    public double[] predict(double[] x) {
        return predict(new double[][] {x})[0];
    }

    /** The network's outputs for a batch of examples (rows). */
    public double[][] predict(double[][] x) {
        double[][] out = new double[x.length][];
        int cap = Math.max(1, Math.min(x.length, CHUNK_ROWS));
        Workspace ws = workspace(cap);
        for (int c = 0; c < x.length; c += cap) {
            int m = Math.min(cap, x.length - c);
            Workspace.Rows r = ws.rows(m);
            for (int i = 0; i < m; i++) {
                if (x[c + i].length != inputs) {
                    throw new IllegalArgumentException("example " + (c + i) + " has " + x[c + i].length
                            + " features but the network takes " + inputs);
                }
                r.x.copyFrom(x[c + i], 0, i * inputs, inputs);
            }
            forward(r);
            for (int i = 0; i < m; i++) {
                out[c + i] = new double[outputs()];
                r.output().copyTo(out[c + i], i * outputs(), 0, outputs());
            }
        }
        return out;
    }

    /** The network's outputs for every example of a dataset. */
    public double[][] predict(Dataset data) {
        checkShape(data);
        double[][] out = new double[data.size()][outputs()];
        int cap = Math.min(data.size(), CHUNK_ROWS);
        Workspace ws = workspace(cap);
        for (int c = 0; c < data.size(); c += cap) {
            int m = Math.min(cap, data.size() - c);
            Workspace.Rows r = ws.rows(m);
            data.copyRows(kernels, null, c, m, r.x, r.y);
            forward(r);
            for (int i = 0; i < m; i++) {
                r.output().copyTo(out[c + i], i * outputs(), 0, outputs());
            }
        }
        return out;
    }

    /** Cost, accuracy (classification) or MSE and R² (regression) of the network on a dataset. */
    public Evaluation evaluate(Dataset data) {
        checkShape(data);
        RunningMetrics metrics = new RunningMetrics();
        pass(data, null, 0, data.size(), false, metrics);
        return metrics.toEvaluation(task, data.targetTotalSumOfSquares());
    }

    /** Adds the cost, squared error and correct classifications of the rows just forwarded. */
    void measure(Workspace.Rows r, double costSum, RunningMetrics metrics) {
        metrics.examples += r.m;
        metrics.outputs += (long) r.m * outputs();
        metrics.costSum += costSum;
        metrics.sse += kernels.sumSquaredDifference(r.output(), r.y);
        if (task == Task.CLASSIFICATION) {
            metrics.matches += kernels.argmaxMatches(r.output(), r.y, r.m, outputs());
        } else if (task == Task.BINARY_CLASSIFICATION) {
            metrics.matches += kernels.thresholdMatches(r.output(), r.y, 0.5);
        }
    }

    /** The objective J = (1/n)·Σ C + penalty over a whole dataset, without touching the gradient. */
    public double objective(Dataset data, Regularization reg) {
        checkShape(data);
        return pass(data, null, 0, data.size(), false, null) / data.size() + penalty(reg, false);
    }

    /** Fills {@link #gradient()} with ∂J/∂θ over the whole dataset (full batch) and returns J. */
    public double computeGradient(Dataset data, Regularization reg) {
        return computeGradient(data, null, 0, data.size(), reg, null);
    }

    /**
     * Fills {@link #gradient()} with ∂J/∂θ for the batch of examples {@code order[from .. from+count)} (or
     * examples {@code from .. from+count} when {@code order} is null) and returns J on that batch. Entries of
     * frozen layers are left at zero. Batches larger than {@link #CHUNK_ROWS} are processed in chunks whose
     * gradients are summed, so memory stays bounded. When {@code metrics} is not null, the batch's cost, errors
     * and correct classifications are added to it.
     */
    public double computeGradient(Dataset data, int[] order, int from, int count, Regularization reg, RunningMetrics metrics) {
        checkShape(data);
        if (count < 1) {
            throw new IllegalArgumentException("a batch needs at least one example, got " + count);
        }
        double costSum = pass(data, order, from, count, true, metrics);
        double value = costSum / count + penalty(reg, true);
        if (reg.l1() != 0 || reg.l2() != 0) {
            gradientSquares = Double.NaN; // the penalty's gradient was added after the pass summed the squares
        }
        return value;
    }

    /**
     * Σ (∂J/∂θ)² over the gradient that the last computation, a {@link #computeGradient} call, wrote (the entries of
     * frozen layers are zero), when that pass could sum it while writing it: on several threads each thread sums the
     * entries it wrote while they are still in its cache, which saves a pass over the gradient. NaN when it could
     * not (one thread, a weight penalty) or when the last computation was not a gradient; then compute it from
     * {@link #gradient()}.
     */
    public double lastGradientSquares() {
        return gradientSquares;
    }

    /**
     * Runs examples {@code order[from .. from+count)} forward (and, with {@code gradient}, backward into
     * {@link #gradient()}, scaled by 1/count), split over up to {@link #threads()} threads: without a gradient, in
     * contiguous blocks of examples; with one, as {@link SplitPass} describes. Parts are combined in a fixed order.
     * Returns Σ C; adds the batch's figures to {@code metrics} if not null.
     */
    private double pass(Dataset data, int[] order, int from, int count, boolean gradient, RunningMetrics metrics) {
        int t = gradient ? splitParts(count) : partsFor(count);
        ensureParts(t);
        gradientSquares = Double.NaN;
        if (gradient && t > 1) {
            int cap = Math.min(count, CHUNK_ROWS);
            if (split == null || split.t != t || split.ws.capacity < cap) { // a larger workspace serves smaller batches
                split = new SplitPass(this, t, cap, split != null && split.t == t ? split.shares : new Shares(t));
            }
            double costSum = split.run(data, order, from, count, 1.0 / count, metrics);
            lastRows = split.lastChunk();
            gradientSquares = split.gradientSquares();
            return costSum;
        }
        int base = count / t;
        int extra = count % t;
        boolean measure = metrics != null;
        if (passStarts.length < t + 1) {
            passStarts = new int[t + 1];
        }
        passStarts[0] = from;
        for (int p = 0; p < t; p++) {
            passStarts[p + 1] = passStarts[p] + base + (p < extra ? 1 : 0);
        }
        passData = data;
        passOrder = order;
        passScale = 1.0 / count;
        passGradient = gradient;
        passMeasure = measure;
        try {
            runParts(t, passTask);
        } finally {
            passData = null;
            passOrder = null;
        }
        double costSum = 0;
        for (int p = 0; p < t; p++) { // fixed order: the result does not depend on scheduling
            costSum += parts[p].costSum;
            if (measure) {
                metrics.add(parts[p].metrics);
            }
        }
        lastRows = parts[0].last;
        return costSum;
    }

    // The arguments of the pass under way, read by the parts: set before and cleared after each pass, so that a
    // step hands work to the threads without allocating.
    private int[] passStarts = new int[0];
    private Dataset passData;
    private int[] passOrder;
    private double passScale;
    private boolean passGradient;
    private boolean passMeasure;
    private final java.util.function.IntConsumer passTask = this::passPart;

    private void passPart(int p) {
        parts[p].run(passData, passOrder, passStarts[p], passStarts[p + 1] - passStarts[p], passScale, passGradient, passMeasure);
    }

    /**
     * Runs {@code part.accept(p)} for p = 0..t−1 (t ≤ {@link #threads()}): part 0 on the calling thread, the others
     * on the network's workers, and returns once every one has finished, rethrowing the first failure. Callers
     * combine the parts' results in the order of p, so results do not depend on scheduling.
     */
    void runParts(int t, java.util.function.IntConsumer part) {
        if (t > threads) {
            throw new IllegalArgumentException(t + " parts but only " + threads + " threads");
        }
        if (t == 1) {
            part.accept(0);
            return;
        }
        ensureParts(t);
        workers.run(t, part);
    }

    /**
     * Runs {@code part.accept(p)} for p = 0..parts−1 at once on this network's threads (part 0 on the caller) and
     * returns when all have finished. For work that is split in a fixed way, such as an optimizer updating
     * contiguous slices of the parameters: which thread runs a part never changes what it computes.
     *
     * @throws IllegalArgumentException if parts exceeds {@link #threads()}
     */
    public void parallel(int parts, java.util.function.IntConsumer part) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, got " + parts);
        }
        runParts(parts, part);
    }

    /**
     * Cuts {@code pieces} equal pieces of some element-wise work (an optimizer's update of a large block) into
     * {@code parts} contiguous runs, part p getting pieces [into[p], into[p+1]): in proportion to the threads'
     * speeds as the last split pass learned them ({@link Shares}), so that the thread on a slower core gets less;
     * evenly when no batch has been split over that many threads. Which thread updates which elements never changes
     * an element-wise result.
     *
     * @throws IllegalArgumentException if {@code into} does not have parts + 1 entries
     */
    public void shareOut(int pieces, int parts, int[] into) {
        if (into.length != parts + 1) {
            throw new IllegalArgumentException(parts + " parts need " + (parts + 1) + " cut points, got " + into.length);
        }
        if (split != null && split.t == parts) {
            split.shares.cut(pieces, into);
        } else {
            Shares.evenCut(pieces, into);
        }
    }

    /**
     * The number of units at which a split pass over {@code threads} threads cuts a layer of {@code units} units (a
     * panel of the GEMM's register tile, fewer for a narrow layer, more for a very wide one): an optimizer that cuts a
     * weight matrix into pieces of this many rows gives each thread the rows whose gradient it computed.
     */
    public static int unitGranule(int units, int threads) {
        return SplitPass.granule(units, threads);
    }

    /** The shares of the last split pass's threads (for tests), or null when no batch has been split yet. */
    Shares splitShares() {
        return split == null ? null : split.shares;
    }

    /**
     * How many parts a pass over {@code count} examples without the split pass's units is cut into (a forward pass,
     * and the row-split passes of second-order methods): at most {@link #threads()}, and none too small.
     */
    int partsFor(int count) {
        return Math.max(1, Math.min(threads, count / MIN_ROWS_PER_THREAD));
    }

    /** Below this many examples per thread a batch is not split (the hand-off would cost more than it saves). */
    static final int MIN_ROWS_PER_THREAD = 32;

    /**
     * How many threads a gradient pass over {@code count} examples uses ({@link SplitPass}): all of them when the
     * network has at least {@link #SPLIT_PARAMETERS} parameters, whatever the batch (one example included), or when
     * the batch has at least {@link #SPLIT_ROWS} examples; else one. A split pass cuts each layer's units as well as
     * the examples, so what it is worth depends on the network's size more than on the batch's: the weights are read
     * in the forward product and the gradient written, once per step, each thread its own share.
     */
    int splitParts(int count) {
        return threads > 1 && (parameterCount() >= SPLIT_PARAMETERS || count >= SPLIT_ROWS) ? threads : 1;
    }

    /**
     * From this many parameters a gradient pass is split over the threads at any batch size. Measured on this
     * project's 2-core machine (2026-11-23, microseconds per Adam step on two threads split against one thread,
     * ReLU layers and softmax): 784-256-128-10 (235,146 parameters) at batch 1 and 2: 216 against 447, 217
     * against 442 (and W1 at batch 32, {@code bench/run w1 --batch 32}: 0.708 against 1.317 s per epoch); 784-64-10 (50,890) at batch 1 and 16: 46 against
     * 68, 64 against 89; 784-50-10 (39,760) at batch 1 and 8: 39 against 56, 50 against 65; 400-100-10 (41,110) at
     * batch 8: 53 against 63; but 500-64-10 (32,714) at batch 1 and 8: 52 against 45, 62 against 48; 784-40-10
     * (31,810) at batch 16: 79 against 65; 200-128-10 (27,018) at batch 16 and 64: 65 against 49, 114 against 110.
     */
    static final int SPLIT_PARAMETERS = 36_000;

    /**
     * From this many examples a gradient pass is split over the threads however small the network. Measured as for
     * {@link #SPLIT_PARAMETERS}: 4-8-3 at batch 64, 256 and 1,024: 22 against 15, 48 against 51, 173 against 209
     * µs; 20-64-5 at batch 128 and 512: 58 against 47, 155 against 180; 784-32-10 at batch 64 and 128: 132 against
     * 103, 193 against 197; 100-200-10 at batch 64 and 128: 124 against 107, 169 against 188; 10-16-2 at batch 128
     * and 442: 33 against 28, 94 against 94.
     */
    static final int SPLIT_ROWS = 256;

    /**
     * How many threads {@link #computeGradient} may split a batch over (default 1). Each thread takes a contiguous
     * part of the batch forward and its deltas down, then writes its share of each layer's units' gradient over the
     * whole batch ({@link SplitPass}); the costs are summed in a fixed order, so any thread count gives the same
     * bits. A network of fewer than 36,000 parameters splits only batches of 256 examples or more (see
     * {@link #SPLIT_PARAMETERS}).
     */
    public void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        if (n != threads && workers != null) {
            workers.shutdown();
            workers = null;
        }
        threads = n;
    }

    /** The number of threads {@link #computeGradient} may use. */
    public int threads() {
        return threads;
    }

    private void ensureParts(int t) {
        if (parts.length < t) {
            Part[] more = java.util.Arrays.copyOf(parts, t);
            for (int p = parts.length; p < t; p++) {
                more[p] = new Part();
            }
            parts = more;
        }
        if (t > 1 && workers == null) {
            workers = new Workers(threads - 1);
            WORKER_CLEANER.register(this, workers::shutdown); // the threads end once this network is unreachable
        }
    }

    /**
     * One thread's share of a pass over a block of examples: its scratch and its figures. Only part 0 computes a
     * gradient this way (into the network's gradient vector); several threads share one as {@link SplitPass}.
     */
    private final class Part {
        final RunningMetrics metrics = new RunningMetrics();
        Workspace ws;
        double costSum;
        Workspace.Rows last;

        /**
         * Forward over examples {@code order[from .. from+count)} in chunks, and with {@code gradient} the gradient
         * of scale·Σ C into the network's gradient vector.
         */
        void run(Dataset data, int[] order, int from, int count, double scale, boolean gradient, boolean measure) {
            if (gradient) {
                // the first chunk's backward overwrites the trainable layers' gradients; frozen ones are only zeroed
                for (int li = 0, ln = layers.size(); li < ln; li++) {
                    Dense d = layers.get(li);
                    if (d.isFrozen()) {
                        kernels.fill(d.weightGradient(), 0.0);
                        kernels.fill(d.biasGradient(), 0.0);
                    }
                }
            }
            costSum = 0;
            metrics.clear();
            int cap = Math.min(count, CHUNK_ROWS);
            if (ws == null || ws.capacity < cap) {
                ws = new Workspace(kernels, inputs, layers, cap);
            }
            for (int c = 0; c < count; c += cap) {
                int m = Math.min(cap, count - c);
                Workspace.Rows r = ws.rows(m);
                data.copyRows(kernels, order, from + c, m, r.x, r.y);
                forward(r, false);
                double cs = costSum(r);
                costSum += cs;
                if (measure) {
                    measure(r, cs, metrics);
                }
                if (gradient) {
                    outputDelta(r, scale);
                    backward(r, c > 0);
                }
                last = r;
            }
        }
    }

    /**
     * Writes H·v into {@code hv}, where H = ∂²J/∂θ² is the Hessian of the objective J over the whole dataset and
     * v a direction in the layout of the flat parameter vector: Pearlmutter's R-operator, one forward and one
     * backward R-pass (in the network's precision; float64 for second-order work). Entries of frozen layers are
     * treated as fixed: their part of v is ignored and their part of H·v is zero. The L1 penalty, piecewise
     * linear, contributes nothing.
     */
    public void hessianVector(Dataset data, Regularization reg, Vec v, Vec hv) {
        checkShape(data);
        if (v.length() != params.length() || hv.length() != params.length()) {
            throw new IllegalArgumentException("Hessian-vector product: v and hv need " + params.length() + " entries, got " + v.length()
                    + " and " + hv.length());
        }
        int cap = Math.min(data.size(), CHUNK_ROWS);
        if (rPass == null || rPass.capacity < cap) {
            rPass = new RPass(this, cap);
        }
        rPass.hessianVector(data, reg, v, hv);
    }

    /**
     * The Gauss–Newton normal equations of J for a sum-of-squares cost ({@link Cost#isSumOfSquares()}: the
     * quadratic cost, residuals ρ = a − y, or Hellinger, ρ = 2^¼(√a − √y)): returns J and writes JᵀJ and Jᵀr of
     * the residuals ρ/√n, augmented by the L2 penalty (λ₂ on the diagonal of the weights, λ₂·W in Jᵀr), so
     * that Jᵀr = ∂J/∂θ and JᵀJ is the Gauss–Newton approximation of ∂²J/∂θ². Both are over the trainable
     * parameters only, in the order of the flat vector (frozen layers left out): {@code jtj} is t×t row-major
     * and {@code jtr} has t entries, t = {@link #trainableParameterCount()}.
     *
     * @throws IllegalArgumentException if the cost is not a sum of squares or the penalty has an L1 part
     */
    public double normalEquations(Dataset data, Regularization reg, Vec jtj, Vec jtr) {
        return normalEquations(data, reg, 1.0 / Math.sqrt(data.size()), jtj, jtr);
    }

    /**
     * The same for residuals s·ρ (with s = 1: the raw sum of squares ½·Σρ², as Bayesian regularization needs); the L2 part of {@code reg} is added as in {@link #normalEquations(Dataset, Regularization, Vec, Vec)}.
     */
    public double normalEquations(Dataset data, Regularization reg, double s, Vec jtj, Vec jtr) {
        checkShape(data);
        if (!cost.isSumOfSquares()) {
            throw new IllegalArgumentException("the Gauss-Newton normal equations need a sum-of-squares cost (quadratic or hellinger); this"
                    + " network's cost is " + cost.id() + " (use a method that needs only gradients: L-BFGS, conjugate gradient, Newton)");
        }
        if (reg.l1() != 0) {
            throw new IllegalArgumentException("an L1 penalty is not a sum of squares; Levenberg-Marquardt cannot take it (use L-BFGS)");
        }
        int t = trainableParameterCount();
        if (jtj.length() != (long) t * t || jtr.length() != t) {
            throw new IllegalArgumentException("normal equations need a " + t + "x" + t + " matrix and " + t + " entries");
        }
        if (gaussNewton == null || !gaussNewton.matches(data.size())) {
            gaussNewton = new GaussNewton(this, data.size());
        }
        double value = gaussNewton.normalEquations(data, s, jtj, jtr);
        if (reg.l2() != 0) {
            int col = 0;
            for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
                Dense d = layers.get(li);
                if (d.isFrozen()) {
                    continue;
                }
                int nw = d.inputs() * d.outputs();
                for (int i = 0; i < nw; i++) {
                    int c = col + i;
                    jtj.set(c * t + c, jtj.get(c * t + c) + reg.l2());
                }
                kernels.axpy(reg.l2(), d.weights(), jtr.view(col, nw));
                col += d.parameterCount();
            }
        }
        return value + penalty(reg, false);
    }

    /**
     * The residuals s·ρ(a, y) of a sum-of-squares cost ({@link Cost#isSumOfSquares()}) for every example and output,
     * example by example into {@code out} (n·k entries), so that ½·Σ out² is s² times the summed cost.
     *
     * @throws IllegalArgumentException if the cost is not a sum of squares or {@code out} has the wrong length
     */
    public void residuals(Dataset data, double s, double[] out) {
        checkShape(data);
        if (!cost.isSumOfSquares()) {
            throw new IllegalArgumentException("residuals need a sum-of-squares cost (quadratic or hellinger); this network's cost is " + cost.id());
        }
        if (out.length != data.size() * outputs()) {
            throw new IllegalArgumentException("residuals: " + data.size() + " examples x " + outputs() + " outputs need " + data.size() * outputs()
                    + " entries, got " + out.length);
        }
        if (gaussNewton == null || !gaussNewton.matches(data.size())) {
            gaussNewton = new GaussNewton(this, data.size());
        }
        gaussNewton.residuals(data, s, out);
    }

    /** Number of parameters in layers that are not frozen. */
    public int trainableParameterCount() {
        int t = 0;
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            t += d.isFrozen() ? 0 : d.parameterCount();
        }
        return t;
    }

    /**
     * Figures about the last batch (or chunk) pushed through the network, for diagnosing a diverging run:
     * the largest input and target magnitudes and, per layer, the fraction of saturated units and the largest
     * |z|.
     */
    public BatchInspection inspectLastBatch() {
        if (lastRows == null) {
            throw new IllegalStateException("nothing has been computed yet");
        }
        Workspace.Rows r = lastRows;
        double[] saturated = new double[layers.size()];
        double[] maxZ = new double[layers.size()];
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            int l = d.index();
            saturated[l] = (double) kernels.countSaturated(d.activation(), r.z[l], r.a[l], r.m, d.outputs()) / ((long) r.m * d.outputs());
            maxZ[l] = kernels.maxAbs(r.z[l]);
        }
        return new BatchInspection(kernels.maxAbs(r.x), kernels.maxAbs(r.y), saturated, maxZ);
    }

    /**
     * Diagnostic figures about one batch.
     *
     * @param maxAbsInput       largest |x| among the batch's features
     * @param maxAbsTarget      largest |y| among its targets
     * @param saturatedFraction per layer, the fraction of units in the flat part of their activation
     * @param maxAbsPreActivation per layer, the largest |z|
     */
    public record BatchInspection(double maxAbsInput, double maxAbsTarget, double[] saturatedFraction, double[] maxAbsPreActivation) {
    }

    private void forward(Workspace.Rows r) {
        forward(r, true);
    }

    void forward(Workspace.Rows r, boolean record) {
        scaleInputs(r);
        Vec in = r.x;
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            d.forward(kernels, in, r.z[d.index()], r.a[d.index()], r.m);
            in = r.a[d.index()];
        }
        if (record) {
            lastRows = r;
        }
    }

    /** Applies the model's input scaling (if any) to the rows' raw inputs, in place. */
    void scaleInputs(Workspace.Rows r) {
        if (scaling != null) {
            kernels.standardize(r.x, scalingCenter, scalingScale, r.m, inputs);
        }
    }

    /**
     * The forward pass after the first layer's product, for rows whose Z₀ = X·W₀ᵀ + b₀ is computed and, when the first
     * layer's activation acts element by element, A₀ too (else it is applied here: softmax needs whole rows).
     */
    void forwardAfterFirstProduct(Workspace.Rows r) {
        Dense first = layers.getFirst();
        if (!SplitPass.elementWise(first.activation())) {
            kernels.activate(first.activation(), r.z[0], r.a[0], r.m, first.outputs());
        }
        for (int li = 1, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            d.forward(kernels, r.a[li - 1], r.z[li], r.a[li], r.m);
        }
    }

    double costSum(Workspace.Rows r) {
        int n = layers.size() - 1;
        int k = outputs();
        return switch (head) {
            case SOFTMAX_CROSS_ENTROPY -> kernels.softmaxCrossEntropy(r.z[n], r.y, r.m, k);
            case SOFTMAX_KULLBACK_LEIBLER -> kernels.softmaxCrossEntropy(r.z[n], r.y, r.m, k) + kernels.sumXLogX(r.y);
            case SIGMOID_BINARY_CROSS_ENTROPY -> kernels.sigmoidBinaryCrossEntropy(r.z[n], r.y);
            case GENERIC -> kernels.cost(cost, r.a[n], r.y, r.m, k);
        };
    }

    /** d_N = scale·∂C/∂z_N. */
    void outputDelta(Workspace.Rows r, double scale) {
        int n = layers.size() - 1;
        int k = outputs();
        switch (head) {
            case SOFTMAX_CROSS_ENTROPY, SOFTMAX_KULLBACK_LEIBLER -> kernels.softmaxCrossEntropyDelta(r.a[n], r.y, scale, r.d[n], r.m, k);
            case SIGMOID_BINARY_CROSS_ENTROPY -> kernels.scaledDifference(scale, r.a[n], r.y, r.d[n]);
            case GENERIC -> {
                kernels.costGradient(cost, r.a[n], r.y, scale, r.d[n], r.m, k);
                kernels.activationBackward(outputLayer().activation(), r.z[n], r.a[n], r.d[n], r.d[n], r.m, k);
            }
        }
    }

    /**
     * Backpropagates the rows' output deltas from d_N down to the lowest trainable layer, writing ∂J/∂θ of the rows
     * into the network's gradient vector (added to it with {@code accumulate}).
     */
    private void backward(Workspace.Rows r, boolean accumulate) {
        int lowest = lowestTrainable();
        if (lowest < 0) {
            return;
        }
        for (int l = layers.size() - 1; l >= lowest; l--) {
            Dense d = layers.get(l);
            Vec in = l == 0 ? r.x : r.a[l - 1];
            d.backward(kernels, in, r.d[l], r.m, accumulate);
            if (l > lowest) { // the delta of the layer below, its activation's derivative fused into the product
                Dense below = layers.get(l - 1);
                kernels.propagateDelta(r.m, d.inputs(), d.outputs(), r.d[l], d.weights(), below.activation(), r.z[l - 1], r.a[l - 1],
                        r.d[l - 1]);
            }
        }
    }

    /**
     * The deltas only: d_{n−1} = f'(z_{n−1}) ⊙ d_n·W_n for n from the output layer down to {@code lowest} + 1, the
     * rows' share of {@link SplitPass}'s first phase (nothing when lowest is −1 or the output layer).
     */
    void backwardDeltas(Workspace.Rows r, int lowest) {
        for (int l = layers.size() - 1; l > lowest && l > 0; l--) {
            Dense d = layers.get(l);
            Dense below = layers.get(l - 1);
            kernels.propagateDelta(r.m, d.inputs(), d.outputs(), r.d[l], d.weights(), below.activation(), r.z[l - 1], r.a[l - 1], r.d[l - 1]);
        }
    }

    /** The weight penalty (λ₂/2)·Σ‖W‖² + λ₁·Σ|W| at the current weights (all layers, frozen ones too). */
    public double penalty(Regularization reg) {
        return penalty(reg, false);
    }

    /** (λ₂/2)Σ‖W‖² + λ₁Σ|W| over all layers; with {@code addGradient}, adds λ₂W + λ₁sign(W) to trainable layers' ∂J/∂W. */
    private double penalty(Regularization reg, boolean addGradient) {
        if (reg.isNone()) {
            return 0;
        }
        double p = 0;
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            if (reg.l2() != 0) {
                p += 0.5 * reg.l2() * kernels.sumSquares(d.weights());
                if (addGradient && !d.isFrozen()) {
                    kernels.axpy(reg.l2(), d.weights(), d.weightGradient());
                }
            }
            if (reg.l1() != 0) {
                p += reg.l1() * kernels.sumAbs(d.weights());
                if (addGradient && !d.isFrozen()) {
                    kernels.addSign(reg.l1(), d.weights(), d.weightGradient());
                }
            }
        }
        return p;
    }

    private Workspace workspace(int capacity) {
        for (Workspace w : workspaces) {
            if (w.capacity == capacity) {
                return w;
            }
        }
        if (workspaces.size() == 2) {
            workspaces.removeFirst();
        }
        Workspace w = new Workspace(kernels, inputs, layers, capacity);
        workspaces.add(w);
        return w;
    }

    private void checkShape(Dataset data) {
        if (data.features() != inputs) {
            throw new IllegalArgumentException("the data has " + data.features() + " feature columns but the network takes "
                    + inputs + " inputs");
        }
        if (data.targets() != outputs()) {
            throw new IllegalArgumentException("the data has " + data.targets() + " target columns but the network has "
                    + outputs() + " outputs");
        }
    }

    // ------------------------------------------------------------------ copies and files

    /** A deep copy in another precision (parameters rounded or widened), with the same frozen layers and provenance. */
    public Network toPrecision(Precision precision) {
        return copy(Kernels.preferred(precision));
    }

    /** A deep copy with the same kernels. */
    public Network copy() {
        return copy(kernels);
    }

    /** A deep copy that computes with other kernels (of any precision). */
    public Network copy(Kernels target) {
        Network n = new Network(inputs, specs(), cost, target);
        n.params.copyFrom(params, 0, 0, params.length());
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            n.layers.get(d.index()).setFrozen(d.isFrozen());
        }
        n.provenance.putAll(provenance);
        n.setInputScaling(scaling);
        n.threads = threads;
        n.inputNames = inputNames;
        n.outputNames = outputNames;
        return n;
    }

    /** Writes the network to a model file (JSON, see docs/model-format.md), atomically. */
    public void save(Path file) throws IOException {
        ModelFile.write(this, file);
    }

    /** Reads a network from a model file. */
    public static Network load(Path file) throws IOException {
        return ModelFile.read(file);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Network(").append(inputs);
        for (int li = 0, ln = layers.size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = layers.get(li);
            sb.append(" -> ").append(d.outputs()).append(':').append(d.activation().id());
            if (!d.hasBias()) {
                sb.append("(no bias)");
            }
            if (d.isFrozen()) {
                sb.append("(frozen)");
            }
        }
        return sb.append(", cost ").append(cost.id()).append(", ").append(precision().id()).append(", ")
                .append(parameterCount()).append(" parameters)").toString();
    }
}
