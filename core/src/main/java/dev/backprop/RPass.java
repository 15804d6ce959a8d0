package dev.backprop;

import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import java.util.List;

/**
 * Hessian-vector products by Pearlmutter's R-operator (Pearlmutter 1994, "Fast exact multiplication by the
 * Hessian"): R{·} = ∂/∂r (·)(θ + r·v) at r = 0, pushed forward through every layer and back through the
 * backward pass, so that R{∂J/∂θ} = H·v at the cost of about two gradients.
 *
 * <p>Forward: R{Z} = Y·Vᵀ + R{Y}·Wᵀ + 1·v_bᵀ, R{A} = f'(Z)·R{Z} (the activation's Jacobian). Output:
 * R{Δ_N} = R{(∂a/∂z)ᵀ ∂C/∂a} from the cost's Hessian (fused forms: R{a·Σy − y} = R{a}·Σy, R{a − y} = R{a}).
 * Backward: E = Δ·W, R{E} = R{Δ}·W + Δ·V, Δ_below = f'(Z)·E, R{Δ_below} = R{f'(Z)·E}; the products are
 * R{∂J/∂W} = R{Δ}ᵀ·Y + Δᵀ·R{Y} and R{∂J/∂b} = Σ_rows R{Δ}, plus λ₂·V from the L2 penalty.
 *
 * <p>The examples are split into contiguous parts over the network's threads, each with its own buffers and
 * its own H·v accumulator; the parts are added in a fixed order, so a thread count gives the same bits every time.
 */
final class RPass {
    final int capacity;
    private final Network net;
    private final Kernels k;
    private final List<Dense> layers;
    private final Vec v;
    private final Vec[] vW;
    private final Vec[] vb;
    private Lane[] lanes = new Lane[0];

    RPass(Network net, int capacity) {
        this.net = net;
        this.k = net.kernels();
        this.layers = net.layers();
        this.capacity = capacity;
        int n = layers.size();
        vW = new Vec[n];
        vb = new Vec[n];
        v = k.allocate(net.parameterCount());
        for (Dense d : layers) {
            int l = d.index();
            vW[l] = v.view(d.offset(), d.inputs() * d.outputs());
            vb[l] = v.view(d.offset() + d.inputs() * d.outputs(), d.hasBias() ? d.outputs() : 0);
        }
    }

    void hessianVector(Dataset data, Regularization reg, Vec direction, Vec hv) {
        k.copy(direction, v);
        for (Dense d : layers) {
            if (d.isFrozen()) { // frozen parameters are constants: no direction, no curvature
                k.fill(vW[d.index()], 0);
                k.fill(vb[d.index()], 0);
            }
        }
        int n = data.size();
        int t = net.partsFor(n);
        if (lanes.length < t) {
            Lane[] more = java.util.Arrays.copyOf(lanes, t);
            for (int p = lanes.length; p < t; p++) {
                more[p] = new Lane(p == 0 ? null : k.allocate(net.parameterCount()));
            }
            lanes = more;
        }
        int[] starts = new int[t + 1];
        for (int p = 0; p < t; p++) {
            starts[p + 1] = starts[p] + n / t + (p < n % t ? 1 : 0);
        }
        double scale = 1.0 / n;
        net.runParts(t, p -> lanes[p].accumulate(data, starts[p], starts[p + 1], scale, p == 0 ? hv : lanes[p].own));
        for (int p = 1; p < t; p++) {
            k.axpy(1.0, lanes[p].own, hv);
        }
        if (reg.l2() != 0) {
            for (Dense d : layers) {
                if (!d.isFrozen()) {
                    k.axpy(reg.l2(), vW[d.index()], hv.view(d.offset(), d.inputs() * d.outputs()));
                }
            }
        }
    }

    private static Vec rows(Vec full, int m, int width) {
        return full.view(0, m * width);
    }

    /** One thread's share of the examples: its buffers and (except for the first) its own H·v. */
    private final class Lane {
        private final Workspace ws;
        private final Vec[] rz;
        private final Vec[] ra;
        private final Vec[] rd;
        private final Vec[] e;
        private final Vec[] re;
        private final Vec g;
        private final Vec rg;
        private final Vec[] hW;
        private final Vec[] hb;
        private Vec hvBound;
        final Vec own;

        Lane(Vec own) {
            this.own = own;
            this.ws = new Workspace(k, net.inputs(), layers, capacity);
            int n = layers.size();
            rz = new Vec[n];
            ra = new Vec[n];
            rd = new Vec[n];
            e = new Vec[n];
            re = new Vec[n];
            hW = new Vec[n];
            hb = new Vec[n];
            for (Dense d : layers) {
                int l = d.index();
                rz[l] = k.allocate(capacity * d.outputs());
                ra[l] = k.allocate(capacity * d.outputs());
                rd[l] = k.allocate(capacity * d.outputs());
                e[l] = k.allocate(capacity * d.inputs());
                re[l] = k.allocate(capacity * d.inputs());
            }
            g = k.allocate(capacity * net.outputs());
            rg = k.allocate(capacity * net.outputs());
        }

