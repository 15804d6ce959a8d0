package dev.backprop;

import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.ScalarMath;
import dev.backprop.kernel.Vec;
import java.util.List;

/**
 * The Gauss–Newton normal equations of a sum-of-squares cost C = ½Σρ(a, y)²: with residuals r = s·ρ(a, y) over
 * every example and output (ρ = a − y for the quadratic cost, 2^¼(√a − √y) for Hellinger), JᵀJ and Jᵀr are
 * accumulated over blocks of examples, so memory is O(P²) plus one block of Jacobian rows, never O(N·K·P).
 * Each Jacobian row is s·ρ'(a_{i,u})·∂a_{i,u}/∂θ: backpropagating the vector that holds s·ρ'(a_{i,u}) at output u
 * (zero elsewhere) through the network for all examples of the block at once gives per-example deltas Δ_l, and
 * the row's part for layer l is Δ_l[i]·y_l[i]ᵀ (and Δ_l[i] for the biases). Columns are the trainable parameters
 * only, in order.
 */
final class GaussNewton {
    private final Network net;
    private final Kernels k;
    private final List<Dense> layers;
    private final int block;
    private final int trainable;
    private final int[] columnOffset;
    private final boolean hellinger;
    private Lane[] lanes = new Lane[0];

    GaussNewton(Network net, int examples) {
        this.net = net;
        this.k = net.kernels();
        this.layers = net.layers();
        int cols = 0;
        columnOffset = new int[layers.size()];
        for (Dense d : layers) {
            columnOffset[d.index()] = d.isFrozen() ? -1 : cols;
            cols += d.isFrozen() ? 0 : d.parameterCount();
        }
        this.trainable = cols;
        this.block = Math.max(1, Math.min(examples, Math.min(Network.CHUNK_ROWS, (1 << 22) / Math.max(1, cols))));
        this.hellinger = net.cost() instanceof Cost.Hellinger;
    }

