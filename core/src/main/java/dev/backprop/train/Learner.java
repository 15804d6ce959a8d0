package dev.backprop.train;

import dev.backprop.Dataset;
import dev.backprop.Dense;
import dev.backprop.Network;
import dev.backprop.RunningMetrics;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.optim.OptimizerState;
import dev.backprop.util.Numbers;
import dev.backprop.util.Rng;
import java.util.Arrays;

/**
 * Keeps a network learning, one update at a time: the engine under {@link Trainer#fit}, and the way to keep
 * training a deployed network on new examples as they arrive ("learning on", scikit-learn's
 * {@code partial_fit}). It holds the optimizer's state between calls, so momentum and Adam's moments carry
 * over from one call to the next; frozen layers are respected.
 *
 * <p>Every update is watched by the divergence doctor (see {@link DoctorSettings}): the weights after the last
 * good update are kept, and a diverging update either throws a {@link DivergenceException} (with those
 * weights restored) or, in recovery mode, is undone with the learning rate halved. Used directly, a learner
 * treats a NaN or infinite loss or gradient as divergence; the rule on a rising loss applies only under
 * {@link Trainer#fit}, where the data stays the same: when learning on, new data may rightly raise the loss.
 *
 * <pre>{@code
 * Learner learner = new Learner(net, TrainingConfig.defaults().withOptimizer(new Sgd(0.01)));
 * learner.learn(x, y);             // one example, one update
 * learner.partialFit(newBatch);    // one epoch over a few new examples
 * }</pre>
 *
 * Not thread-safe.
 */
public final class Learner {
    private static final System.Logger LOG = System.getLogger(Learner.class.getName());
    private static final int HISTORY = 20;
    private static final double EMA_WEIGHT = 0.1;

    private final Network net;
    private final TrainingConfig config;
    private final Kernels k;
    private final OptimizerState optimizer;
    private final Vec good;
    private Vec[][] slices;
    private double[] partialSquares;
    private final java.util.function.IntConsumer squaresTask = this::squaresPart;
    private final java.util.function.IntConsumer snapshotTask = this::snapshotPart;

    private void squaresPart(int p) {
        partialSquares[p] = k.sumSquares(slices[2][p]);
    }

    private final dev.backprop.optim.RangeHook keepGood = this::keepGood;

    private void keepGood(int from, int length) {
        good.copyFrom(net.parameters(), from, from, length);
    }

    private void snapshotPart(int p) {
        k.copy(slices[0][p], slices[1][p]);
    }
    private final Rng shuffleRng;
    private final RunningMetrics stepMetrics = new RunningMetrics();
    private final double[] firstNorms = new double[HISTORY];
    private final double[] firstRatios = new double[HISTORY];
    private final double[] firstLosses = new double[HISTORY];
    private int nLosses;
    private int nFirst;
    private long steps;
    private long goodStep;
    private double lastGoodNorm = Double.NaN;
    private double lrFactor = 1;
    private int recoveries;
    private double ema = Double.NaN;
    private double bestEma = Double.POSITIVE_INFINITY;
    private boolean warnedFullBatch;
    private int[] order;
    private TrainingListener listener;
    private boolean watchRise;

    // results of the last step, read by the epoch loop (fields, so a step allocates nothing)
    double lastLoss;
    double lastGradientNorm;
    double lastRate;

    /** A learner that updates {@code network} in place with the optimizer and rules of {@code config}. */
    public Learner(Network network, TrainingConfig config) {
        this.net = network;
        this.config = config;
        this.k = network.kernels();
        this.optimizer = config.optimizer().start(network);
        this.good = k.allocate(network.parameterCount());
        k.copy(network.parameters(), good);
        this.shuffleRng = new Rng(config.seed());
    }

    /** The network being trained. */
    public Network network() {
        return net;
    }

    /** Updates made so far. */
    public long steps() {
        return steps;
    }

    /** How many times the doctor recovered from divergence by halving the learning rate. */
    public int recoveries() {
        return recoveries;
    }

    /** The factor recovery has applied to the learning rate (1, ½, ¼, ...). */
    public double learningRateFactor() {
        return lrFactor;
    }

    /** The optimizer's running state (for {@link GuardedLearner}, which saves and restores it). */
    OptimizerState optimizerState() {
        return optimizer;
    }

    void setListener(TrainingListener listener) {
        this.listener = listener;
    }

    /** Turns on the doctor's rule on a rising loss (for training on fixed data). */
    void watchRisingLoss() {
        this.watchRise = true;
    }

