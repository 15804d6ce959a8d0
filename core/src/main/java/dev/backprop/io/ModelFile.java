package dev.backprop.io;

import dev.backprop.Activation;
import dev.backprop.Backprop;
import dev.backprop.Cost;
import dev.backprop.Dense;
import dev.backprop.InputScaling;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.NetworkBuilder;
import dev.backprop.Precision;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes model files: UTF-8 JSON holding the network's structure, cost, weights W[out][in] and
 * biases b as nested arrays, and its provenance. The format is documented in {@code docs/model-format.md};
 * it is parsed as data (never deserialised as objects) and written atomically.
 *
 * <p>Numbers are written in their shortest round-trip form ({@link Float#toString(float)} for float32,
 * {@link Double#toString(double)} for float64) and parsed directly in the model's precision, so a model that
 * is saved, loaded and saved again gives the same bytes.
 */
public final class ModelFile {
    /** The value of the {@code format} member. */
    public static final String FORMAT = "backprop-model";
    /** The format version this library writes and reads. */
    public static final int VERSION = 1;

    private static final Set<String> TOP_KEYS = Set.of("format", "version", "precision", "inputs", "input", "cost", "layers", "output",
            "provenance");
    private static final Set<String> LAYER_KEYS = Set.of("inputs", "outputs", "activation", "bias", "frozen", "W", "b");

    private ModelFile() {
    }

    /** The model as JSON text. */
    public static String toJson(Network net) {
        boolean f32 = net.precision() == Precision.FLOAT32;
        StringBuilder s = new StringBuilder(64 + net.parameterCount() * 14);
        s.append("{\n");
        s.append("  \"format\": \"").append(FORMAT).append("\",\n");
        s.append("  \"version\": ").append(VERSION).append(",\n");
        s.append("  \"precision\": \"").append(net.precision().id()).append("\",\n");
        s.append("  \"inputs\": ").append(net.inputs()).append(",\n");
        if (!net.inputNames().isEmpty() || net.inputScaling() != null) {
            s.append("  \"input\": {");
            String sep = "";
            if (!net.inputNames().isEmpty()) {
                s.append("\"names\": ");
                strings(s, net.inputNames());
                sep = ",";
            }
            if (net.inputScaling() != null) {
                InputScaling sc = net.inputScaling();
                s.append(sep).append("\n    \"scaling\": {\"method\": ");
                Json.quote(s, sc.method());
                s.append(",\n      \"center\": ");
                doubles(s, sc.center());
                s.append(",\n      \"scale\": ");
                doubles(s, sc.scale());
                s.append("}");
            }
            s.append("},\n");
        }
        s.append("  \"cost\": ");
        writeCost(s, net.cost());
        s.append(",\n  \"layers\": [\n");
        for (Dense d : net.layers()) {
            s.append("    {\n");
            s.append("      \"inputs\": ").append(d.inputs()).append(",\n");
            s.append("      \"outputs\": ").append(d.outputs()).append(",\n");
            s.append("      \"activation\": ");
            writeActivation(s, d.activation());
            s.append(",\n      \"bias\": ").append(d.hasBias()).append(",\n");
            s.append("      \"frozen\": ").append(d.isFrozen()).append(",\n");
            s.append("      \"W\": [\n");
            for (int o = 0; o < d.outputs(); o++) {
                s.append("        [");
                for (int i = 0; i < d.inputs(); i++) {
                    if (i > 0) {
                        s.append(", ");
                    }
                    number(s, d.weights().get(o * d.inputs() + i), f32, d, "W");
                }
                s.append(o + 1 < d.outputs() ? "],\n" : "]\n");
            }
            s.append("      ],\n      \"b\": [");
            for (int o = 0; o < d.biases().length(); o++) {
                if (o > 0) {
                    s.append(", ");
                }
                number(s, d.biases().get(o), f32, d, "b");
            }
            s.append("]\n    }").append(d.index() + 1 < net.layers().size() ? ",\n" : "\n");
        }
        s.append("  ],\n");
        if (!net.outputNames().isEmpty()) {
            s.append("  \"output\": {\"names\": ");
            strings(s, net.outputNames());
            s.append("},\n");
        }
        s.append("  \"provenance\": {");
        int i = 0;
        for (Map.Entry<String, String> e : net.provenance().entrySet()) {
            s.append(i++ == 0 ? "\n    " : ",\n    ");
            Json.quote(s, e.getKey());
            s.append(": ");
            Json.quote(s, e.getValue());
        }
        s.append(i == 0 ? "}\n" : "\n  }\n").append("}\n");
        return s.toString();
    }

    /** Writes the model to {@code file} atomically (an interrupted write leaves any previous file intact). */
    public static void write(Network net, Path file) throws IOException {
        AtomicFiles.write(file, toJson(net).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a model file. */
    public static Network read(Path file) throws IOException {
        byte[] bytes;
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 16) {
                throw new ModelFormatException(file, "too large for a JSON model file (" + Files.size(file) + " bytes)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file, "not a backprop model file (not UTF-8 text; corrupted or a different kind of file)");
        }
        return fromJson(text, file);
    }

    /** Parses a model from JSON text; {@code source} names it in error messages. */
    public static Network fromJson(String text, Path source) throws ModelFormatException {
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxError e) {
            throw new ModelFormatException(source, "not valid JSON, " + e.getMessage());
        }
        return new Reader(source).network(root);
    }

    private static void strings(StringBuilder s, List<String> values) {
        s.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                s.append(", ");
            }
            Json.quote(s, values.get(i));
        }
        s.append(']');
    }

    private static void doubles(StringBuilder s, double[] values) {
        s.append('[');
        for (int i = 0; i < values.length; i++) {
            s.append(i > 0 ? ", " : "").append(values[i]);
        }
        s.append(']');
    }

    private static void writeActivation(StringBuilder s, Activation a) {
        s.append("{\"name\": \"").append(a.id()).append('"');
        switch (a) {
            case Activation.LeakyRelu(double slope) -> s.append(", \"negative_slope\": ").append(slope);
            case Activation.Elu(double alpha) -> s.append(", \"alpha\": ").append(alpha);
            default -> { }
        }
        s.append('}');
    }

    private static void writeCost(StringBuilder s, Cost c) {
        s.append("{\"name\": \"").append(c.id()).append('"');
        if (c instanceof Cost.Exponential(double tau)) {
            s.append(", \"tau\": ").append(tau);
        }
        s.append('}');
    }

    private static void number(StringBuilder s, double v, boolean f32, Dense d, String what) {
        if (!Double.isFinite(v)) {
            throw new IllegalStateException("layer " + d.index() + " has a non-finite value in " + what + " (" + v
                    + "); a diverged network cannot be saved");
        }
        s.append(f32 ? Float.toString((float) v) : Double.toString(v));
    }

    /** Turns the parsed JSON tree into a network, checking every member. */
    private static final class Reader {
        private final Path source;

        Reader(Path source) {
            this.source = source;
        }

        Network network(Object root) throws ModelFormatException {
            Map<String, Object> top = object(root, "the document");
            if (!FORMAT.equals(top.get("format"))) {
                throw fail("not a backprop model file (it lacks \"format\": \"" + FORMAT + "\")");
            }
            int version = integer(top, "version", "the document");
            if (version > VERSION) {
                throw fail("model format version " + version + " is newer than this backprop (" + Backprop.VERSION
                        + ") reads (version " + VERSION + "); upgrade backprop");
            }
            if (version < 1) {
                throw fail("unknown model format version " + version);
            }
            unknownKeys(top, TOP_KEYS, "the document");
            Precision precision;
            try {
                precision = Precision.parse(string(top, "precision", "the document"));
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
            int inputs = integer(top, "inputs", "the document");
            if (inputs < 1) {
                throw fail("\"inputs\" must be at least 1, got " + inputs);
            }
            Cost cost = cost(object(top.get("cost"), "\"cost\""));
            List<Object> layerList = array(top.get("layers"), "\"layers\"");
            if (layerList.isEmpty()) {
                throw fail("\"layers\" is empty; a network needs at least one layer");
            }
            List<LayerSpec> specs = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            List<Boolean> frozen = new ArrayList<>();
            int width = inputs;
            for (int l = 0; l < layerList.size(); l++) {
                String where = "layer " + l;
                Map<String, Object> layer = object(layerList.get(l), where);
                unknownKeys(layer, LAYER_KEYS, where);
                int in = integer(layer, "inputs", where);
                if (in != width) {
                    throw fail(where + " takes " + in + " inputs but the layer below gives " + width);
                }
                int out = integer(layer, "outputs", where);
                if (out < 1) {
                    throw fail(where + ": \"outputs\" must be at least 1, got " + out);
                }
                Activation act = activation(object(layer.get("activation"), where + " \"activation\""), where);
                boolean bias = bool(layer, "bias", where, true);
                frozen.add(bool(layer, "frozen", where, false));
                // check the shape against what the file holds before allocating anything of that size
                List<Object> w = array(layer.get("W"), where + " \"W\"");
                if (w.size() != out) {
                    throw fail(where + ": \"W\" has " + w.size() + " rows but the layer has " + out + " outputs");
                }
                for (int o = 0; o < out; o++) {
                    List<Object> row = array(w.get(o), where + " W row " + o);
                    if (row.size() != in) {
                        throw fail(where + ": W row " + o + " has " + row.size() + " numbers but the layer has " + in + " inputs");
                    }
                }
                List<Object> b = layer.containsKey("b") ? array(layer.get("b"), where + " \"b\"") : List.of();
                if (b.size() != (bias ? out : 0)) {
                    throw fail(where + ": \"b\" has " + b.size() + " numbers but should have " + (bias ? out : 0));
                }
                double[] v = new double[in * out + b.size()]; // no overflow: the file holds that many numbers
                for (int o = 0; o < out; o++) {
                    List<Object> row = array(w.get(o), where + " W row " + o);
                    for (int i = 0; i < in; i++) {
                        v[o * in + i] = value(row.get(i), precision, where + " W[" + o + "][" + i + "]");
                    }
                }
                for (int o = 0; o < b.size(); o++) {
                    v[in * out + o] = value(b.get(o), precision, where + " b[" + o + "]");
                }
                try {
                    specs.add(new LayerSpec(out, act, bias));
                } catch (IllegalArgumentException e) {
                    throw fail(where + ": " + e.getMessage());
                }
                values.add(v);
                width = out;
            }
            Network net;
            try {
                NetworkBuilder builder = Network.builder(inputs).layers(specs).cost(cost).precision(precision);
                net = builder.build(0);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
            double[] theta = new double[net.parameterCount()];
            int at = 0;
            for (double[] v : values) {
                System.arraycopy(v, 0, theta, at, v.length);
                at += v.length;
            }
            net.setParameters(theta);
            for (int l = 0; l < frozen.size(); l++) {
                if (frozen.get(l)) {
                    net.freeze(l);
                }
            }
            if (top.containsKey("input")) {
                Map<String, Object> in = object(top.get("input"), "\"input\"");
                unknownKeys(in, Set.of("names", "scaling"), "\"input\"");
                try {
                    if (in.containsKey("names")) {
                        net.setInputNames(names(in.get("names"), "\"input\" \"names\""));
                    }
                    if (in.containsKey("scaling")) {
                        Map<String, Object> sc = object(in.get("scaling"), "\"input\" \"scaling\"");
                        unknownKeys(sc, Set.of("method", "center", "scale"), "\"input\" \"scaling\"");
                        net.setInputScaling(new InputScaling(string(sc, "method", "\"scaling\""),
                                numbers(sc.get("center"), "scaling \"center\""), numbers(sc.get("scale"), "scaling \"scale\"")));
                    }
                } catch (IllegalArgumentException e) {
                    throw fail("\"input\": " + e.getMessage());
                }
            }
            if (top.containsKey("output")) {
                Map<String, Object> out = object(top.get("output"), "\"output\"");
                unknownKeys(out, Set.of("names"), "\"output\"");
                try {
                    net.setOutputNames(names(out.get("names"), "\"output\" \"names\""));
                } catch (IllegalArgumentException e) {
                    throw fail("\"output\": " + e.getMessage());
                }
            }
            net.clearProvenance();
            if (top.containsKey("provenance")) {
                for (Map.Entry<String, Object> e : object(top.get("provenance"), "\"provenance\"").entrySet()) {
                    if (!(e.getValue() instanceof String sv)) {
                        throw fail("provenance entry \"" + e.getKey() + "\" must be a string");
                    }
                    net.putProvenance(e.getKey(), sv);
                }
            }
            return net;
        }

        private Cost cost(Map<String, Object> c) throws ModelFormatException {
            String name = string(c, "name", "\"cost\"");
            try {
                Cost cost = Cost.parse(name);
                if (cost instanceof Cost.Exponential) {
                    unknownKeys(c, Set.of("name", "tau"), "\"cost\"");
                    return c.containsKey("tau") ? new Cost.Exponential(number(c, "tau", "\"cost\"")) : cost;
                }
                unknownKeys(c, Set.of("name"), "\"cost\"");
                return cost;
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }

        private Activation activation(Map<String, Object> a, String where) throws ModelFormatException {
            String name = string(a, "name", where + " \"activation\"");
            try {
                Activation act = Activation.parse(name);
                return switch (act) {
                    case Activation.LeakyRelu l -> {
                        unknownKeys(a, Set.of("name", "negative_slope"), where + " \"activation\"");
                        yield a.containsKey("negative_slope") ? new Activation.LeakyRelu(number(a, "negative_slope", where)) : l;
                    }
                    case Activation.Elu e -> {
                        unknownKeys(a, Set.of("name", "alpha"), where + " \"activation\"");
                        yield a.containsKey("alpha") ? new Activation.Elu(number(a, "alpha", where)) : e;
                    }
                    default -> {
                        unknownKeys(a, Set.of("name"), where + " \"activation\"");
                        yield act;
                    }
                };
            } catch (IllegalArgumentException e) {
                throw fail(where + ": " + e.getMessage());
            }
        }

        private double value(Object o, Precision p, String where) throws ModelFormatException {
            if (!(o instanceof Json.Num n)) {
                throw fail(where + " is not a number");
            }
            double v = p == Precision.FLOAT32 ? n.floatValue() : n.doubleValue();
            if (!Double.isFinite(v)) {
                throw fail(where + " = " + n.literal() + " is out of range for " + p.id());
            }
            return v;
        }

        private List<String> names(Object o, String what) throws ModelFormatException {
            List<String> names = new ArrayList<>();
            for (Object e : array(o, what)) {
                if (!(e instanceof String n)) {
                    throw fail(what + " must hold strings");
                }
                names.add(n);
            }
            return names;
        }

        private double[] numbers(Object o, String what) throws ModelFormatException {
            List<Object> list = array(o, what);
            double[] v = new double[list.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = value(list.get(i), Precision.FLOAT64, what + "[" + i + "]");
            }
            return v;
        }

        private void unknownKeys(Map<String, Object> m, Set<String> known, String where) throws ModelFormatException {
            for (String k : m.keySet()) {
                if (!known.contains(k)) {
                    throw fail(where + " has an unknown member \"" + k + "\" (written by a newer backprop, or edited by hand?)");
                }
            }
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> object(Object o, String what) throws ModelFormatException {
            if (!(o instanceof Map<?, ?> m)) {
                throw fail(what + " must be a JSON object" + (o == null ? " (it is missing)" : ""));
            }
            return (Map<String, Object>) m;
        }

        @SuppressWarnings("unchecked")
        private List<Object> array(Object o, String what) throws ModelFormatException {
            if (!(o instanceof List<?> l)) {
                throw fail(what + " must be a JSON array" + (o == null ? " (it is missing)" : ""));
            }
            return (List<Object>) l;
        }

        private String string(Map<String, Object> m, String key, String where) throws ModelFormatException {
            if (!(m.get(key) instanceof String s)) {
                throw fail(where + ": \"" + key + "\" must be a string" + (m.containsKey(key) ? "" : " (it is missing)"));
            }
            return s;
        }

        private int integer(Map<String, Object> m, String key, String where) throws ModelFormatException {
            if (!(m.get(key) instanceof Json.Num n)) {
                throw fail(where + ": \"" + key + "\" must be a number" + (m.containsKey(key) ? "" : " (it is missing)"));
            }
            try {
                return n.intValue();
            } catch (NumberFormatException e) {
                throw fail(where + ": \"" + key + "\" must be a whole number, got " + n.literal());
            }
        }

        private double number(Map<String, Object> m, String key, String where) throws ModelFormatException {
            if (!(m.get(key) instanceof Json.Num n)) {
                throw fail(where + ": \"" + key + "\" must be a number");
            }
            return n.doubleValue();
        }

        private boolean bool(Map<String, Object> m, String key, String where, boolean dflt) throws ModelFormatException {
            Object o = m.get(key);
            if (o == null && !m.containsKey(key)) {
                return dflt;
            }
            if (!(o instanceof Boolean b)) {
                throw fail(where + ": \"" + key + "\" must be true or false");
            }
            return b;
        }

        private ModelFormatException fail(String message) {
            return new ModelFormatException(source, message);
        }
    }
}