    /** Whether the network's trainable layers are the ones this was built for, with blocks as large as {@code examples} asks. */
    boolean matches(int examples) {
        if (block < Math.min(examples, Math.min(Network.CHUNK_ROWS, (1 << 22) / Math.max(1, trainable)))) {
            return false;
        }
        for (Dense d : layers) {
            if ((columnOffset[d.index()] < 0) != d.isFrozen()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns ½·Σ (s·ρ)² over all examples and outputs and writes JᵀJ (columns × columns, row-major) into
     * {@code jtj} and Jᵀr into {@code jtr}, for residuals s·ρ(a, y). The examples are split into contiguous parts
     * over the network's threads, each accumulating its own JᵀJ and Jᵀr; the parts are added in a fixed order.
     */
    double normalEquations(Dataset data, double s, Vec jtj, Vec jtr) {
        int n = data.size();
        // each extra thread keeps its own JᵀJ: no more of them than a quarter of the heap holds
        long matrix = 8L * trainable * trainable;
        int t = (int) Math.min(net.partsFor(n), 1 + Runtime.getRuntime().maxMemory() / 4 / Math.max(1, matrix));
        if (lanes.length < t) {
            Lane[] more = java.util.Arrays.copyOf(lanes, t);
            for (int p = lanes.length; p < t; p++) {
                more[p] = new Lane(p == 0 ? null : k.allocate(trainable * trainable), p == 0 ? null : k.allocate(trainable));
            }
            lanes = more;
        }
        int[] starts = new int[t + 1];
        for (int p = 0; p < t; p++) {
            starts[p + 1] = starts[p] + n / t + (p < n % t ? 1 : 0);
        }
        net.runParts(t, p -> lanes[p].accumulate(data, starts[p], starts[p + 1], s, p == 0 ? jtj : lanes[p].jtj, p == 0 ? jtr : lanes[p].jtr));
        double half = 0;
        for (int p = 0; p < t; p++) {
            half += lanes[p].half;
            if (p > 0) {
                k.axpy(1.0, lanes[p].jtj, jtj);
                k.axpy(1.0, lanes[p].jtr, jtr);
            }
        }
        return half;
    }

    /** Writes the residuals s·ρ(a, y) of every example and output into {@code out}, example by example. */
    void residuals(Dataset data, double s, double[] out) {
        int n = data.size();
        int kk = net.outputs();
        if (lanes.length == 0) {
            lanes = new Lane[] {new Lane(null, null)};
        }
        Lane lane = lanes[0];
        for (int c = 0; c < n; c += block) {
            int m = Math.min(block, n - c);
            Workspace.Rows r = lane.ws.rows(m);
            data.copyRows(k, null, c, m, r.x, r.y);
            net.forward(r, false);
            Vec res = lane.residual.view(0, m * kk);
            residuals(r, m, s, res);
            res.copyTo(out, 0, c * kk, m * kk);
        }
    }

    /** s·ρ(a, y) for the m rows of r. */
    private void residuals(Workspace.Rows r, int m, double s, Vec res) {
        Vec a = r.output();
        if (hellinger) {
            for (int e = 0; e < m * net.outputs(); e++) {
                res.set(e, s * ScalarMath.hellingerResidual(a.get(e), r.y.get(e)));
            }
        } else {
            k.scaledDifference(s, a, r.y, res);
        }
    }

    /** One thread's share: its own buffers and, except for the first, its own JᵀJ and Jᵀr. */
    private final class Lane {
        final Workspace ws;
        final Vec residual;
        final Vec residualColumn;
        final Vec selector;
        final Vec seed;
        final Vec jac;
        final Vec jtj;
        final Vec jtr;
        double half;

        Lane(Vec jtj, Vec jtr) {
            int kk = net.outputs();
            this.ws = new Workspace(k, net.inputs(), layers, block);
            this.residual = k.allocate(block * kk);
            this.residualColumn = k.allocate(block);
            this.selector = k.allocate(kk);
            this.seed = k.allocate(block * kk);
            this.jac = k.allocate(block * Math.max(1, trainable));
            this.jtj = jtj;
            this.jtr = jtr;
        }

        /** Sets {@code jtjOut}, {@code jtrOut} and {@link #half} from examples [from, to). */
        void accumulate(Dataset data, int from, int to, double s, Vec jtjOut, Vec jtrOut) {
            int kk = net.outputs();
            k.fill(jtjOut, 0);
            k.fill(jtrOut, 0);
            half = 0;
            Dense out = layers.getLast();
            for (int c = from; c < to; c += block) {
                int m = Math.min(block, to - c);
                Workspace.Rows r = ws.rows(m);
                data.copyRows(k, null, c, m, r.x, r.y);
                net.forward(r, false);
                Vec res = residual.view(0, m * kk);
                Vec a = r.output();
                residuals(r, m, s, res);
                half += 0.5 * k.sumSquares(res);
                Vec sd = seed.view(0, m * kk);
                for (int u = 0; u < kk; u++) {
                    // Δ_N = s·ρ'(a_u)·(∂a_u/∂z_N) for every example: the activation's Jacobian applied to s·ρ'(a_u) at output u
                    k.fill(sd, 0);
                    for (int i = 0; i < m; i++) {
                        int e = i * kk + u;
                        sd.set(e, hellinger ? s * ScalarMath.hellingerResidualDerivative(a.get(e)) : s);
                    }
                    k.activationBackward(out.activation(), r.z[out.index()], a, sd, r.d[out.index()], m, kk);
                    Vec jm = jac.view(0, m * trainable);
                    for (int l = layers.size() - 1; l >= 0; l--) {
                        Dense d = layers.get(l);
                        Vec y = l == 0 ? r.x : r.a[l - 1];
                        if (columnOffset[l] >= 0) {
                            k.jacobianRows(r.d[l], y, m, d.outputs(), d.inputs(), d.hasBias(), jm, trainable, columnOffset[l]);
                        }
                        if (l > net.lowestTrainable()) {
                            Dense below = layers.get(l - 1);
                            k.gemm(false, false, m, d.inputs(), d.outputs(), 1.0, r.d[l], d.weights(), 0.0, r.d[l - 1]);
                            k.activationBackward(below.activation(), r.z[l - 1], r.a[l - 1], r.d[l - 1], r.d[l - 1], m, below.outputs());
                        } else {
                            break;
                        }
                    }
                    k.syrk(m, trainable, 1.0, jm, 1.0, jtjOut);
                    // column u of the residuals, then Jᵀr += J_uᵀ·r_u
                    k.fill(selector, 0);
                    selector.set(u, 1.0);
                    Vec col = residualColumn.view(0, m);
                    k.gemm(false, false, m, 1, kk, 1.0, res, selector, 0.0, col);
                    k.gemm(true, false, trainable, 1, m, 1.0, jm, col, 1.0, jtrOut);
                }
            }
        }
    }
}
