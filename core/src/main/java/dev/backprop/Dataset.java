package dev.backprop;

import dev.backprop.kernel.DoubleVec;
import dev.backprop.kernel.FloatVec;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import dev.backprop.util.Rng;
import java.util.Arrays;

/**
 * Examples to train or evaluate on: an n×d matrix of features X (one example per row) and an n×k matrix of
 * targets Y. Immutable. Storage is float64 when built from doubles and float32 when built from floats;
 * features that are 8-bit unsigned integers, such as the pixels of an IDX image file, can stay one byte each
 * ({@link #wrapUnsignedBytes}: a quarter of float32's memory, and a quarter of the bytes to fetch for each
 * shuffled batch). Batches are converted to the network's precision as they are copied in.
 *
 * <p>Every value is checked when the dataset is built: a NaN or infinite feature or target is refused with a
 * message naming the example and column. Whether targets suit a cost (probabilities for cross-entropy,
 * positive values for Itakura–Saito, ...) is checked by {@link #checkTargets(Cost)}, which training calls.
 */
public final class Dataset {
    /** The features, or null when they are stored as {@link #bytes}. */
    private final Vec x;
    /** The features as unsigned bytes 0..255 ({@link #wrapUnsignedBytes}), or null. */
    private final byte[] bytes;
    private final Vec y;
    private final int size;
    private final int features;
    private final int targets;
    private double totalSumOfSquares = Double.NaN;

    private Dataset(Vec x, Vec y, int size, int features, int targets) {
        this(x, null, y, size, features, targets);
    }

    private Dataset(Vec x, byte[] bytes, Vec y, int size, int features, int targets) {
        if (size < 1) {
            throw new IllegalArgumentException("a dataset needs at least one example");
        }
        if (features < 1 || targets < 1) {
            throw new IllegalArgumentException("a dataset needs at least one feature and one target column, got "
                    + features + " and " + targets);
        }
        if ((x != null ? x.length() : bytes.length) != size * features || y.length() != size * targets) {
            throw new IllegalArgumentException("feature or target storage does not match " + size + " examples of "
                    + features + " features and " + targets + " targets");
        }
        this.x = x;
        this.bytes = bytes;
        this.y = y;
        this.size = size;
        this.features = features;
        this.targets = targets;
        if (x != null) {
            checkFinite(x, features, "feature");
        }
        checkFinite(y, targets, "target");
    }

