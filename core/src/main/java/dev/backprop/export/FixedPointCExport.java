package dev.backprop.export;

import dev.backprop.Activation;
import dev.backprop.Backprop;
import dev.backprop.Dense;
import dev.backprop.InputScaling;
import dev.backprop.Network;
import dev.backprop.Task;
import dev.backprop.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a network as fixed-point C99 (integer arithmetic in the layers), and emulates that C bit for bit in
 * Java so that its error against the float model can be measured ({@link #compare}).
 *
 * <p>The format. Activations are Q15 held in {@code int32_t}: the integer a stands for a/2^15 (range ±65536,
 * resolution 2^−15 ≈ 3.1e−5). The weights of layer l are {@code int16_t} (Q15) or {@code int8_t} (Q7): with B = 15
 * or 7 and e_l the smallest integer with max(|W_l|, |b_l|) &lt; 2^e_l (a power-of-two range per layer, so nothing
 * overflows), the shift is s_l = B − e_l and w = round(W·2^s_l), saturated to ±(2^B − 1); the bias is stored at
 * the accumulator's scale, b = round(b·2^(15 + s_l)) in {@code int32_t} (|b| &lt; 2^(15+B)). A layer computes
 * acc = b + Σ w·a in {@code int64_t} (exact: no product or sum can overflow for layers up to 2^16 inputs) and
 * z = sat32(round(acc / 2^s_l)). Rounding everywhere is to nearest with ties towards +∞: round(v/2^s) =
 * ⌊(v + 2^(s−1))/2^s⌋, written so that it does not depend on how the compiler shifts negative numbers; Java's
 * {@link Math#round} quantizes the weights the same way; sat32 clamps to ±(2^31 − 1).
 *
 * <p>Activations in fixed point: identity and ReLU are exact; leaky ReLU multiplies by the slope in Q15; sigmoid
 * (on [−16, 16], step 1/16) and tanh (on [−8, 8], step 1/32) are tables of 513 Q15 values with linear
 * interpolation, clamped outside their range (worst error about 5e−5 and 1e−4 before the Q15 rounding); a softmax
 * output layer is computed in float from the fixed-point logits (expf, at the very end). ELU, softplus and GELU
 * are refused (see {@link #SUPPORTED}). Float appears only at the entry (the input scaling and the conversion to
 * Q15, round to nearest, ties away from zero, saturated) and at the exit (out = a·2^−15, or the softmax).
 */
public final class FixedPointCExport {
    /** The activations the fixed-point export supports, for messages. */
    public static final String SUPPORTED = "identity, relu, leaky_relu, sigmoid, tanh, softmax (output layer)";

    /** Fraction bits of the activations (Q15). */
    static final int ACT = 15;
    static final int SIGMOID_LO = -16;
    static final int SIGMOID_SHIFT = 11;
    static final int TANH_LO = -8;
    static final int TANH_SHIFT = 10;
    static final int TABLE_STEPS = 512;
    private static final int MAX_SHIFT = 40;
    private static final long INT32_LIMIT = Integer.MAX_VALUE;

    /** The weight formats. */
    public enum Format {
        /** int16 weights, 15 fraction bits relative to the layer's range. */
        Q15(15, "int16_t"),
        /** int8 weights, 7 fraction bits relative to the layer's range. */
        Q7(7, "int8_t");

        final int bits;
        final String ctype;

        Format(int bits, String ctype) {
            this.bits = bits;
            this.ctype = ctype;
        }

        /** The format named q15 or q7 (any case). */
        public static Format parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "q15" -> Q15;
                case "q7" -> Q7;
                default -> throw new IllegalArgumentException("unknown fixed-point format '" + name + "'; the formats are: q15, q7");
            };
        }

        /** q15 or q7. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One quantized layer: w (outputs × inputs, row-major), b (null without bias), the shift s. */
    private record Layer(int inputs, int outputs, long[] w, long[] b, int shift, Activation f, long slope) {
    }

    private final Network net;
    private final Format format;
    private final List<Layer> layers;
    private final float[] center;
    private final float[] scale;
    private static final long[] SIGMOID = table(true);
    private static final long[] TANH = table(false);

    private FixedPointCExport(Network net, Format format) {
        this.net = net;
        this.format = format;
        List<Layer> q = new ArrayList<>();
        int last = net.layers().size() - 1;
        for (Dense d : net.layers()) {
            Activation f = d.activation();
            boolean ok = f instanceof Activation.Identity || f instanceof Activation.Relu || f instanceof Activation.LeakyRelu
                    || f instanceof Activation.Sigmoid || f instanceof Activation.Tanh || (f instanceof Activation.Softmax && d.index() == last);
            if (!ok) {
                throw new IllegalArgumentException("fixed-point export supports " + SUPPORTED + "; layer " + d.index() + " is " + f.id());
            }
            double[] w = new double[d.inputs() * d.outputs()];
            d.weights().copyTo(w, 0, 0, w.length);
            double[] b = new double[d.outputs()];
            if (d.hasBias()) {
                d.biases().copyTo(b, 0, 0, b.length);
            }
            double m = 0;
            for (double v : w) {
                m = Math.max(m, Math.abs(v));
            }
            for (double v : b) {
                m = Math.max(m, Math.abs(v));
            }
            if (!Double.isFinite(m)) {
                throw new IllegalArgumentException("layer " + d.index() + " has a weight that is not finite");
            }
            int e = m == 0 ? 0 : Math.getExponent(m) + 1;
            int shift = Math.min(format.bits - e, MAX_SHIFT);
            if (shift < 1) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "layer %d's weights are too large for %s (max |w| = %.4g;"
                        + " at most 2^%d)", d.index(), format.id(), m, format.bits - 1));
            }
            long limit = (1L << format.bits) - 1;
            long[] wq = new long[w.length];
            for (int i = 0; i < w.length; i++) {
                wq[i] = Math.clamp(Math.round(Math.scalb(w[i], shift)), -limit, limit);
            }
            long[] bq = null;
            if (d.hasBias()) {
                bq = new long[b.length];
                for (int i = 0; i < b.length; i++) {
                    bq[i] = Math.clamp(Math.round(Math.scalb(b[i], ACT + shift)), -INT32_LIMIT, INT32_LIMIT);
                }
            }
            long slope = f instanceof Activation.LeakyRelu r ? Math.round(Math.scalb(r.negativeSlope(), ACT)) : 0;
            q.add(new Layer(d.inputs(), d.outputs(), wq, bq, shift, f, slope));
        }
        this.layers = List.copyOf(q);
        InputScaling s = net.inputScaling();
        if (s != null) {
            center = new float[s.features()];
            scale = new float[s.features()];
            for (int j = 0; j < center.length; j++) {
                center[j] = (float) s.center()[j];
                scale[j] = (float) s.scale()[j];
            }
        } else {
            center = null;
            scale = null;
        }
    }

    /**
     * Quantizes {@code net} to {@code format}.
     *
     * @throws IllegalArgumentException with a one-line message when a layer's activation has no fixed-point form
     *     (ELU, softplus, GELU, a softmax that is not the output) or its weights are too large for the format
     */
    public static FixedPointCExport of(Network net, Format format) {
        return new FixedPointCExport(net, format);
    }

    /** The weight format. */
    public Format format() {
        return format;
    }

    /** The shift s_l of each layer (w = W·2^s_l). */
    public int[] shifts() {
        return layers.stream().mapToInt(Layer::shift).toArray();
    }

    // ---------------------------------------------------------------- the emulation

    /** round(v / 2^s) with ties towards +∞, as {@code shr_round} in the C. */
    static long shrRound(long v, int s) {
        return (v + (1L << (s - 1))) >> s;
    }

    private static long sat32(long v) {
        return Math.clamp(v, -INT32_LIMIT, INT32_LIMIT);
    }

    /** A float as Q15: as {@code to_q15} in the C (float arithmetic, ties away from zero, saturated). */
    static long toQ15(float v) {
        v *= 32768.0f;
        if (v != v) {
            return 0;
        }
        if (v >= 2147483520.0f) {
            return INT32_LIMIT;
        }
        if (v <= -2147483520.0f) {
            return -INT32_LIMIT;
        }
        return (int) (v < 0.0f ? v - 0.5f : v + 0.5f);
    }

    /** Table lookup with linear interpolation, as {@code lut} in the C. */
    static long lut(long[] t, long lo, int shift, long x) {
        long u = x - lo;
        if (u <= 0) {
            return t[0];
        }
        if (u >= (long) TABLE_STEPS << shift) {
            return t[TABLE_STEPS];
        }
        int k = (int) (u >> shift);
        long r = u & ((1L << shift) - 1);
        return t[k] + shrRound((t[k + 1] - t[k]) * r, shift);
    }

    private static long[] table(boolean sigmoid) {
        long[] t = new long[TABLE_STEPS + 1];
        for (int k = 0; k <= TABLE_STEPS; k++) {
            double x = sigmoid ? SIGMOID_LO + Math.scalb((double) k, SIGMOID_SHIFT - ACT) : TANH_LO + Math.scalb((double) k, TANH_SHIFT - ACT);
            double y = sigmoid ? 1 / (1 + Math.exp(-x)) : Math.tanh(x);
            t[k] = Math.round(Math.scalb(y, ACT));
        }
        return t;
    }

    /** The generated C's output for one row of raw inputs (taken as float, as the C takes them), bit for bit except a softmax. */
    public double[] predict(double[] x) {
        long[] a = new long[net.inputs()];
        for (int j = 0; j < a.length; j++) {
            float v = (float) x[j];
            if (center != null) {
                v = (v - center[j]) / scale[j];
            }
            a[j] = toQ15(v);
        }
        for (Layer l : layers) {
            long[] z = new long[l.outputs()];
            for (int o = 0; o < z.length; o++) {
                long acc = l.b() == null ? 0 : l.b()[o];
                for (int i = 0; i < l.inputs(); i++) {
                    acc += l.w()[o * l.inputs() + i] * a[i];
                }
                long v = sat32(shrRound(acc, l.shift()));
                z[o] = switch (l.f()) {
                    case Activation.Relu r -> Math.max(v, 0);
                    case Activation.LeakyRelu r -> v > 0 ? v : shrRound(v * l.slope(), ACT);
                    case Activation.Sigmoid s -> lut(SIGMOID, (long) SIGMOID_LO << ACT, SIGMOID_SHIFT, v);
                    case Activation.Tanh t -> lut(TANH, (long) TANH_LO << ACT, TANH_SHIFT, v);
                    default -> v;
                };
            }
            a = z;
        }
        double[] out = new double[a.length];
        if (layers.getLast().f() instanceof Activation.Softmax) {
            long max = a[0];
            for (long v : a) {
                max = Math.max(max, v);
            }
            float sum = 0;
            float[] e = new float[a.length];
            for (int k = 0; k < a.length; k++) {
                e[k] = (float) Math.exp((float) (a[k] - max) * (1.0f / 32768.0f));
                sum += e[k];
            }
            for (int k = 0; k < a.length; k++) {
                out[k] = e[k] / sum;
            }
        } else {
            for (int k = 0; k < a.length; k++) {
                out[k] = (float) a[k] * (1.0f / 32768.0f);
            }
        }
        return out;
    }

    /** {@link #predict(double[])} for each row. */
    public double[][] predict(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = predict(x[i]);
        }
        return y;
    }

    // ---------------------------------------------------------------- the report

    /**
     * The fixed-point outputs against the float model's on the same (float-rounded) inputs.
     *
     * @param rows rows compared
     * @param worst the largest |fixed − float| over every output of every row
     * @param mean the mean |fixed − float| over every output of every row
     * @param floatAccuracy the float model's accuracy (classifiers with targets; NaN otherwise)
     * @param fixedAccuracy the fixed-point code's accuracy (NaN where floatAccuracy is)
     * @param agreement the fraction of rows where both predict the same class (classifiers; NaN otherwise)
     */
    public record Comparison(int rows, double worst, double mean, double floatAccuracy, double fixedAccuracy, double agreement) {
        /** One line: rows, errors and, for classifiers, the accuracies. */
        public String summary() {
            String s = String.format(Locale.ROOT, "%d rows: worst |fixed - float| %.3g, mean %.3g", rows, worst, mean);
            if (!Double.isNaN(agreement)) {
                s += String.format(Locale.ROOT, ", same class %.2f%%", 100 * agreement);
            }
            if (!Double.isNaN(floatAccuracy)) {
                s += String.format(Locale.ROOT, ", accuracy float %.2f%%, fixed %.2f%%", 100 * floatAccuracy, 100 * fixedAccuracy);
            }
            return s;
        }
    }

    /**
     * Compares the fixed-point code with the float model on raw inputs {@code x}; {@code targets} (one row per
     * row of x, encoded as for training) give the accuracies of a classifier, or are null.
     */
    public Comparison compare(double[][] x, double[][] targets) {
        double[][] xf = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            xf[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                xf[i][j] = (float) x[i][j];
            }
        }
        double[][] ref = net.predict(xf);
        double[][] fix = predict(xf);
        double worst = 0;
        double sum = 0;
        long n = 0;
        for (int i = 0; i < x.length; i++) {
            for (int k = 0; k < ref[i].length; k++) {
                double d = Math.abs(fix[i][k] - ref[i][k]);
                worst = Math.max(worst, d);
                sum += d;
                n++;
            }
        }
        Task task = net.task();
        double agree = Double.NaN;
        double accF = Double.NaN;
        double accQ = Double.NaN;
        if (task.isClassification() && x.length > 0) {
            int same = 0;
            int rightF = 0;
            int rightQ = 0;
            int count = 0;
            for (int i = 0; i < x.length; i++) {
                if (task == Task.CLASSIFICATION) {
                    int cf = argmax(ref[i]);
                    int cq = argmax(fix[i]);
                    same += cf == cq ? 1 : 0;
                    if (targets != null) {
                        int t = argmax(targets[i]);
                        rightF += cf == t ? 1 : 0;
                        rightQ += cq == t ? 1 : 0;
                    }
                    count++;
                } else {
                    for (int k = 0; k < ref[i].length; k++) {
                        boolean cf = ref[i][k] >= 0.5;
                        boolean cq = fix[i][k] >= 0.5;
                        same += cf == cq ? 1 : 0;
                        if (targets != null) {
                            boolean t = targets[i][k] >= 0.5;
                            rightF += cf == t ? 1 : 0;
                            rightQ += cq == t ? 1 : 0;
                        }
                        count++;
                    }
                }
            }
            agree = (double) same / count;
            if (targets != null) {
                accF = (double) rightF / count;
                accQ = (double) rightQ / count;
            }
        }
        return new Comparison(x.length, worst, n == 0 ? 0 : sum / n, accF, accQ, agree);
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    /** The text of {@code NAME.report.txt}: the format, the shifts and the comparison on {@code data}. */
    public String report(String base, String data, Comparison c) {
        StringBuilder r = new StringBuilder();
        r.append(base).append(".c: fixed-point export (").append(format.id()).append(" weights, Q15 activations in int32, int64 accumulators)"
                + " by backprop ").append(Backprop.VERSION).append('\n');
        r.append("layers: ").append(OnnxExport.metadata(net).get("layers")).append('\n');
        for (int l = 0; l < layers.size(); l++) {
            Layer q = layers.get(l);
            r.append(String.format(Locale.ROOT, "layer %d: %d -> %d, %s, weight shift %d (w = W * 2^%d), bias in Q%d%n", l, q.inputs(), q.outputs(),
                    q.f().id(), q.shift(), q.shift(), ACT + q.shift()));
        }
        r.append("compared with the float model on ").append(data).append(":\n");
        r.append(String.format(Locale.ROOT, "  rows: %d%n  worst |fixed - float| output error: %.6g%n  mean |fixed - float| output error: %.6g%n",
                c.rows(), c.worst(), c.mean()));
        if (!Double.isNaN(c.agreement())) {
            r.append(String.format(Locale.ROOT, "  same predicted class as float: %.2f%%%n", 100 * c.agreement()));
        }
        if (!Double.isNaN(c.floatAccuracy())) {
            r.append(String.format(Locale.ROOT, "  accuracy: float %.2f%%, fixed %.2f%% (%+.2f points)%n", 100 * c.floatAccuracy(),
                    100 * c.fixedAccuracy(), 100 * (c.fixedAccuracy() - c.floatAccuracy())));
        }
        return r.toString();
    }

    // ---------------------------------------------------------------- the C

    /**
     * Writes {@code BASE.h} and {@code BASE.c}, each atomically, where BASE is {@code file} without a {@code .c}
     * extension; returns the two paths (header, source).
     */
    public List<Path> write(Path file) throws IOException {
        String name = file.getFileName().toString();
        String base = name.endsWith(".c") && name.length() > 2 ? name.substring(0, name.length() - 2) : name;
        Path header = file.resolveSibling(base + ".h");
        Path source = file.resolveSibling(base + ".c");
        CExport.Source s = generate(base);
        AtomicFiles.write(header, s.header().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(source, s.source().getBytes(StandardCharsets.UTF_8));
        return List.of(header, source);
    }

    /** The header and source for files {@code base.h} and {@code base.c}. */
    public CExport.Source generate(String base) {
        return new CExport.Source(header(base), source(base));
    }

    private String header(String base) {
        String guard = CExport.guard(base);
        String q = format.id().toUpperCase(Locale.ROOT);
        StringBuilder h = new StringBuilder();
        h.append("/*\n * ").append(base).append(".h: a backprop network as fixed-point C99 (").append(q).append(" weights), generated by backprop ")
                .append(CExport.comment(Backprop.VERSION)).append(".\n *\n * layers: ").append(CExport.comment(OnnxExport.metadata(net).get("layers")))
                .append("\n * input scaling: ").append(net.inputScaling() == null ? "none" : CExport.comment(net.inputScaling().method())
                        + ", included in predict()").append('\n');
        if (!net.inputNames().isEmpty()) {
            h.append(" * inputs: ").append(CExport.comment(String.join(", ", net.inputNames()))).append('\n');
        }
        if (!net.outputNames().isEmpty()) {
            h.append(" * outputs: ").append(CExport.comment(String.join(", ", net.outputNames()))).append('\n');
        }
        if (!net.provenance().isEmpty()) {
            h.append(" * provenance:\n");
            net.provenance().forEach((k, v) -> h.append(" *   ").append(CExport.comment(k)).append(": ").append(CExport.comment(v)).append('\n'));
        }
        h.append(" *\n * Fixed-point format (integer arithmetic in every layer):\n")
                .append(" *   activations: Q15 in int32_t (the integer a means a / 2^15; range +-65536, step 2^-15).\n")
                .append(" *   weights of layer l: ").append(format.ctype).append(", w = round(W * 2^s_l) saturated to +-").append((1 << format.bits) - 1)
                .append(",\n *     where s_l = ").append(format.bits).append(" - e_l and 2^e_l is the smallest power of two above max(|W_l|, |b_l|);\n")
                .append(" *     biases: int32_t at the accumulator's scale, round(b * 2^(15 + s_l)).\n")
                .append(" *   layer: acc = bias + sum of w * a in int64_t (exact), z = sat32(round(acc / 2^s_l)).\n")
                .append(" *   rounding: to nearest, ties towards +infinity, computed without shifting negative numbers;\n")
                .append(" *     sat32 clamps to +-(2^31 - 1).\n")
                .append(" *   relu, identity: exact; leaky_relu: slope in Q15; sigmoid: table of 513 Q15 values on [-16, 16]\n")
                .append(" *     (step 1/16), tanh: table of 513 on [-8, 8] (step 1/32), linear interpolation, clamped outside.\n")
                .append(" *   float is used only at the entry (input scaling, then conversion to Q15, rounded to nearest,\n")
                .append(" *   saturated) and at the exit (out = a / 2^15, or a softmax output computed in float with expf\n")
                .append(" *   from the Q15 logits).\n */\n");
        h.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n\n")
                .append("#define PREDICT_INPUTS ").append(net.inputs()).append('\n')
                .append("#define PREDICT_OUTPUTS ").append(net.outputs()).append("\n\n")
                .append("#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n")
                .append("/* Writes the network's PREDICT_OUTPUTS outputs for the PREDICT_INPUTS raw (unscaled) inputs in[]. */\n")
                .append("void predict(const float *in, float *out);\n\n")
                .append("#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
        return h.toString();
    }

    private String source(String base) {
        boolean softmax = layers.getLast().f() instanceof Activation.Softmax;
        boolean sigmoid = layers.stream().anyMatch(l -> l.f() instanceof Activation.Sigmoid);
        boolean tanh = layers.stream().anyMatch(l -> l.f() instanceof Activation.Tanh);
        StringBuilder c = new StringBuilder();
        c.append("/* ").append(base).append(".c: generated by backprop ").append(CExport.comment(Backprop.VERSION)).append("; see ").append(base)
                .append(".h for the fixed-point format. */\n#include \"").append(base).append(".h\"\n\n#include <stdint.h>\n");
        if (softmax) {
            c.append("#include <math.h>\n");
        }
        c.append('\n');
        if (center != null) {
            floats(c, "scaling_center", center);
            floats(c, "scaling_scale", scale);
        }
        if (sigmoid) {
            c.append("/* sigmoid(x) in Q15 at x = ").append(SIGMOID_LO).append(" + k/16, k = 0..").append(TABLE_STEPS).append(" */\n");
            ints(c, "int32_t", "sigmoid_table", SIGMOID);
        }
        if (tanh) {
            c.append("/* tanh(x) in Q15 at x = ").append(TANH_LO).append(" + k/32, k = 0..").append(TABLE_STEPS).append(" */\n");
            ints(c, "int32_t", "tanh_table", TANH);
        }
        int widest = net.inputs();
        for (int l = 0; l < layers.size(); l++) {
            Layer q = layers.get(l);
            widest = Math.max(widest, q.outputs());
            c.append("/* layer ").append(l).append(": ").append(q.inputs()).append(" -> ").append(q.outputs()).append(", ").append(q.f().id())
                    .append(", w = W * 2^").append(q.shift()).append(" */\n");
            ints(c, format.ctype, "W" + l, q.w());
            if (q.b() != null) {
                ints(c, "int32_t", "b" + l, q.b());
            }
        }
        c.append("""
                /* round(v / 2^s) for s >= 1, ties towards +infinity, without shifting a negative number */
                static int64_t shr_round(int64_t v, int s)
                {
                    int64_t t = v + ((int64_t) 1 << (s - 1));
                    return t >= 0 ? t >> s : -((-t + ((int64_t) 1 << s) - 1) >> s);
                }

                /* v clamped to +-(2^31 - 1) */
                static int32_t sat32(int64_t v)
                {
                    return v > 2147483647 ? 2147483647 : v < -2147483647 ? -2147483647 : (int32_t) v;
                }

                /* v in Q15: v * 2^15 rounded to nearest (ties away from zero), saturated */
                static int32_t to_q15(float v)
                {
                    v *= 32768.0f;
                    if (v != v) {
                        return 0;
                    }
                    if (v >= 2147483520.0f) {
                        return 2147483647;
                    }
                    if (v <= -2147483520.0f) {
                        return -2147483647;
                    }
                    return (int32_t) (v < 0.0f ? v - 0.5f : v + 0.5f);
                }

                /* z[o] = sat32(round((b[o] + sum over i of W[o * in + i] * x[i]) / 2^shift)), b[o] = 0 without bias */
                static void dense(const WTYPE *W, const int32_t *b, int in, int out, int shift, const int32_t *x, int32_t *z)
                {
                    int o, i;
                    for (o = 0; o < out; o++) {
                        int64_t s = b ? b[o] : 0;
                        for (i = 0; i < in; i++) {
                            s += (int64_t) W[o * in + i] * x[i];
                        }
                        z[o] = sat32(shr_round(s, shift));
                    }
                }

                """.replace("WTYPE", format.ctype));
        if (sigmoid || tanh) {
            c.append("""
                    /* f(x) by linear interpolation in T (TABLE_STEPS + 1 values from lo, step 2^shift, all Q15), clamped */
                    static int32_t lut(const int32_t *T, int32_t lo, int shift, int32_t x)
                    {
                        int64_t u = (int64_t) x - lo;
                        int32_t k;
                        if (u <= 0) {
                            return T[0];
                        }
                        if (u >= ((int64_t) STEPS << shift)) {
                            return T[STEPS];
                        }
                        k = (int32_t) (u >> shift);
                        return T[k] + (int32_t) shr_round((int64_t) (T[k + 1] - T[k]) * (u & (((int64_t) 1 << shift) - 1)), shift);
                    }

                    """.replace("STEPS", Integer.toString(TABLE_STEPS)));
        }
        if (softmax) {
            c.append("""
                    /* out_k = e^(z_k - max z) / sum_j e^(z_j - max z) in float, z in Q15 */
                    static void softmax(const int32_t *z, int n, float *out)
                    {
                        int k;
                        int32_t max = z[0];
                        float sum = 0.0f;
                        for (k = 1; k < n; k++) {
                            if (z[k] > max) {
                                max = z[k];
                            }
                        }
                        for (k = 0; k < n; k++) {
                            out[k] = expf((float) ((int64_t) z[k] - max) * (1.0f / 32768.0f));
                            sum += out[k];
                        }
                        for (k = 0; k < n; k++) {
                            out[k] /= sum;
                        }
                    }

                    """);
        }
        c.append("void predict(const float *in, float *out)\n{\n    int32_t a[").append(widest).append("], b[").append(widest)
                .append("];\n    int j;\n    for (j = 0; j < ").append(net.inputs()).append("; j++) {\n")
                .append(center != null ? "        a[j] = to_q15((in[j] - scaling_center[j]) / scaling_scale[j]);\n" : "        a[j] = to_q15(in[j]);\n")
                .append("    }\n");
        String x = "a";
        String z = "b";
        for (int l = 0; l < layers.size(); l++) {
            Layer q = layers.get(l);
            c.append("    dense(W").append(l).append(", ").append(q.b() != null ? "b" + l : "0").append(", ").append(q.inputs()).append(", ")
                    .append(q.outputs()).append(", ").append(q.shift()).append(", ").append(x).append(", ").append(z).append(");\n");
            String e = z + "[j]";
            String body = switch (q.f()) {
                case Activation.Relu r -> e + " = " + e + " > 0 ? " + e + " : 0;";
                case Activation.LeakyRelu r -> e + " = " + e + " > 0 ? " + e + " : (int32_t) shr_round((int64_t) " + e + " * " + q.slope() + ", 15);";
                case Activation.Sigmoid s -> e + " = lut(sigmoid_table, " + ((long) SIGMOID_LO << ACT) + ", " + SIGMOID_SHIFT + ", " + e + ");";
                case Activation.Tanh t -> e + " = lut(tanh_table, " + ((long) TANH_LO << ACT) + ", " + TANH_SHIFT + ", " + e + ");";
                default -> null;
            };
            if (body != null) {
                c.append("    for (j = 0; j < ").append(q.outputs()).append("; j++) {\n        ").append(body).append("\n    }\n");
            }
            String t = x;
            x = z;
            z = t;
        }
        if (softmax) {
            c.append("    softmax(").append(x).append(", ").append(net.outputs()).append(", out);\n");
        } else {
            c.append("    for (j = 0; j < ").append(net.outputs()).append("; j++) {\n        out[j] = (float) ").append(x)
                    .append("[j] * (1.0f / 32768.0f);\n    }\n");
        }
        c.append("}\n");
        return c.toString();
    }

    private static void floats(StringBuilder c, String name, float[] values) {
        c.append("static const float ").append(name).append('[').append(values.length).append("] = {");
        for (int i = 0; i < values.length; i++) {
            c.append(i % 8 == 0 ? "\n    " : " ").append(CExport.literal(values[i])).append(i < values.length - 1 ? "," : "");
        }
        c.append("\n};\n\n");
    }

    private static void ints(StringBuilder c, String type, String name, long[] values) {
        c.append("static const ").append(type).append(' ').append(name).append('[').append(values.length).append("] = {");
        for (int i = 0; i < values.length; i++) {
            c.append(i % 16 == 0 ? "\n    " : " ").append(values[i]).append(i < values.length - 1 ? "," : "");
        }
        c.append("\n};\n\n");
    }
}
