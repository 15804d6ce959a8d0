package dev.backprop.secondorder;

import dev.backprop.Dataset;
import dev.backprop.Dense;
import dev.backprop.Network;
import dev.backprop.Regularization;
import dev.backprop.kernel.Vec;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's full-batch objective J(θ) = (1/n)·Σ C + penalty over a dataset, as a function of its trainable
 * parameters only (frozen layers are not variables, so no method can move them). Values and gradients come
 * from backpropagation, Hessian-vector products from the R-operator, and — for a sum-of-squares cost (quadratic
 * or Hellinger) without an L1 term — the Gauss–Newton normal equations of the residuals ρ/√n augmented by the
 * L2 penalty, so that Levenberg–Marquardt minimises exactly J. Evaluating moves the network's parameters to the point asked about.
 */
public final class NetworkObjective implements LeastSquares {
    private final Network net;
    private final Dataset data;
    private final Regularization reg;
    private final boolean raw;
    private final int[] offsets;
    private final int[] lengths;
    private final int dimension;
    private Vec v;
    private Vec hv;
    private Vec jtj;
    private Vec jtr;

    /** The objective J of {@code net} on {@code data} with the penalty {@code reg}. */
    public NetworkObjective(Network net, Dataset data, Regularization reg) {
        this(net, data, reg, false);
    }

    private NetworkObjective(Network net, Dataset data, Regularization reg, boolean raw) {
        if (!net.hasTrainableLayers()) {
            throw new IllegalArgumentException("every layer of the network is frozen: there is nothing to train");
        }
        this.net = net;
        this.data = data;
        this.reg = reg;
        this.raw = raw;
        List<int[]> segments = new ArrayList<>();
        int dim = 0;
        for (Dense d : net.layers()) {
            if (!d.isFrozen()) {
                segments.add(new int[] {d.offset(), d.parameterCount()});
                dim += d.parameterCount();
            }
        }
        offsets = segments.stream().mapToInt(s -> s[0]).toArray();
        lengths = segments.stream().mapToInt(s -> s[1]).toArray();
        dimension = dim;
    }

    /**
     * The raw sum of squares ½·Σρ² (= Σ C) without averaging or penalty, for Bayesian regularization (which
     * brings its own weight penalty); {@link #penalized()} marks the weights.
     */
    public NetworkObjective rawSumOfSquares() {
        return new NetworkObjective(net, data, Regularization.NONE, true);
    }

    /** The network. */
    public Network network() {
        return net;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int residualCount() {
        return data.size() * net.outputs();
    }

    /** The network's current trainable parameters. */
    public double[] point() {
        double[] x = new double[dimension];
        int at = 0;
        for (int s = 0; s < offsets.length; s++) {
            net.parameters().copyTo(x, offsets[s], at, lengths[s]);
            at += lengths[s];
        }
        return x;
    }

    /** Sets the network's trainable parameters to x. */
    public void apply(double[] x) {
        int at = 0;
        for (int s = 0; s < offsets.length; s++) {
            net.parameters().copyFrom(x, at, offsets[s], lengths[s]);
            at += lengths[s];
        }
    }

    private void gather(Vec full, double[] out) {
        int at = 0;
        for (int s = 0; s < offsets.length; s++) {
            full.copyTo(out, offsets[s], at, lengths[s]);
            at += lengths[s];
        }
    }

    @Override
    public double value(double[] x) {
        apply(x);
        double j = net.objective(data, reg);
        return raw ? j * data.size() : j;
    }

    @Override
    public double valueAndGradient(double[] x, double[] gradient) {
        apply(x);
        double j = net.computeGradient(data, reg);
        gather(net.gradient(), gradient);
        if (raw) {
            for (int i = 0; i < dimension; i++) {
                gradient[i] *= data.size();
            }
            return j * data.size();
        }
        return j;
    }

    @Override
    public boolean hasHessianVector() {
        return true;
    }

    @Override
    public void hessianVector(double[] x, double[] direction, double[] out) {
        apply(x);
        if (v == null) {
            v = Vec.allocate(net.precision(), net.parameterCount());
            hv = Vec.allocate(net.precision(), net.parameterCount());
        }
        net.kernels().fill(v, 0);
        int at = 0;
        for (int s = 0; s < offsets.length; s++) {
            v.copyFrom(direction, at, offsets[s], lengths[s]);
            at += lengths[s];
        }
        net.hessianVector(data, reg, v, hv);
        gather(hv, out);
        if (raw) {
            for (int i = 0; i < dimension; i++) {
                out[i] *= data.size();
            }
        }
    }

    /**
     * The residuals ρ(a, y)/√n of every example and output (ρ(a, y) for {@link #rawSumOfSquares()}), example by
     * example. Without an L2 penalty ½‖r‖² = J; the penalty is not a residual here (it enters the normal
     * equations directly).
     */
    @Override
    public void residuals(double[] x, double[] r) {
        apply(x);
        net.residuals(data, raw ? 1.0 : 1.0 / Math.sqrt(data.size()), r);
    }

    @Override
    public double normalEquations(double[] x, double[] jtjOut, double[] jtrOut) {
        apply(x);
        if (jtj == null) {
            jtj = Vec.allocate(net.precision(), dimension * dimension);
            jtr = Vec.allocate(net.precision(), dimension);
        }
        double value = raw ? net.normalEquations(data, Regularization.NONE, 1.0, jtj, jtr) : net.normalEquations(data, reg, jtj, jtr);
        jtj.copyTo(jtjOut, 0, 0, dimension * dimension);
        jtr.copyTo(jtrOut, 0, 0, dimension);
        return value;
    }

    /** The network's weights (not its biases): the variables a weight penalty applies to. */
    @Override
    public boolean[] penalized() {
        boolean[] p = new boolean[dimension];
        int at = 0;
        for (Dense d : net.layers()) {
            if (d.isFrozen()) {
                continue;
            }
            int nw = d.inputs() * d.outputs();
            for (int i = 0; i < nw; i++) {
                p[at + i] = true;
            }
            at += d.parameterCount();
        }
        return p;
    }
}
