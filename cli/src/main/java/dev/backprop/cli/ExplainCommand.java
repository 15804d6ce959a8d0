package dev.backprop.cli;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Dense;
import dev.backprop.Init;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.NetworkBuilder;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.kernel.Kernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code backprop explain}: one training step written out the way a textbook derives it, on real numbers,
 * with the finite-difference value beside every gradient.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show one gradient-descent step the way a textbook derives it: the forward values z and a of every layer, the output",
                "and hidden deltas, dJ/dW and dJ/db with the averaging and L2 terms, the update with the learning rate, and beside each",
                "gradient its finite-difference value. By default: one sigmoid weight learning the identity on x in {0, 1}.",
                "Give --model (and --data) or --layers with --x and --y for another network; --markdown for Markdown with LaTeX."})
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "FILE", description = "explain a step of this saved model")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", description = "take the examples from this file (with --model or --layers)")
    Path data;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "1", description = "how many examples of --data to use (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--layers", paramLabel = "SPEC", description = "a fresh network, e.g. 2-2:sigmoid-1:sigmoid (with --x and --y, or --data)")
    String layers;

    @Option(names = "--cost", paramLabel = "NAME", description = "cost of a fresh network (default quadratic)")
    String cost;

    @Option(names = "--x", paramLabel = "V,V,...", split = ";", description = "input example(s), comma-separated values; several separated by ';'")
    List<String> xs;

    @Option(names = "--y", paramLabel = "V,V,...", split = ";", description = "target(s) for --x")
    List<String> ys;

    @Option(names = "--lr", paramLabel = "ALPHA", defaultValue = "0.5", description = "learning rate of the step (default ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--l2", paramLabel = "LAMBDA", defaultValue = "0", description = "L2 coefficient (default ${DEFAULT-VALUE})")
    double l2;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "seed of a fresh network's weights (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--markdown", description = "write Markdown with LaTeX formulas instead of text")
    boolean markdown;

    @Mixin
    Options.Data dataOptions;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final int SHOW = 6;

    @Override
    public Integer call() throws Exception {
        Network net;
        Dataset d;
        String title;
        if (model != null) {
            net = Network.load(model).copy(Kernels.scalar(Precision.FLOAT64));
            d = examples(net);
            title = "one training step of " + model.getFileName();
        } else if (layers != null && data != null) {
            Options.Network o = new Options.Network();
            o.layers = layers;
            o.cost = cost;
            o.precision = "float64";
            o.init = "pytorch_default";
            o.scale = "auto";
            o.seed = seed;
            Problem p = Problem.of(Source.load(data, dataOptions.labels, dataOptions.csv()), o);
            net = p.network(o);
            net.setInputScaling(p.scaling(o.scale, p.data));
            if (rows < 1) {
                throw new UserError("--rows must be at least 1, got " + rows);
            }
            d = p.data.range(0, Math.min(rows, p.data.size()));
            title = "one training step of a " + p.describe() + " network on " + data.getFileName();
        } else if (layers != null) {
            LayerSpecs.Parsed p = LayerSpecs.parse(layers);
            int inputs = p.inputs() > 0 ? p.inputs() : xs == null ? -1 : values(xs.getFirst(), "--x").length;
            if (inputs < 1) {
                throw new UserError("give the input width in --layers (e.g. 2-2:sigmoid-1:sigmoid) or examples with --x");
            }
            NetworkBuilder b = Network.builder(inputs).precision(Precision.FLOAT64).layers(p.layers())
                    .cost(cost == null ? Cost.quadratic() : Cost.parse(cost));
            net = b.build(seed);
            d = examples(net);
            title = "one training step of a " + new LayerSpecs.Parsed(inputs, p.layers()).describe() + " network";
        } else {
            net = Network.builder(1).precision(Precision.FLOAT64).layer(LayerSpec.dense(1, Activation.sigmoid()).withoutBias())
                    .cost(Cost.quadratic()).init(Init.uniform(0, 1)).build(seed);
            d = xs == null ? Dataset.of(new double[][] {{0}, {1}}, new double[][] {{0}, {1}}) : examples(net);
            title = "one training step of the single-weight network y^ = sigmoid(w x) learning the identity";
        }
        if (net.parameterCount() > 10_000) {
            throw new UserError("explain writes out every number of a step; this network has " + net.parameterCount()
                    + " parameters. Use a small one (a few units per layer).");
        }
        Step s = Step.compute(net, d, new Regularization(l2, 0), lr);
        var out = spec.commandLine().getOut();
        out.print(markdown ? Render.markdown(title, s) : Render.text(title, s));
        out.flush();
        return 0;
    }

    private Dataset examples(Network net) throws Exception {
        if (data != null) {
            Dataset all = ModelData.labelled(net, data, dataOptions);
            if (rows < 1) {
                throw new UserError("--rows must be at least 1, got " + rows);
            }
            return all.range(0, Math.min(rows, all.size()));
        }
        if (xs == null || ys == null) {
            throw new UserError("give the examples: --data FILE, or --x and --y (e.g. --x 1,0 --y 1)");
        }
        if (xs.size() != ys.size()) {
            throw new UserError("--x has " + xs.size() + " examples but --y has " + ys.size());
        }
        double[][] x = new double[xs.size()][];
        double[][] y = new double[ys.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = values(xs.get(i), "--x");
            y[i] = values(ys.get(i), "--y");
            if (x[i].length != net.inputs()) {
                throw new UserError("--x example " + (i + 1) + " has " + x[i].length + " values but the network takes " + net.inputs());
            }
            if (y[i].length != net.outputs()) {
                throw new UserError("--y example " + (i + 1) + " has " + y[i].length + " values but the network has " + net.outputs() + " outputs");
            }
        }
        Dataset ds = Dataset.of(x, y);
        ds.checkTargets(net.cost());
        return ds;
    }

    private static double[] values(String csv, String option) {
        String[] parts = csv.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            if (!dev.backprop.data.Csv.isNumber(p)) {
                throw new UserError(option + ": '" + p + "' is not a number");
            }
            v[i] = Double.parseDouble(p);
        }
        return v;
    }

    /** Every number of one step, computed the textbook way, per example, in double precision. */
    static final class Step {
        Network net;
        int layers;
        int m;
        double lr;
        Regularization reg;
        double[][][] w;
        double[][] b;
        double[][] x;
        double[][] y;
        double[][][] z;
        double[][][] a;
        double[][][] delta;
        double[][][] gradW;
        double[][] gradB;
        double[][][] fdW;
        double[][] fdB;
        double[] cost;
        double jBefore;
        double jAfter;
        double engineDifference;

        static Step compute(Network net, Dataset data, Regularization reg, double lr) {
            Step s = new Step();
            s.net = net;
            s.layers = net.layers().size();
            s.m = data.size();
            s.lr = lr;
            s.reg = reg;
            int L = s.layers;
            s.w = new double[L][][];
            s.b = new double[L][];
            for (Dense d : net.layers()) {
                s.w[d.index()] = new double[d.outputs()][d.inputs()];
                for (int o = 0; o < d.outputs(); o++) {
                    for (int i = 0; i < d.inputs(); i++) {
                        s.w[d.index()][o][i] = d.weight(o, i);
                    }
                }
                s.b[d.index()] = d.biases().toDoubleArray();
            }
            s.x = new double[s.m][];
            s.y = new double[s.m][];
            s.z = new double[s.m][L][];
            s.a = new double[s.m][L][];
            s.delta = new double[s.m][L][];
            s.cost = new double[s.m];
            for (int i = 0; i < s.m; i++) {
                s.x[i] = net.inputScaling() == null ? data.featureRow(i) : net.inputScaling().apply(data.featureRow(i));
                s.y[i] = data.targetRow(i);
                double[] in = s.x[i];
                for (int l = 0; l < L; l++) {
                    Activation f = net.layer(l).activation();
                    double[] zl = new double[s.w[l].length];
                    for (int o = 0; o < zl.length; o++) {
                        double sum = s.b[l].length > 0 ? s.b[l][o] : 0;
                        for (int j = 0; j < in.length; j++) {
                            sum += s.w[l][o][j] * in[j];
                        }
                        zl[o] = sum;
                    }
                    s.z[i][l] = zl;
                    s.a[i][l] = apply(f, zl);
                    in = s.a[i][l];
                }
                s.cost[i] = net.cost().value(s.a[i][L - 1], s.y[i]);
                // output delta: (∂a/∂z)ᵀ ∂C/∂a
                s.delta[i][L - 1] = backThrough(net.layer(L - 1).activation(), s.z[i][L - 1], s.a[i][L - 1],
                        net.cost().gradient(s.a[i][L - 1], s.y[i]));
                for (int l = L - 2; l >= 0; l--) {
                    double[] up = new double[s.z[i][l].length];
                    for (int j = 0; j < up.length; j++) {
                        for (int o = 0; o < s.delta[i][l + 1].length; o++) {
                            up[j] += s.w[l + 1][o][j] * s.delta[i][l + 1][o];
                        }
                    }
                    s.delta[i][l] = backThrough(net.layer(l).activation(), s.z[i][l], s.a[i][l], up);
                }
            }
            s.gradW = new double[L][][];
            s.gradB = new double[L][];
            for (int l = 0; l < L; l++) {
                s.gradW[l] = new double[s.w[l].length][s.w[l][0].length];
                s.gradB[l] = new double[s.b[l].length];
                for (int i = 0; i < s.m; i++) {
                    double[] in = l == 0 ? s.x[i] : s.a[i][l - 1];
                    for (int o = 0; o < s.w[l].length; o++) {
                        for (int j = 0; j < in.length; j++) {
                            s.gradW[l][o][j] += s.delta[i][l][o] * in[j] / s.m;
                        }
                        if (s.gradB[l].length > 0) {
                            s.gradB[l][o] += s.delta[i][l][o] / s.m;
                        }
                    }
                }
                for (int o = 0; o < s.w[l].length; o++) {
                    for (int j = 0; j < s.w[l][o].length; j++) {
                        s.gradW[l][o][j] += reg.l2() * s.w[l][o][j] + reg.l1() * Math.signum(s.w[l][o][j]);
                    }
                }
            }
            s.finiteDifferencesAndEngine(data);
            return s;
        }

        private void finiteDifferencesAndEngine(Dataset data) {
            Network n = net;
            jBefore = n.computeGradient(data, reg);
            double[] engine = n.gradient().toDoubleArray();
            fdW = new double[layers][][];
            fdB = new double[layers][];
            double worst = 0;
            for (Dense d : n.layers()) {
                int l = d.index();
                fdW[l] = new double[w[l].length][w[l][0].length];
                fdB[l] = new double[b[l].length];
                for (int o = 0; o < Math.min(w[l].length, SHOW); o++) {
                    for (int j = 0; j < Math.min(w[l][o].length, SHOW); j++) {
                        int idx = d.offset() + o * d.inputs() + j;
                        fdW[l][o][j] = central(n, data, idx);
                        worst = Math.max(worst, rel(engine[idx], gradW[l][o][j]));
                    }
                    if (b[l].length > 0) {
                        int idx = d.offset() + d.inputs() * d.outputs() + o;
                        fdB[l][o] = central(n, data, idx);
                        worst = Math.max(worst, rel(engine[idx], gradB[l][o]));
                    }
                }
            }
            engineDifference = worst;
            double[] theta = n.parameterArray();
            for (int i = 0; i < theta.length; i++) {
                theta[i] -= lr * engine[i];
            }
            double[] before = n.parameterArray();
            n.setParameters(theta);
            jAfter = n.objective(data, reg);
            n.setParameters(before);
        }

        private double central(Network n, Dataset data, int idx) {
            double v = n.parameters().get(idx);
            double h = 1e-6 * Math.max(1, Math.abs(v));
            n.parameters().set(idx, v + h);
            double plus = n.objective(data, reg);
            n.parameters().set(idx, v - h);
            double minus = n.objective(data, reg);
            n.parameters().set(idx, v);
            return (plus - minus) / (2 * h);
        }

        private static double rel(double a, double b) {
            return Math.abs(a - b) / Math.max(1e-12, Math.max(Math.abs(a), Math.abs(b)));
        }

        private static double[] apply(Activation f, double[] z) {
            if (f instanceof Activation.Softmax) {
                double max = Arrays.stream(z).max().orElse(0);
                double[] e = Arrays.stream(z).map(v -> Math.exp(v - max)).toArray();
                double sum = Arrays.stream(e).sum();
                return Arrays.stream(e).map(v -> v / sum).toArray();
            }
            return Arrays.stream(z).map(f::apply).toArray();
        }

        /** (∂a/∂z)ᵀ g: f'(z) ⊙ g, or a ⊙ (g − (g·a)) for softmax. */
        private static double[] backThrough(Activation f, double[] z, double[] a, double[] g) {
            double[] out = new double[z.length];
            if (f instanceof Activation.Softmax) {
                double dot = 0;
                for (int k = 0; k < a.length; k++) {
                    dot += g[k] * a[k];
                }
                for (int k = 0; k < a.length; k++) {
                    out[k] = a[k] * (g[k] - dot);
                }
                return out;
            }
            for (int k = 0; k < z.length; k++) {
                out[k] = f.derivative(z[k]) * g[k];
            }
            return out;
        }
    }

    /** Text and Markdown renderings of a {@link Step}. */
    static final class Render {
        private Render() {
        }

        static String text(String title, Step s) {
            StringBuilder o = new StringBuilder();
            Network n = s.net;
            int L = s.layers;
            o.append("backprop explain: ").append(title).append("\n\n");
            o.append("Network: ").append(new LayerSpecs.Parsed(n.inputs(), n.specs()).describe()).append(", layer l computes z_l = W_l·y_l")
                    .append(" + b_l and a_l = f_l(z_l), with y_1 = x and y_(l+1) = a_l\n");
            o.append("Cost:    ").append(n.cost().formula()).append('\n');
            o.append(String.format(Locale.ROOT, "Objective: J = (1/m)·sum_i C_i + (lambda/2)·sum_l ||W_l||^2, m = %d, lambda = %s%n", s.m, num(s.reg.l2())));
            o.append("Learning rate: alpha = ").append(num(s.lr)).append("\n\nParameters before the step:\n");
            for (int l = 0; l < L; l++) {
                o.append("  W_").append(l + 1).append(" = ").append(mat(s.w[l])).append('\n');
                if (s.b[l].length > 0) {
                    o.append("  b_").append(l + 1).append(" = ").append(vec(s.b[l])).append('\n');
                }
            }
            for (int i = 0; i < s.m; i++) {
                o.append("\nExample ").append(i + 1).append(": x = ").append(vec(s.x[i])).append(", y = ").append(vec(s.y[i]))
                        .append(n.inputScaling() == null ? "" : "  (x after the model's input scaling)").append('\n');
                o.append("  forward\n");
                for (int l = 0; l < L; l++) {
                    String in = l == 0 ? "x" : "a_" + l;
                    o.append(String.format("    z_%d = W_%d·%s%s = %s%n", l + 1, l + 1, in, s.b[l].length > 0 ? " + b_" + (l + 1) : "", vec(s.z[i][l])));
                    o.append(String.format("    a_%d = %s(z_%d) = %s%n", l + 1, n.layer(l).activation().id(), l + 1, vec(s.a[i][l])));
                }
                o.append("    C = ").append(num(s.cost[i])).append('\n');
                o.append("  backward\n");
                o.append(String.format("    delta_%d = dC/dz_%d = %s = %s%n", L, L, outputDeltaText(n), vec(s.delta[i][L - 1])));
                for (int l = L - 1; l >= 1; l--) {
                    o.append(String.format("    delta_%d = f_%d'(z_%d) (.) W_%dT·delta_%d = %s%n", l, l, l, l + 1, l + 1, vec(s.delta[i][l - 1])));
                }
                for (int l = 0; l < L; l++) {
                    String in = l == 0 ? "x" : "a_" + l;
                    o.append(String.format("    dC/dW_%d = delta_%d·%sT = %s%n", l + 1, l + 1, in, mat(outer(s.delta[i][l], l == 0 ? s.x[i] : s.a[i][l - 1]))));
                    if (s.b[l].length > 0) {
                        o.append(String.format("    dC/db_%d = delta_%d = %s%n", l + 1, l + 1, vec(s.delta[i][l])));
                    }
                }
            }
            o.append("\nGradient of J (average over the ").append(s.m).append(" example").append(s.m == 1 ? "" : "s")
                    .append(", plus the L2 term lambda·W), beside the finite difference (J(theta+h) - J(theta-h))/2h:\n");
            for (int l = 0; l < L; l++) {
                o.append(String.format("  dJ/dW_%d = (1/%d)·sum_i dC_i/dW_%d + %s·W_%d = %s%n", l + 1, s.m, l + 1, num(s.reg.l2()), l + 1, mat(s.gradW[l])));
                o.append(String.format("      finite difference          %s%n", mat(s.fdW[l])));
                if (s.b[l].length > 0) {
                    o.append(String.format("  dJ/db_%d = (1/%d)·sum_i dC_i/db_%d = %s%n", l + 1, s.m, l + 1, vec(s.gradB[l])));
                    o.append(String.format("      finite difference   %s%n", vec(s.fdB[l])));
                }
            }
            o.append("\nUpdate, theta <- theta - alpha·dJ/dtheta:\n");
            for (int l = 0; l < L; l++) {
                o.append(String.format("  W_%d <- %s - %s·%s = %s%n", l + 1, mat(s.w[l]), num(s.lr), mat(s.gradW[l]), mat(minus(s.w[l], s.gradW[l], s.lr))));
                if (s.b[l].length > 0) {
                    o.append(String.format("  b_%d <- %s - %s·%s = %s%n", l + 1, vec(s.b[l]), num(s.lr), vec(s.gradB[l]), vec(minus(s.b[l], s.gradB[l], s.lr))));
                }
            }
            o.append(String.format("%nJ before the step: %s; after: %s%n", num(s.jBefore), num(s.jAfter)));
            o.append(String.format("(backprop's engine computes the same gradient: largest relative difference %.1e)%n", s.engineDifference));
            return o.toString();
        }

        static String markdown(String title, Step s) {
            StringBuilder o = new StringBuilder();
            Network n = s.net;
            int L = s.layers;
            o.append("# ").append(Character.toUpperCase(title.charAt(0))).append(title.substring(1)).append("\n\n");
            o.append("Network `").append(new LayerSpecs.Parsed(n.inputs(), n.specs()).describe()).append("`: layer $l$ computes ")
                    .append("$z^{(l)} = W^{(l)} y^{(l)} + b^{(l)}$, $a^{(l)} = f^{(l)}(z^{(l)})$, with $y^{(1)} = x$. Cost: `")
                    .append(n.cost().formula()).append("`.\n\n");
            o.append(String.format(Locale.ROOT, "$$J = \\frac{1}{m}\\sum_{i=1}^{m} C_i + \\frac{\\lambda}{2}\\sum_l \\lVert W^{(l)}\\rVert^2,"
                    + "\\quad m = %d,\\ \\lambda = %s,\\ \\alpha = %s$$%n%n", s.m, num(s.reg.l2()), num(s.lr)));
            for (int i = 0; i < s.m; i++) {
                o.append("## Example ").append(i + 1).append("\n\n");
                o.append("$$x = ").append(tex(s.x[i])).append(",\\quad y = ").append(tex(s.y[i])).append("$$\n\n");
                for (int l = 0; l < L; l++) {
                    String in = l == 0 ? "x" : "a^{(" + l + ")}";
                    o.append(String.format("$$z^{(%d)} = W^{(%d)} %s%s = %s,\\quad a^{(%d)} = \\mathrm{%s}(z^{(%d)}) = %s$$%n%n", l + 1, l + 1, in,
                            s.b[l].length > 0 ? " + b^{(" + (l + 1) + ")}" : "", tex(s.z[i][l]), l + 1, n.layer(l).activation().id().replace("_", "\\_"),
                            l + 1, tex(s.a[i][l])));
                }
                o.append(String.format("$$\\delta^{(%d)} = \\frac{\\partial C}{\\partial z^{(%d)}} = %s$$%n%n", L, L, tex(s.delta[i][L - 1])));
                for (int l = L - 1; l >= 1; l--) {
                    o.append(String.format("$$\\delta^{(%d)} = f'(z^{(%d)}) \\odot W^{(%d)\\top} \\delta^{(%d)} = %s$$%n%n", l, l, l + 1, l + 1,
                            tex(s.delta[i][l - 1])));
                }
            }
            o.append("## Gradient and update\n\n");
            for (int l = 0; l < L; l++) {
                o.append(String.format("$$\\frac{\\partial J}{\\partial W^{(%d)}} = \\frac{1}{%d}\\sum_i \\delta^{(%d)}_i y^{(%d)\\top}_i + \\lambda W^{(%d)}"
                        + " = %s \\quad(\\text{finite difference } %s)$$%n%n", l + 1, s.m, l + 1, l + 1, l + 1, tex(s.gradW[l]), tex(s.fdW[l])));
                o.append(String.format("$$W^{(%d)} \\leftarrow W^{(%d)} - \\alpha \\frac{\\partial J}{\\partial W^{(%d)}} = %s$$%n%n", l + 1, l + 1, l + 1,
                        tex(minus(s.w[l], s.gradW[l], s.lr))));
                if (s.b[l].length > 0) {
                    o.append(String.format("$$\\frac{\\partial J}{\\partial b^{(%d)}} = \\frac{1}{%d}\\sum_i \\delta^{(%d)}_i = %s \\quad(\\text{finite difference } %s),"
                            + "\\quad b^{(%d)} \\leftarrow %s$$%n%n", l + 1, s.m, l + 1, tex(s.gradB[l]), tex(s.fdB[l]), l + 1, tex(minus(s.b[l], s.gradB[l], s.lr))));
                }
            }
            o.append(String.format("$J$ before the step: %s; after: %s.%n", num(s.jBefore), num(s.jAfter)));
            return o.toString();
        }

        private static String outputDeltaText(Network n) {
            Activation f = n.outputLayer().activation();
            Cost c = n.cost();
            if (f instanceof Activation.Softmax && (c instanceof Cost.CrossEntropy || c instanceof Cost.KullbackLeibler)) {
                return "a_L·sum(y) - y";
            }
            if (f instanceof Activation.Sigmoid && c instanceof Cost.BinaryCrossEntropy) {
                return "a_L - y";
            }
            if (c instanceof Cost.Quadratic && !(f instanceof Activation.Softmax)) {
                return "(a_L - y) (.) f'(z_L)";
            }
            return "f'(z_L)T·dC/da_L";
        }

        private static double[][] outer(double[] d, double[] in) {
            double[][] r = new double[d.length][in.length];
            for (int o = 0; o < d.length; o++) {
                for (int j = 0; j < in.length; j++) {
                    r[o][j] = d[o] * in[j];
                }
            }
            return r;
        }

        private static double[][] minus(double[][] w, double[][] g, double lr) {
            double[][] r = new double[w.length][];
            for (int o = 0; o < w.length; o++) {
                r[o] = minus(w[o], g[o], lr);
            }
            return r;
        }

        private static double[] minus(double[] w, double[] g, double lr) {
            double[] r = new double[w.length];
            for (int j = 0; j < w.length; j++) {
                r[j] = w[j] - lr * g[j];
            }
            return r;
        }

        static String num(double v) {
            if (v == 0) {
                return "0";
            }
            double a = Math.abs(v);
            return a >= 1e-4 && a < 1e5 ? String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "")
                    : String.format(Locale.ROOT, "%.4e", v);
        }

        private static String vec(double[] v) {
            List<String> p = new ArrayList<>();
            for (int i = 0; i < Math.min(v.length, SHOW); i++) {
                p.add(num(v[i]));
            }
            if (v.length > SHOW) {
                p.add("... (" + v.length + ")");
            }
            return "[" + String.join(", ", p) + "]";
        }

        private static String mat(double[][] m) {
            List<String> rows = new ArrayList<>();
            for (int r = 0; r < Math.min(m.length, SHOW); r++) {
                rows.add(vec(m[r]));
            }
            if (m.length > SHOW) {
                rows.add("... (" + m.length + " rows)");
            }
            return "[" + String.join(", ", rows) + "]";
        }

        private static String tex(double[] v) {
            List<String> p = new ArrayList<>();
            for (int i = 0; i < Math.min(v.length, SHOW); i++) {
                p.add(num(v[i]));
            }
            if (v.length > SHOW) {
                p.add("\\dots");
            }
            return "\\begin{pmatrix}" + String.join(" \\\\ ", p) + "\\end{pmatrix}";
        }

        private static String tex(double[][] m) {
            List<String> rows = new ArrayList<>();
            for (int r = 0; r < Math.min(m.length, SHOW); r++) {
                List<String> p = new ArrayList<>();
                for (int c = 0; c < Math.min(m[r].length, SHOW); c++) {
                    p.add(num(m[r][c]));
                }
                if (m[r].length > SHOW) {
                    p.add("\\dots");
                }
                rows.add(String.join(" & ", p));
            }
            if (m.length > SHOW) {
                rows.add("\\vdots");
            }
            return "\\begin{pmatrix}" + String.join(" \\\\ ", rows) + "\\end{pmatrix}";
        }
    }
}