    /**
     * One update from one example.
     *
     * @return the objective J on that example before the update
     * @throws DivergenceException if the update diverged and recovery is off (the last good weights are kept)
     */
    public double learn(double[] x, double[] y) {
        return learn(Dataset.of(new double[][] {x}, new double[][] {y}));
    }

    /**
     * One update from all the examples of {@code batch} together.
     *
     * @return the objective J on the batch before the update (NaN or ∞ when the update diverged and recovery
     *         undid it; the recovery is logged and reported to the listener)
     * @throws DivergenceException if the update diverged and recovery is off (the last good weights are kept)
     */
    public double learn(Dataset batch) {
        check(batch);
        step(batch, null, 0, batch.size(), config.optimizer().learningRate() * lrFactor, null, 0, 0);
        return lastLoss;
    }

    /**
     * One epoch over {@code data} in mini-batches of the configured size, shuffled from the configured seed's
     * stream (each call continues the stream), with the configured schedule's first-epoch rate.
     *
     * @return the epoch's running figures (no validation)
     * @throws DivergenceException if an update diverged and recovery is off (the last good weights are kept)
     */
    public EpochRecord partialFit(Dataset data) {
        check(data);
        long start = System.nanoTime();
        EpochStats s = epoch(data, 0, start + Long.MAX_VALUE / 2);
        var ev = s.metrics.toEvaluation(net.task(), data.targetTotalSumOfSquares());
        return new EpochRecord(1, s.objectiveSum / s.examples, ev.accuracy(), ev.mse(), ev.r2(), Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, s.gradientNormSum / Math.max(1, s.steps), lastRate, s.steps, (System.nanoTime() - start) / 1e9);
    }

    /** Refuses data of the wrong shape, targets the cost cannot take, or a network with every layer frozen. */
    void check(Dataset data) {
        if (data.features() != net.inputs() || data.targets() != net.outputs()) {
            throw new IllegalArgumentException("the data has " + data.features() + " features and " + data.targets()
                    + " targets but the network takes " + net.inputs() + " inputs and has " + net.outputs() + " outputs");
        }
        data.checkTargets(net.cost());
        if (!net.hasTrainableLayers()) {
            throw new IllegalArgumentException("every layer of the network is frozen: there is nothing to train");
        }
    }

    /** Figures of one epoch. */
    static final class EpochStats {
        final RunningMetrics metrics = new RunningMetrics();
        double objectiveSum;
        long examples;
        double gradientNormSum;
        long steps;
        boolean timedOut;
    }

    /** Runs one epoch (0-based index for the schedule); stops early, marking it, once {@code deadline} (nanoTime) passes. */
    EpochStats epoch(Dataset data, int epochIndex, long deadline) {
        int n = data.size();
        if (order == null || order.length != n) {
            order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
        }
        if (config.shuffle()) {
            shuffleRng.shuffle(order);
        }
        int batch = Math.min(config.batchSize(), n);
        if (batch < n && config.optimizer().wantsFullBatch() && !warnedFullBatch) {
            warnedFullBatch = true;
            LOG.log(System.Logger.Level.WARNING, config.optimizer().id() + " is meant for full-batch training but the batch size is "
                    + batch + " of " + n + " examples; mini-batch noise defeats its step-size logic");
        }
        int batches = (n + batch - 1) / batch;
        EpochStats s = new EpochStats();
        for (int b = 0; b < batches; b++) {
            int from = b * batch;
            int count = Math.min(batch, n - from);
            double rate = config.optimizer().learningRate() * lrFactor * config.schedule().factor(epochIndex, b, batches);
            boolean applied = step(data, order, from, count, rate, s.metrics, epochIndex + 1, b + 1);
            if (applied) {
                s.objectiveSum += lastLoss * count;
                s.examples += count;
                s.gradientNormSum += lastGradientNorm;
                s.steps++;
            }
            if (listener != null) {
                listener.onStep(epochIndex + 1, b + 1, batches, lastLoss);
            }
            if (System.nanoTime() - deadline > 0) {
                s.timedOut = true;
                break;
            }
        }
        return s;
    }

