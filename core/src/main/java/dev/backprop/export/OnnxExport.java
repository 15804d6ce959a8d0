package dev.backprop.export;

import dev.backprop.Activation;
import dev.backprop.Backprop;
import dev.backprop.Dense;
import dev.backprop.InputScaling;
import dev.backprop.Network;
import dev.backprop.io.AtomicFiles;
import dev.backprop.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a network as an ONNX model (<a href="https://onnx.ai/onnx/repo-docs/IR.html">ONNX IR</a>, messages of
 * <a href="https://github.com/onnx/onnx/blob/main/onnx/onnx.proto">onnx.proto</a>), which ONNX Runtime and the
 * other ONNX back ends run.
 *
 * <p>The model is IR version {@value #IR_VERSION} importing the default operator set at version
 * {@value #OPSET}. Its graph has one input {@code input}, float32 of shape [N, inputs] (N is the symbolic batch
 * dimension), and one output {@code output}, float32 [N, outputs]. The weights are exported as float32 whatever
 * the network's precision. It computes exactly what {@link Network#predict(double[][])} computes:
 * <ul>
 * <li>the input scaling, if the model has one: x' = (x − center) / scale, as
 *     <a href="https://onnx.ai/onnx/operators/onnx__Sub.html">Sub</a> then
 *     <a href="https://onnx.ai/onnx/operators/onnx__Div.html">Div</a> with [inputs]-shaped initializers
 *     (broadcast over the rows);</li>
 * <li>each layer z = y·Wᵀ + b as <a href="https://onnx.ai/onnx/operators/onnx__Gemm.html">Gemm</a> with
 *     transB = 1, W an [out, in] initializer (the model's own row-major layout) and b an [out] initializer
 *     (left out for layers without bias);</li>
 * <li>each activation as the ONNX operator of the same definition: Sigmoid, Tanh, Relu, LeakyRelu (alpha =
 *     negative slope), Elu (alpha), Softplus (ln(1 + e^z)), Identity, Softmax (axis = −1, so per row, as opset 13
 *     and later define it), and GELU, which is an operator only from opset 20, as its exact definition
 *     z·Φ(z) = ½·z·(1 + erf(z/√2)) from Mul, <a href="https://onnx.ai/onnx/operators/onnx__Erf.html">Erf</a>,
 *     Add and Mul.</li>
 * </ul>
 * The model records producer_name {@code backprop}, producer_version {@link Backprop#VERSION}, and, in
 * metadata_props, every provenance entry of the network under {@code provenance.KEY}, plus {@code input_names}
 * and {@code output_names} (JSON arrays), {@code layers}, {@code cost}, {@code task}, {@code precision} and
 * {@code input_scaling} (its method, or {@code none}).
 */
public final class OnnxExport {
    /** The ONNX IR version written (IR 8 goes with opsets up to 17/18). */
    public static final int IR_VERSION = 8;
    /** The version of the default ("ai.onnx") operator set the graph uses. */
    public static final int OPSET = 17;
    /** The name of the graph's input. */
    public static final String INPUT = "input";
    /** The name of the graph's output. */
    public static final String OUTPUT = "output";

    private static final int FLOAT = 1; // TensorProto.DataType.FLOAT
    private static final int ATTRIBUTE_FLOAT = 1; // AttributeProto.AttributeType
    private static final int ATTRIBUTE_INT = 2;

    private OnnxExport() {
    }

    /** Writes the network as an ONNX model to {@code file}, atomically (a reader never sees a partial file). */
    public static void write(Network net, Path file) throws IOException {
        AtomicFiles.write(file, toBytes(net));
    }

    /** The network as the bytes of an ONNX ModelProto. */
    public static byte[] toBytes(Network net) {
        ProtoWriter model = new ProtoWriter()
                .int64(1, IR_VERSION)
                .string(2, "backprop")
                .string(3, Backprop.VERSION)
                .string(4, "dev.backprop")
                .int64(5, 1)
                .string(6, "backprop network " + describe(net) + ", exported to ONNX")
                .message(7, graph(net))
                .message(8, new ProtoWriter().string(1, "").int64(2, OPSET));
        for (Map.Entry<String, String> e : metadata(net).entrySet()) {
            model.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
        }
        return model.toByteArray();
    }

    /** The metadata_props entries written to the model, in order. */
    public static Map<String, String> metadata(Network net) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("layers", describe(net));
        m.put("cost", net.cost().id());
        m.put("task", net.task().name().toLowerCase(Locale.ROOT));
        m.put("precision", net.precision().id());
        m.put("input_scaling", net.inputScaling() == null ? "none" : net.inputScaling().method());
        m.put("input_names", jsonArray(net.inputNames()));
        m.put("output_names", jsonArray(net.outputNames()));
        net.provenance().forEach((k, v) -> m.put("provenance." + k, v));
        return m;
    }

    private static String describe(Network net) {
        StringBuilder s = new StringBuilder().append(net.inputs());
        for (Dense d : net.layers()) {
            s.append('-').append(d.outputs()).append(':').append(d.activation().id());
            if (!d.hasBias()) {
                s.append("/nobias");
            }
        }
        return s.toString();
    }

    private static String jsonArray(List<String> names) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            Json.quote(s, names.get(i));
        }
        return s.append(']').toString();
    }

    private static ProtoWriter graph(Network net) {
        Graph g = new Graph();
        String x = INPUT;
        InputScaling scaling = net.inputScaling();
        if (scaling != null) {
            g.initializer("scaling_center", new long[] {net.inputs()}, scaling.center());
            g.initializer("scaling_scale", new long[] {net.inputs()}, scaling.scale());
            x = g.node("Sub", List.of(x, "scaling_center"), "scaled_centered", List.of());
            x = g.node("Div", List.of(x, "scaling_scale"), "scaled", List.of());
        }
        List<Dense> layers = net.layers();
        for (Dense d : layers) {
            int l = d.index();
            String w = "layer" + l + ".W";
            double[] wv = new double[d.inputs() * d.outputs()];
            d.weights().copyTo(wv, 0, 0, wv.length);
            g.initializer(w, new long[] {d.outputs(), d.inputs()}, wv);
            List<String> inputs = new ArrayList<>(List.of(x, w));
            if (d.hasBias()) {
                String b = "layer" + l + ".b";
                double[] bv = new double[d.outputs()];
                d.biases().copyTo(bv, 0, 0, bv.length);
                g.initializer(b, new long[] {d.outputs()}, bv);
                inputs.add(b);
            }
            String z = g.node("Gemm", inputs, "layer" + l + ".z", List.of(intAttribute("transB", 1)));
            x = activation(g, d.activation(), z, "layer" + l + ".a", l == layers.size() - 1);
        }
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter n : g.nodes) {
            graph.message(1, n);
        }
        graph.string(2, "backprop");
        for (ProtoWriter t : g.initializers) {
            graph.message(5, t);
        }
        graph.message(11, valueInfo(INPUT, net.inputs()));
        graph.message(12, valueInfo(OUTPUT, net.outputs()));
        return graph;
    }

    /** Adds the nodes of one activation applied to {@code z}; the last one writes {@code out} (or the graph's output). */
    private static String activation(Graph g, Activation f, String z, String out, boolean last) {
        String a = last ? OUTPUT : out;
        return switch (f) {
            case Activation.Sigmoid s -> g.node("Sigmoid", List.of(z), a, List.of());
            case Activation.Tanh t -> g.node("Tanh", List.of(z), a, List.of());
            case Activation.Relu r -> g.node("Relu", List.of(z), a, List.of());
            case Activation.LeakyRelu r -> g.node("LeakyRelu", List.of(z), a, List.of(floatAttribute("alpha", (float) r.negativeSlope())));
            case Activation.Elu e -> g.node("Elu", List.of(z), a, List.of(floatAttribute("alpha", (float) e.alpha())));
            case Activation.Softplus s -> g.node("Softplus", List.of(z), a, List.of());
            case Activation.Identity i -> g.node("Identity", List.of(z), a, List.of());
            case Activation.Softmax s -> g.node("Softmax", List.of(z), a, List.of(intAttribute("axis", -1)));
            case Activation.Gelu gelu -> {
                // ½·z·(1 + erf(z/√2)), the exact GELU (the Gelu operator itself needs opset 20)
                g.scalar("gelu.inv_sqrt2", 1 / Math.sqrt(2));
                g.scalar("gelu.one", 1);
                g.scalar("gelu.half", 0.5);
                String u = g.node("Mul", List.of(z, "gelu.inv_sqrt2"), out + ".u", List.of());
                String e = g.node("Erf", List.of(u), out + ".erf", List.of());
                String p = g.node("Add", List.of(e, "gelu.one"), out + ".one_plus_erf", List.of());
                String h = g.node("Mul", List.of(p, "gelu.half"), out + ".phi", List.of());
                yield g.node("Mul", List.of(z, h), a, List.of());
            }
        };
    }

    private static ProtoWriter floatAttribute(String name, float value) {
        return new ProtoWriter().string(1, name).float32(2, value).int64(20, ATTRIBUTE_FLOAT);
    }

    private static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(1, name).int64(3, value).int64(20, ATTRIBUTE_INT);
    }

    /** ValueInfoProto of a float tensor [N, width]. */
    private static ProtoWriter valueInfo(String name, int width) {
        ProtoWriter shape = new ProtoWriter()
                .message(1, new ProtoWriter().string(2, "N"))
                .message(1, new ProtoWriter().int64(1, width));
        ProtoWriter tensorType = new ProtoWriter().int64(1, FLOAT).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    /** The nodes and initializers of a graph under construction. */
    private static final class Graph {
        final List<ProtoWriter> nodes = new ArrayList<>();
        final List<ProtoWriter> initializers = new ArrayList<>();
        final java.util.Set<String> names = new java.util.HashSet<>();

        /** Adds a node and returns its output's name. */
        String node(String op, List<String> inputs, String output, List<ProtoWriter> attributes) {
            ProtoWriter n = new ProtoWriter();
            for (String in : inputs) {
                n.string(1, in);
            }
            n.string(2, output).string(3, output).string(4, op);
            for (ProtoWriter a : attributes) {
                n.message(5, a);
            }
            nodes.add(n);
            return output;
        }

        /** A float32 TensorProto initializer, the values little-endian in raw_data. */
        void initializer(String name, long[] dims, double[] values) {
            if (!names.add(name)) {
                return;
            }
            ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                raw.putFloat((float) v);
            }
            initializers.add(new ProtoWriter().packedInt64(1, dims).int64(2, FLOAT).string(8, name).bytes(9, raw.array()));
        }

        void scalar(String name, double value) {
            initializer(name, new long[0], new double[] {value});
        }
    }
}
