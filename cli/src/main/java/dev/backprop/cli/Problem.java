package dev.backprop.cli;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Init;
import dev.backprop.InputScaling;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import dev.backprop.NetworkBuilder;
import dev.backprop.Precision;
import dev.backprop.data.DataFormatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the user's data and network options mean together: classes or numbers as targets, the dataset, the
 * network with its input scaling and names. Shared by {@code train} and {@code check}.
 */
final class Problem {
    enum Kind { CLASSES, BINARY, NUMBERS }

    final Source source;
    final Kind kind;
    final List<String> classes;
    final Dataset data;
    final LayerSpecs.Parsed spec;
    final Cost cost;

    private Problem(Source source, Kind kind, List<String> classes, Dataset data, LayerSpecs.Parsed spec, Cost cost) {
        this.source = source;
        this.kind = kind;
        this.classes = classes;
        this.data = data;
        this.spec = spec;
        this.cost = cost;
    }

    static Problem of(Source source, Options.Network opts) throws DataFormatException {
        if (!source.hasTargets()) {
            throw new UserError(source.describe() + " has no targets to learn (for IDX images give --labels FILE)");
        }
        LayerSpecs.Parsed given = opts.layers == null ? null : LayerSpecs.parse(opts.layers);
        Activation out = given == null ? null : given.layers().getLast().activation();
        Cost cost = opts.cost == null ? null : parseCost(opts);
        Kind kind;
        if (out instanceof Activation.Softmax) {
            kind = Kind.CLASSES;
        } else if (out instanceof Activation.Sigmoid && (cost == null || cost instanceof Cost.BinaryCrossEntropy)
                && source.targetCount() == 1 && (source.labelsAreText() || source.distinctTargets() == 2)) {
            kind = Kind.BINARY;
        } else if (out != null) {
            kind = Kind.NUMBERS;
            if (source.labelsAreText()) {
                throw new UserError(source.describe() + ": the target holds text labels, but the output layer (" + out.id()
                        + ") predicts numbers; end the layers with K:softmax for K classes (or 1:sigmoid for two)");
            }
        } else if (opts.classify || source.labelsAreText() || source instanceof Source.IdxSource
                || (!opts.regress && source.looksLikeClassLabels())) {
            kind = Kind.CLASSES;
        } else {
            kind = Kind.NUMBERS;
        }
        if (opts.classify && opts.regress) {
            throw new UserError("--classify and --regress contradict each other; give one");
        }
        List<String> classes = kind == Kind.NUMBERS ? List.of() : source.classes();
        if (kind == Kind.CLASSES && classes.size() < 2) {
            throw new UserError(source.describe() + ": classification needs at least 2 classes, the target has only '" + classes.getFirst() + "'");
        }
        Dataset data = switch (kind) {
            case CLASSES -> source.oneHot(classes);
            case BINARY -> source.binary(classes);
            case NUMBERS -> source.numeric();
        };
        int outputs = data.targets();
        LayerSpecs.Parsed spec = given != null ? given : defaultSpec(kind, outputs);
        if (spec.inputs() > 0 && spec.inputs() != data.features()) {
            throw new UserError("the layers take " + spec.inputs() + " inputs but " + source.describe() + " has " + data.features()
                    + " feature columns");
        }
        int last = spec.layers().getLast().outputs();
        if (last != outputs) {
            String what = switch (kind) {
                case CLASSES -> outputs + " classes (" + abbreviate(classes) + ")";
                case BINARY -> "one yes/no target";
                case NUMBERS -> outputs + " target column" + (outputs == 1 ? "" : "s");
            };
            throw new UserError("the output layer has " + last + " units but the data has " + what + "; make the last layer "
                    + outputs + ":" + spec.layers().getLast().activation().id());
        }
        if (cost == null) {
            cost = switch (spec.layers().getLast().activation()) {
                case Activation.Softmax s -> Cost.crossEntropy();
                case Activation.Sigmoid s -> kind == Kind.NUMBERS ? Cost.quadratic() : Cost.binaryCrossEntropy();
                default -> Cost.quadratic();
            };
        }
        return new Problem(source, kind, classes, data, spec, cost);
    }

    private static LayerSpecs.Parsed defaultSpec(Kind kind, int outputs) {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(LayerSpec.dense(100, Activation.relu()));
        layers.add(LayerSpec.dense(outputs, switch (kind) {
            case CLASSES -> Activation.softmax();
            case BINARY -> Activation.sigmoid();
            case NUMBERS -> Activation.identity();
        }));
        return new LayerSpecs.Parsed(-1, layers);
    }

    private static Cost parseCost(Options.Network opts) {
        Cost c = Cost.parse(opts.cost);
        if (opts.tau != null) {
            if (!(c instanceof Cost.Exponential)) {
                throw new UserError("--tau is a parameter of the exponential cost, not of " + c.id());
            }
            c = new Cost.Exponential(opts.tau);
        }
        return c;
    }

    /** The same problem with other names for its classes (same order). */
    Problem renameClasses(List<String> names) {
        if (kind == Kind.NUMBERS) {
            throw new UserError("--class-names is for classification; these targets are numbers");
        }
        if (names.size() != classes.size()) {
            throw new UserError("--class-names gives " + names.size() + " names for " + classes.size() + " classes (" + abbreviate(classes) + ")");
        }
        return new Problem(source, kind, List.copyOf(names), data, spec, cost);
    }

    /** The network, initialised from the seed, with names set (scaling is set by the caller from the training split). */
    Network network(Options.Network opts) {
        NetworkBuilder b = Network.builder(data.features()).layers(spec.layers()).cost(cost)
                .init(Init.parse(opts.init)).precision(Precision.parse(opts.precision));
        Network net = b.build(opts.seed);
        net.setInputNames(source.featureNames());
        net.setOutputNames(kind == Kind.NUMBERS ? source.targetNames() : classes);
        return net;
    }

    /** The input scaling the options ask for, computed from {@code train}, or null for none. */
    InputScaling scaling(String how, Dataset train) {
        return switch (how.toLowerCase(Locale.ROOT)) {
            case "auto" -> source.unsignedBytes() ? byteScaling(train.features()) : InputScaling.standardize(train);
            case "standard", "standardize", "zscore" -> InputScaling.standardize(train);
            case "minmax", "min-max" -> InputScaling.minMax(train);
            case "none" -> null;
            default -> throw new UserError("unknown --scale '" + how + "': use standard, minmax, none or auto");
        };
    }

    private static InputScaling byteScaling(int features) {
        double[] center = new double[features];
        double[] scale = new double[features];
        java.util.Arrays.fill(scale, 255);
        return new InputScaling("custom", center, scale);
    }

    /** The spec as the user would write it, with the input width. */
    String describe() {
        return new LayerSpecs.Parsed(data.features(), spec.layers()).describe();
    }

    static String abbreviate(List<String> classes) {
        return classes.size() <= 8 ? String.join(", ", classes) : String.join(", ", classes.subList(0, 8)) + ", ...";
    }
}
