package dev.backprop;

import dev.backprop.kernel.Kernels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An immutable, thread-safe inference object: a trained network frozen for serving.
 *
 * <p><b>Made from</b> a {@link Network} ({@link #of(Network)} copies its parameters, input scaling and names, so
 * later training or changes to that network do not affect the predictor) or from a model file
 * ({@link #load(Path)}).
 *
 * <p><b>Thread safety.</b> Any number of threads may call the {@code predict} methods at once. The parameters are
 * never written after construction; each thread computes in its own scratch buffers (a per-thread workspace of
 * pre-activations and activations, made on the thread's first call for a batch size and reused after), so calls
 * never wait for each other. A call runs on the calling thread only: serve several requests at once by calling
 * from several threads, not by {@link Network#setThreads}.
 *
 * <p><b>Allocation.</b> {@link #predict(float[], int, float[])} and {@link #predict(double[], int, double[])}
 * write into a caller's array and allocate nothing once the calling thread is warm for that batch size (its first
 * call makes the workspace; a thread keeps up to {@value #WORKSPACES_PER_THREAD} workspaces, one per chunk size
 * seen most recently). {@link #predict(double[])} and {@link #predict(double[][])} allocate only the arrays they
 * return. A workspace holds the inputs, pre-activations and activations of one chunk (for a 784-256-128-10
 * float32 network and 1,024-row chunks, about 6 MB); it lives as long as both its thread and the predictor.
 *
 * <p><b>Precision and results.</b> Arithmetic is in the network's precision with the network's kernels (the Vector
 * API kernels when the JVM enables {@code jdk.incubator.vector}). Inputs are first scaled by the model's
 * {@link InputScaling}, as in training. Batches of more than {@link Network#CHUNK_ROWS} rows are computed in
 * chunks of that size, exactly as {@link Network#predict(double[][])} does, so the outputs equal the network's
 * bit for bit for the same batch. The {@code float[]} form rounds a float64 network's outputs to float.
 */
public final class Predictor {
    /** How many workspaces (one per chunk size) a thread keeps. */
    static final int WORKSPACES_PER_THREAD = 4;

    // a private copy, never written and never handed out: reading it from many threads is safe (published by the final field)
    private final Network net;
    private final int inputs;
    private final int outputs;
    private final ThreadLocal<Scratch> scratch;

    private Predictor(Network ownCopy) {
        this.net = ownCopy;
        this.inputs = ownCopy.inputs();
        this.outputs = ownCopy.outputs();
        this.scratch = ThreadLocal.withInitial(Scratch::new);
    }

    /** A predictor for {@code network} as it is now (its parameters, scaling and names are copied). */
    public static Predictor of(Network network) {
        return new Predictor(network.copy());
    }

    /** A predictor for the model in {@code file} (see docs/model-format.md). */
    public static Predictor load(Path file) throws IOException {
        return new Predictor(Network.load(file));
    }

    /** Width of an input row. */
    public int inputs() {
        return inputs;
    }

    /** Width of an output row. */
    public int outputs() {
        return outputs;
    }

    /** The precision of parameters and arithmetic. */
    public Precision precision() {
        return net.precision();
    }

    /** The kernels the predictor computes with. */
    public Kernels kernels() {
        return net.kernels();
    }

    /** What the outputs mean. */
    public Task task() {
        return net.task();
    }

    /** Names of the input features, or an empty list. */
    public List<String> inputNames() {
        return net.inputNames();
    }

    /** Names of the outputs (class names for a classifier), or an empty list. */
    public List<String> outputNames() {
        return net.outputNames();
    }

    /** The output for one example (allocates the result only). */
    public double[] predict(double[] x) {
        checkRow(x, 0);
        double[] out = new double[outputs];
        Workspace.Rows r = scratch.get().rows(1);
        r.x.copyFrom(x, 0, 0, inputs);
        net.forward(r, false);
        r.output().copyTo(out, 0, 0, outputs);
        return out;
    }

    /** The outputs for a batch of rows (allocates the result only). */
    public double[][] predict(double[][] x) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            checkRow(x[i], i);
            out[i] = new double[outputs];
        }
        if (x.length == 0) {
            return out;
        }
        Scratch s = scratch.get();
        int cap = Math.min(x.length, Network.CHUNK_ROWS);
        for (int c = 0; c < x.length; c += cap) {
            int m = Math.min(cap, x.length - c);
            Workspace.Rows r = s.rows(cap, m);
            for (int i = 0; i < m; i++) {
                r.x.copyFrom(x[c + i], 0, i * inputs, inputs);
            }
            net.forward(r, false);
            for (int i = 0; i < m; i++) {
                r.output().copyTo(out[c + i], i * outputs, 0, outputs);
            }
        }
        return out;
    }

    /**
     * Writes the outputs of {@code n} rows into {@code out}: {@code rows} holds them row-major (n×{@link #inputs()}
     * values from index 0), {@code out} receives n×{@link #outputs()} values from index 0. Allocates nothing once
     * the thread is warm for this n.
     */
    public void predict(float[] rows, int n, float[] out) {
        checkFlat(rows.length, n, out.length);
        Scratch s = scratch.get();
        int cap = Math.min(n, Network.CHUNK_ROWS);
        for (int c = 0; c < n; c += cap) {
            int m = Math.min(cap, n - c);
            Workspace.Rows r = s.rows(cap, m);
            r.x.copyFrom(rows, c * inputs, 0, m * inputs);
            net.forward(r, false);
            r.output().copyTo(out, 0, c * outputs, m * outputs);
        }
    }

    /** The float64 twin of {@link #predict(float[], int, float[])}. */
    public void predict(double[] rows, int n, double[] out) {
        checkFlat(rows.length, n, out.length);
        Scratch s = scratch.get();
        int cap = Math.min(n, Network.CHUNK_ROWS);
        for (int c = 0; c < n; c += cap) {
            int m = Math.min(cap, n - c);
            Workspace.Rows r = s.rows(cap, m);
            r.x.copyFrom(rows, c * inputs, 0, m * inputs);
            net.forward(r, false);
            r.output().copyTo(out, 0, c * outputs, m * outputs);
        }
    }

    private void checkRow(double[] x, int i) {
        if (x.length != inputs) {
            throw new IllegalArgumentException("example " + i + " has " + x.length + " features but the model takes " + inputs);
        }
    }

    private void checkFlat(int rowsLength, int n, int outLength) {
        if (n < 0) {
            throw new IllegalArgumentException("the number of rows must be at least 0, got " + n);
        }
        if ((long) n * inputs > rowsLength) {
            throw new IllegalArgumentException(n + " rows of " + inputs + " features need " + (long) n * inputs
                    + " input values, the array has " + rowsLength);
        }
        if ((long) n * outputs > outLength) {
            throw new IllegalArgumentException(n + " rows of " + outputs + " outputs need " + (long) n * outputs
                    + " output values, the array has " + outLength);
        }
    }

    @Override
    public String toString() {
        return "Predictor(" + net + ")";
    }

    /** One thread's workspaces, by capacity (the chunk size of a batch), most recent first. */
    private final class Scratch {
        private final Workspace[] spaces = new Workspace[WORKSPACES_PER_THREAD];

        /** Views of m rows of the workspace of capacity {@code cap} (m ≤ cap). */
        Workspace.Rows rows(int cap, int m) {
            Workspace w = spaces[0];
            if (w == null || w.capacity != cap) {
                w = find(cap);
            }
            return w.rows(m);
        }

        Workspace.Rows rows(int m) {
            return rows(m, m);
        }

        private Workspace find(int cap) {
            int at = spaces.length - 1;
            for (int i = 0; i < spaces.length; i++) {
                if (spaces[i] == null || spaces[i].capacity == cap) {
                    at = i;
                    break;
                }
            }
            Workspace w = spaces[at] != null && spaces[at].capacity == cap ? spaces[at]
                    : new Workspace(net.kernels(), inputs, net.layers(), cap, false);
            System.arraycopy(spaces, 0, spaces, 1, at); // move to the front
            spaces[0] = w;
            return w;
        }
    }
}