    /**
     * One update on the batch {@code order[from .. from+count)}: gradient, doctor's checks, clipping, optimizer
     * step. Returns false if the step diverged and was undone by recovery.
     */
    boolean step(Dataset data, int[] order, int from, int count, double rate, RunningMetrics metrics, int epoch, int batch) {
        stepMetrics.clear();
        double loss = net.computeGradient(data, order, from, count, config.regularization(), stepMetrics);
        // summed by the pass's threads when they could; in one fixed order when the norm scales the update, for the
        // same bits on any thread count (the threads' sums are grouped by the thread count's granules of units)
        boolean byNorm = config.clipping() instanceof GradientClipping.ByNorm;
        double squares = byNorm ? layerSquares() : net.lastGradientSquares();
        double norm = Math.sqrt(Double.isNaN(squares) && !byNorm ? trainableGradientSquares() : squares);
        steps++;
        lastLoss = loss;
        lastGradientNorm = norm;
        lastRate = rate;
        Diagnosis.Symptom symptom = null;
        if (!Double.isFinite(loss)) {
            symptom = Diagnosis.Symptom.LOSS_NOT_FINITE;
        } else if (!Double.isFinite(norm)) {
            symptom = Diagnosis.Symptom.GRADIENT_NOT_FINITE;
        } else {
            ema = Double.isNaN(ema) ? loss : (1 - EMA_WEIGHT) * ema + EMA_WEIGHT * loss;
            if (watchRise && bestEma < Double.POSITIVE_INFINITY && ema > config.doctor().riseFactor() * riseReference()) {
                symptom = Diagnosis.Symptom.LOSS_ROSE;
            }
        }
        if (symptom != null) {
            return diverged(symptom, loss, norm, rate, epoch, batch);
        }
        // the weights just evaluated are "good" when their own loss (not only the average) is not far above the best
        boolean good = !watchRise || bestEma == Double.POSITIVE_INFINITY || loss <= config.doctor().riseFactor() * riseReference();
        bestEma = Math.min(bestEma, ema);
        if (metrics != null) {
            metrics.add(stepMetrics);
        }
        // with no frozen layer the update's ranges cover every parameter, so each range is copied as the last good
        // weights just before it is updated: one pass over memory and one hand-off to the threads instead of two
        boolean fused = good && noneFrozen();
        if (good) {
            if (!fused) {
                snapshot();
            }
            goodStep = steps - 1;
            lastGoodNorm = norm;
            if (nLosses < HISTORY) {
                firstLosses[nLosses++] = loss;
            }
        }
        clip(norm);
        if (fused) {
            optimizer.step(rate, keepGood, net.parameterCount());
        } else {
            optimizer.step(rate);
        }
        if (good && nFirst < HISTORY) {
            double theta = Math.sqrt(k.sumSquares(this.good));
            firstNorms[nFirst] = norm;
            firstRatios[nFirst] = theta > 0 ? Math.sqrt(k.sumSquaredDifference(net.parameters(), this.good)) / theta : Double.POSITIVE_INFINITY;
            nFirst++;
        }
        return true;
    }

    /**
     * The loss a rise is measured against: the best smoothed loss, but not less than 1% of the initial loss
     * (the median batch loss of the first 20 good steps, kept across recoveries, so that weights judged good stay
     * good after a restore). Once a run has made good progress, a rise only counts
     * when it goes back above the initial loss (with the default factor 100), so noise and Adam's spikes near
     * a loss of zero (it hovers between 1e−17 and 1e−1 on an exactly solvable problem) are not divergence.
     */
    private double riseReference() {
        return nLosses == 0 ? bestEma : Math.max(bestEma, 1e-2 * Math.abs(median(firstLosses, nLosses)));
    }

    /**
     * Σ g² over the trainable layers' gradients. With several threads and no frozen layer it is summed over the
     * whole flat gradient in one slice per thread, the slices' sums added in order (deterministic for a thread
     * count); otherwise layer by layer.
     */
    private double trainableGradientSquares() {
        Vec[][] s = slices();
        if (s != null && noneFrozen()) {
            net.parallel(s[0].length, squaresTask);
            double sum = 0;
            for (int p = 0; p < s[0].length; p++) {
                sum += partialSquares[p];
            }
            return sum;
        }
        return layerSquares();
    }

    /** Σ g² over the trainable layers' gradients, layer by layer on the calling thread: the same bits on any thread count. */
    private double layerSquares() {
        double sum = 0;
        for (int li = 0, ln = net.layers().size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = net.layers().get(li);
            if (!d.isFrozen()) {
                sum += k.sumSquares(d.weightGradient()) + k.sumSquares(d.biasGradient());
            }
        }
        return sum;
    }

    private boolean noneFrozen() {
        for (int li = 0, ln = net.layers().size(); li < ln; li++) { // indexed: no iterator on the step path
            Dense d = net.layers().get(li);
            if (d.isFrozen()) {
                return false;
            }
        }
        return true;
    }