    /** A dataset from rows of features and rows of targets (copied, stored as float64). */
    public static Dataset of(double[][] features, double[][] targets) {
        if (features.length != targets.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + targets.length + " target rows");
        }
        if (features.length == 0) {
            throw new IllegalArgumentException("a dataset needs at least one example");
        }
        int d = features[0].length;
        int k = targets[0].length;
        double[] fx = new double[features.length * d];
        double[] fy = new double[features.length * k];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != d) {
                throw new IllegalArgumentException("example " + i + " has " + features[i].length + " features, example 0 has " + d);
            }
            if (targets[i].length != k) {
                throw new IllegalArgumentException("example " + i + " has " + targets[i].length + " targets, example 0 has " + k);
            }
            System.arraycopy(features[i], 0, fx, i * d, d);
            System.arraycopy(targets[i], 0, fy, i * k, k);
        }
        return new Dataset(DoubleVec.wrap(fx), DoubleVec.wrap(fy), features.length, d, k);
    }

    /**
     * A classification dataset: features and integer class labels in [0, classes), one-hot encoded into
     * {@code classes} target columns.
     */
    public static Dataset ofLabels(double[][] features, int[] labels, int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("classification needs at least 2 classes, got " + classes);
        }
        if (features.length != labels.length) {
            throw new IllegalArgumentException(features.length + " feature rows but " + labels.length + " labels");
        }
        double[][] y = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is outside [0, " + classes + ")");
            }
            y[i][labels[i]] = 1;
        }
        return of(features, y);
    }

    /**
     * A dataset over flat row-major float arrays, without copying them: {@code x} holds n×features values,
     * {@code y} n×targets. The arrays must not change afterwards.
     */
    public static Dataset wrap(float[] x, float[] y, int features, int targets) {
        if (features < 1 || x.length % features != 0) {
            throw new IllegalArgumentException(x.length + " feature values are not a whole number of rows of " + features);
        }
        return new Dataset(FloatVec.wrap(x), FloatVec.wrap(y), x.length / features, features, targets);
    }

    /**
     * A dataset whose features are the bytes of {@code x} read as unsigned integers 0..255, without copying them:
     * {@code x} holds n×features bytes row-major (as an IDX file of type 0x08 does: MNIST's pixels), {@code y}
     * n×targets floats. Features stay one byte each, a quarter of the memory of {@link #wrap(float[], float[], int, int)
     * float32}, and are widened exactly as batches are copied in, so training sees the same numbers. The arrays must
     * not change afterwards.
     */
    public static Dataset wrapUnsignedBytes(byte[] x, float[] y, int features, int targets) {
        if (features < 1 || x.length % features != 0) {
            throw new IllegalArgumentException(x.length + " feature values are not a whole number of rows of " + features);
        }
        return new Dataset(null, x, FloatVec.wrap(y), x.length / features, features, targets);
    }

    /**
     * A dataset over flat row-major double arrays, without copying them: {@code x} holds n×features values,
     * {@code y} n×targets. The arrays must not change afterwards.
     */
    public static Dataset wrap(double[] x, double[] y, int features, int targets) {
        if (features < 1 || x.length % features != 0) {
            throw new IllegalArgumentException(x.length + " feature values are not a whole number of rows of " + features);
        }
        return new Dataset(DoubleVec.wrap(x), DoubleVec.wrap(y), x.length / features, features, targets);
    }

    /** Number of examples n. */
    public int size() {
        return size;
    }

    /** Number of feature columns d (the network's input width). */
    public int features() {
        return features;
    }

    /** Number of target columns k (the network's output width). */
    public int targets() {
        return targets;
    }

    /**
     * The precision the values are stored in; for features stored as unsigned bytes ({@link #storesUnsignedBytes()}),
     * float32, which holds them exactly.
     */
    public Precision storage() {
        return x == null ? Precision.FLOAT32 : x.precision();
    }

    /** Whether the features are stored as unsigned bytes, one byte each ({@link #wrapUnsignedBytes}). */
    public boolean storesUnsignedBytes() {
        return bytes != null;
    }

    /** Copies {@code len} features from index {@code from} of the row-major features into {@code dst} at {@code at}. */
    private void copyFeatures(Kernels k, int from, Vec dst, int at, int len) {
        if (bytes == null) {
            dst.copyFrom(x, from, at, len);
        } else if (k != null) {
            k.widenUnsignedBytes(bytes, from, dst, at, len);
        } else {
            dst.copyFromUnsignedBytes(bytes, from, at, len);
        }
    }

    /** The features of example i, as doubles. */
    public double[] featureRow(int i) {
        checkIndex(i);
        double[] r = new double[features];
        copyFeatures(null, i * features, DoubleVec.wrap(r), 0, features);
        return r;
    }

    /** The targets of example i, as doubles. */
    public double[] targetRow(int i) {
        checkIndex(i);
        double[] r = new double[targets];
        y.copyTo(r, i * targets, 0, targets);
        return r;
    }

    /** The class of example i: the index of its largest target (the one-hot position). */
    public int label(int i) {
        double[] t = targetRow(i);
        int best = 0;
        for (int c = 1; c < t.length; c++) {
            if (t[c] > t[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The examples at the given indices, in that order (copied). */
    public Dataset subset(int[] indices) {
        Vec sx = bytes != null ? null : Vec.allocate(storage(), indices.length * features);
        byte[] sb = bytes != null ? new byte[indices.length * features] : null;
        Vec sy = Vec.allocate(y.precision(), indices.length * targets);
        for (int i = 0; i < indices.length; i++) {
            checkIndex(indices[i]);
            if (sb != null) {
                System.arraycopy(bytes, indices[i] * features, sb, i * features, features);
            } else {
                sx.copyFrom(x, indices[i] * features, i * features, features);
            }
            sy.copyFrom(y, indices[i] * targets, i * targets, targets);
        }
        return new Dataset(sx, sb, sy, indices.length, features, targets);
    }

    /**
     * This dataset's examples followed by {@code other}'s (copied), stored in the wider of the two precisions so
     * that no value is rounded (as unsigned bytes when both are).
     */
    public Dataset concat(Dataset other) {
        if (other.features != features || other.targets != targets) {
            throw new IllegalArgumentException("cannot join a dataset of " + other.features + " features and " + other.targets
                    + " targets to one of " + features + " and " + targets);
        }
        Precision p = storage() == Precision.FLOAT64 || other.storage() == Precision.FLOAT64 ? Precision.FLOAT64 : Precision.FLOAT32;
        Vec sy = Vec.allocate(p, (size + other.size) * targets);
        sy.copyFrom(y, 0, 0, size * targets);
        sy.copyFrom(other.y, 0, size * targets, other.size * targets);
        if (bytes != null && other.bytes != null) {
            byte[] sb = Arrays.copyOf(bytes, (size + other.size) * features);
            System.arraycopy(other.bytes, 0, sb, size * features, other.size * features);
            return new Dataset(null, sb, sy, size + other.size, features, targets);
        }
        Vec sx = Vec.allocate(p, (size + other.size) * features);
        copyFeatures(null, 0, sx, 0, size * features);
        other.copyFeatures(null, 0, sx, size * features, other.size * features);
        return new Dataset(sx, sy, size + other.size, features, targets);
    }

    /** Examples [from, to) in order (copied). */
    public Dataset range(int from, int to) {
        if (from < 0 || to > size || from >= to) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") is empty or outside 0.." + size);
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return subset(idx);
    }

    /** Two disjoint parts of a dataset. */
    public record Split(Dataset first, Dataset second) {
    }

    /**
     * A seeded random split: {@code fraction} of the examples (rounded, at least one in each part) go to the
     * first part, the rest to the second; each part keeps the original order of its examples.
     */
    public Split split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("split fraction must be strictly between 0 and 1, got " + fraction);
        }
        if (size < 2) {
            throw new IllegalArgumentException("cannot split a dataset of " + size + " example");
        }
        int nFirst = (int) Math.round(fraction * size);
        nFirst = Math.max(1, Math.min(size - 1, nFirst));
        int[] perm = new Rng(seed).permutation(size);
        int[] a = Arrays.copyOf(perm, nFirst);
        int[] b = Arrays.copyOfRange(perm, nFirst, size);
        Arrays.sort(a);
        Arrays.sort(b);
        return new Split(subset(a), subset(b));
    }

    /**
     * Copies examples {@code order[from .. from+count)} into the first rows of {@code xDst} (count×d) and
     * {@code yDst} (count×k), converting to their precision.
     */
    public void copyRows(int[] order, int from, int count, Vec xDst, Vec yDst) {
        copyRows(null, order, from, count, xDst, yDst);
    }

    /**
     * The same, with features stored as unsigned bytes widened by {@code k} ({@link Kernels#widenUnsignedBytes},
     * vectorised where the backend can; the values are exact either way). {@code k} may be null: a plain loop.
     */
    public void copyRows(Kernels k, int[] order, int from, int count, Vec xDst, Vec yDst) {
        // the first value of every row first: the rows of a shuffled batch lie anywhere in a large dataset, and
        // these independent loads wait for memory together instead of one row after another (W1: 10-25 µs of
        // a 75 µs copy per step)
        for (int r = 0; r < count; r++) {
            int i = order == null ? from + r : order[from + r];
            xDst.set(r * features, bytes != null ? bytes[i * features] & 0xff : x.get(i * features));
        }
        for (int r = 0; r < count; r++) {
            int i = order == null ? from + r : order[from + r];
            copyFeatures(k, i * features, xDst, r * features, features);
            yDst.copyFrom(y, i * targets, r * targets, targets);
        }
    }

    /**
     * Refuses targets the cost cannot take.
     *
     * @throws IllegalArgumentException naming the first bad target's example, column and value
     */
    public void checkTargets(Cost cost) {
        for (int i = 0; i < size; i++) {
            for (int c = 0; c < targets; c++) {
                double v = y.get(i * targets + c);
                String problem = cost.targetProblem(v);
                if (problem != null) {
                    throw new IllegalArgumentException("target of example " + i + ", column " + c + ": " + problem
                            + " (cost " + cost.id() + ")");
                }
            }
        }
    }

    /**
     * Σ over target columns of Σᵢ (yᵢ − ȳ)², the total sum of squares in R² = 1 − SSE/SST (pooled over
     * columns, scikit-learn's "variance_weighted").
     */
    public double targetTotalSumOfSquares() {
        if (Double.isNaN(totalSumOfSquares)) {
            double[] mean = new double[targets];
            for (int i = 0; i < size; i++) {
                for (int c = 0; c < targets; c++) {
                    mean[c] += y.get(i * targets + c);
                }
            }
            for (int c = 0; c < targets; c++) {
                mean[c] /= size;
            }
            double s = 0;
            for (int i = 0; i < size; i++) {
                for (int c = 0; c < targets; c++) {
                    double dv = y.get(i * targets + c) - mean[c];
                    s += dv * dv;
                }
            }
            totalSumOfSquares = s;
        }
        return totalSumOfSquares;
    }

    /**
     * A 64-bit hash of the shape and of every value's bits, for training provenance: the same data gives the same
     * fingerprint. FNV-1a over 64-bit words (each word x-ored in whole, then multiplied by the FNV prime), with
     * values taken as float64 bits whatever the storage, read in blocks so that it costs about a pass over the data.
     */
    public long fingerprint() {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, size);
        h = fnv(h, features);
        h = fnv(h, targets);
        if (bytes == null) {
            h = fnv(h, x);
        } else {
            for (byte b : bytes) { // as float64 bits, as the same values in a float vector would give
                h = fnv(h, Double.doubleToLongBits(b & 0xff));
            }
        }
        return fnv(h, y);
    }

    private static long fnv(long h, Vec v) {
        double[] block = new double[Math.min(v.length(), 4096)];
        for (int from = 0; from < v.length(); from += block.length) {
            int len = Math.min(block.length, v.length() - from);
            v.copyTo(block, from, 0, len);
            for (int i = 0; i < len; i++) {
                h = fnv(h, Double.doubleToLongBits(block[i]));
            }
        }
        return h;
    }

    private static long fnv(long h, long v) {
        return (h ^ v) * 0x100000001b3L;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("example " + i + " outside 0.." + (size - 1));
        }
    }

    private void checkFinite(Vec v, int cols, String what) {
        for (int i = 0; i < v.length(); i++) {
            double value = v.get(i);
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException(what + " value " + value + " in example " + (i / cols) + ", column "
                        + (i % cols) + ": remove or replace missing and infinite values before training");
            }
        }
    }

    @Override
    public String toString() {
        return "Dataset(" + size + " examples, " + features + " features, " + targets + " targets, " + (bytes != null ? "uint8" : storage().id()) + ")";
    }
}