        /** Sets {@code hv} to scale·Σ over examples [from, to) of the R-operator of the cost's gradient. */
        void accumulate(Dataset data, int from, int to, double scale, Vec hv) {
            bind(hv);
            k.fill(hv, 0);
            for (int c = from; c < to; c += capacity) {
                int m = Math.min(capacity, to - c);
                Workspace.Rows r = ws.rows(m);
                data.copyRows(k, null, c, m, r.x, r.y);
                net.forward(r, false);
                forward(r, m);
                net.outputDelta(r, scale);
                outputR(r, m, scale);
                backward(r, m);
            }
        }

        private void bind(Vec hv) {
            if (hv != hvBound) {
                for (Dense d : layers) {
                    int l = d.index();
                    hW[l] = hv.view(d.offset(), d.inputs() * d.outputs());
                    hb[l] = hv.view(d.offset() + d.inputs() * d.outputs(), d.hasBias() ? d.outputs() : 0);
                }
                hvBound = hv;
            }
        }

        /** R{Z} and R{A} layer by layer. */
        private void forward(Workspace.Rows r, int m) {
            for (Dense d : layers) {
                int l = d.index();
                Vec y = l == 0 ? r.x : r.a[l - 1];
                Vec rzl = rows(rz[l], m, d.outputs());
                k.gemm(false, true, m, d.outputs(), d.inputs(), 1.0, y, vW[l], 0.0, rzl);
                if (l > 0) {
                    k.gemm(false, true, m, d.outputs(), d.inputs(), 1.0, rows(ra[l - 1], m, d.inputs()), d.weights(), 1.0, rzl);
                }
                if (d.hasBias()) {
                    k.addRowVector(vb[l], rzl, m, d.outputs());
                }
                k.activationBackward(d.activation(), r.z[l], r.a[l], rzl, rows(ra[l], m, d.outputs()), m, d.outputs());
            }
        }

        /** R{Δ_N}, with Δ_N = scale·∂C/∂z_N already in r.d[N]. */
        private void outputR(Workspace.Rows r, int m, double scale) {
            int nl = layers.size() - 1;
            Dense out = layers.get(nl);
            int kk = out.outputs();
            Vec ral = rows(ra[nl], m, kk);
            Vec rdl = rows(rd[nl], m, kk);
            switch (net.head) {
                case SOFTMAX_CROSS_ENTROPY, SOFTMAX_KULLBACK_LEIBLER -> k.scaleRowsBySum(ral, r.y, scale, rdl, m, kk);
                case SIGMOID_BINARY_CROSS_ENTROPY -> {
                    k.copy(ral, rdl);
                    k.scale(scale, rdl);
                }
                case GENERIC -> {
                    Vec gl = rows(g, m, kk);
                    Vec rgl = rows(rg, m, kk);
                    k.costGradient(net.cost(), r.a[nl], r.y, scale, gl, m, kk);
                    k.costHessianVector(net.cost(), r.a[nl], r.y, ral, scale, rgl, m, kk);
                    k.activationRBackward(out.activation(), r.z[nl], r.a[nl], rows(rz[nl], m, kk), gl, rgl, rdl, m, kk);
                }
            }
        }

        /** Accumulates R{∂J/∂θ} and pushes Δ and R{Δ} down to the lowest trainable layer. */
        private void backward(Workspace.Rows r, int m) {
            int lowest = net.lowestTrainable();
            if (lowest < 0) {
                return;
            }
            for (int l = layers.size() - 1; l >= lowest; l--) {
                Dense d = layers.get(l);
                Vec y = l == 0 ? r.x : r.a[l - 1];
                Vec dl = r.d[l];
                Vec rdl = rows(rd[l], m, d.outputs());
                if (!d.isFrozen()) {
                    k.gemm(true, false, d.outputs(), d.inputs(), m, 1.0, rdl, y, 1.0, hW[l]);
                    if (l > 0) {
                        k.gemm(true, false, d.outputs(), d.inputs(), m, 1.0, dl, rows(ra[l - 1], m, d.inputs()), 1.0, hW[l]);
                    }
                    if (d.hasBias()) {
                        k.sumRows(1.0, rdl, m, d.outputs(), hb[l]);
                    }
                }
                if (l > lowest) {
                    Dense below = layers.get(l - 1);
                    Vec el = rows(e[l], m, d.inputs());
                    Vec rel = rows(re[l], m, d.inputs());
                    k.gemm(false, false, m, d.inputs(), d.outputs(), 1.0, dl, d.weights(), 0.0, el);
                    k.gemm(false, false, m, d.inputs(), d.outputs(), 1.0, rdl, d.weights(), 0.0, rel);
                    k.gemm(false, false, m, d.inputs(), d.outputs(), 1.0, dl, vW[l], 1.0, rel);
                    k.activationBackward(below.activation(), r.z[l - 1], r.a[l - 1], el, r.d[l - 1], m, below.outputs());
                    k.activationRBackward(below.activation(), r.z[l - 1], r.a[l - 1], rows(rz[l - 1], m, below.outputs()), el, rel,
                            rows(rd[l - 1], m, below.outputs()), m, below.outputs());
                }
            }
        }
    }
}