    /** Keeps a copy of the current weights as the last good ones, a slice per thread when the network has several. */
    private void snapshot() {
        Vec[][] s = slices();
        if (s == null) {
            k.copy(net.parameters(), good);
        } else {
            net.parallel(s[0].length, snapshotTask);
        }
    }

    /** Below this many parameters the per-step vector work stays on one thread. */
    private static final int PARALLEL_MIN = 1 << 15;

    /**
     * Views of the parameters [0], the good copy [1] and the gradient [2], one contiguous slice per thread; null when
     * the network has one thread or too few parameters to be worth splitting.
     */
    private Vec[][] slices() {
        int t = net.threads();
        int n = net.parameterCount();
        if (t == 1 || n < PARALLEL_MIN) {
            return null;
        }
        if (slices == null || slices[0].length != t) {
            Vec[] whole = {net.parameters(), good, net.gradient()};
            Vec[][] s = new Vec[3][t];
            for (int v = 0; v < 3; v++) {
                for (int p = 0, from = 0; p < t; p++) {
                    int len = n / t + (p < n % t ? 1 : 0);
                    s[v][p] = whole[v].view(from, len);
                    from += len;
                }
            }
            slices = s;
            partialSquares = new double[t];
        }
        return slices;
    }

    private void clip(double norm) {
        switch (config.clipping()) {
            case GradientClipping.None n -> { }
            case GradientClipping.ByNorm(double max) -> {
                if (norm > max) {
                    double f = max / (norm + 1e-6);
                    for (int li = 0, ln = net.layers().size(); li < ln; li++) { // indexed: no iterator on the step path
                        Dense d = net.layers().get(li);
                        if (!d.isFrozen()) {
                            k.scale(f, d.weightGradient());
                            k.scale(f, d.biasGradient());
                        }
                    }
                }
            }
            case GradientClipping.ByValue(double max) -> {
                for (int li = 0, ln = net.layers().size(); li < ln; li++) { // indexed: no iterator on the step path
                    Dense d = net.layers().get(li);
                    if (!d.isFrozen()) {
                        k.clamp(d.weightGradient(), -max, max);
                        k.clamp(d.biasGradient(), -max, max);
                    }
                }
            }
        }
    }

    private boolean diverged(Diagnosis.Symptom symptom, double loss, double norm, double rate, int epoch, int batch) {
        double goodNorm = Math.sqrt(k.sumSquares(good));
        double moved = Math.sqrt(k.sumSquaredDifference(net.parameters(), good));
        Doctor.Evidence evidence = new Doctor.Evidence(symptom, steps, epoch, batch, loss, bestEma, rate, norm, lastGoodNorm,
                median(firstNorms, nFirst), median(firstRatios, nFirst), goodNorm > 0 ? moved / goodNorm : Double.POSITIVE_INFINITY,
                goodStep, net.inspectLastBatch(), net.layers().stream().map(Dense::activation).toList());
        Diagnosis diagnosis = Doctor.diagnose(evidence);
        k.copy(good, net.parameters());
        if (!config.doctor().recover() || recoveries >= config.doctor().maxRecoveries()) {
            if (config.doctor().recover()) {
                diagnosis = new Diagnosis(diagnosis.symptom(), diagnosis.cause(), diagnosis.step(), diagnosis.epoch(), diagnosis.batch(),
                        diagnosis.loss(), diagnosis.message() + " Recovery gave up after " + recoveries + " attempts.");
            }
            throw new DivergenceException(diagnosis);
        }
        recoveries++;
        lrFactor *= 0.5;
        optimizer.reset();
        ema = Double.NaN;
        nFirst = 0;
        String message = "step " + steps + ": " + diagnosis.symptom().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + " (" + diagnosis.cause().text() + "); restored " + (goodStep == 0 ? "the initial weights" : "the weights after step " + goodStep)
                + ", halved the learning rate to " + Numbers.format(config.optimizer().learningRate() * lrFactor)
                + " (base " + Numbers.format(config.optimizer().learningRate()) + "), reset the optimizer state (recovery " + recoveries
                + " of " + config.doctor().maxRecoveries() + ")";
        LOG.log(System.Logger.Level.INFO, message);
        if (listener != null) {
            listener.onRecovery(diagnosis, message);
        }
        return false;
    }

    private static double median(double[] v, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double[] c = Arrays.copyOf(v, n);
        Arrays.sort(c);
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }
}
