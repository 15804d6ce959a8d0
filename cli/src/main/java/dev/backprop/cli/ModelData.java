package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.data.Csv;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads data for a saved model: features matched to the model's inputs, targets encoded as at training. */
final class ModelData {
    private ModelData() {
    }

    /** The target columns recorded at training time ("targets" in the provenance), or none. */
    static List<String> recordedTargets(Network net) {
        String t = net.provenance().get("targets");
        return t == null || t.isEmpty() ? List.of() : Arrays.asList(t.split(","));
    }

    /** Examples with targets, encoded for the model (for evaluate, gradient). */
    static Dataset labelled(Network net, Path data, Options.Data opts) throws IOException {
        List<String> targets = !opts.target.isEmpty() ? opts.target : recordedTargets(net);
        Source src = matchInputs(net, Source.load(data, opts.labels, opts.csv(targets).withFeatures(net.inputNames())));
        if (!src.hasTargets()) {
            throw new UserError(src.describe() + " has no targets (for IDX images give --labels FILE)");
        }
        List<String> names = net.outputNames();
        return switch (net.task()) {
            case CLASSIFICATION -> src.oneHot(names.isEmpty() ? numbered(net.outputs()) : names);
            case BINARY_CLASSIFICATION -> names.size() == 2 ? src.binary(names) : src.numeric();
            case REGRESSION -> {
                if (src.targetCount() != net.outputs()) {
                    throw new UserError(src.describe() + " has " + src.targetCount() + " target column(s) but the model has " + net.outputs()
                            + " outputs; name them with --target");
                }
                yield src.numeric();
            }
        };
    }

    /** Examples without targets (for predict): every column the model takes, extra columns ignored by name. */
    static Source unlabelled(Network net, Path data, Options.Data opts) throws IOException {
        List<String> targets = opts.target.isEmpty() ? Csv.NO_TARGETS : opts.target;
        Source src = Source.load(data, opts.labels, opts.csv(targets).withFeatures(net.inputNames()));
        return matchInputs(net, src);
    }

    private static Source matchInputs(Network net, Source src) throws IOException {
        boolean named = src instanceof Source.CsvSource c && c.table().hasHeader() && !net.inputNames().isEmpty();
        if (named) {
            return src.selectFeatures(net.inputNames());
        }
        if (src.featureNames().size() != net.inputs()) {
            throw new UserError(src.describe() + " has " + src.featureNames().size() + " feature columns but the model takes " + net.inputs()
                    + (net.inputNames().isEmpty() ? "" : " (" + Problem.abbreviate(net.inputNames()) + ")"));
        }
        return src;
    }

    static List<String> numbered(int k) {
        List<String> c = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            c.add(Integer.toString(i));
        }
        return c;
    }
}
