package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.Evaluation;
import dev.backprop.Network;
import dev.backprop.Task;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backprop evaluate MODEL DATA}: cost and accuracy (with a confusion matrix) or MSE and R². */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure a saved model on labelled data: cost and accuracy with a confusion matrix for classifiers, MSE and R² for regression.")
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file written by train")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "CSV or IDX data with targets")
    Path data;

    @Mixin
    Options.Data dataOptions;

    @Option(names = "--json", description = "print the figures as JSON")
    boolean json;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Network net = Network.load(model);
        Dataset d = ModelData.labelled(net, data, dataOptions);
        Evaluation e = net.evaluate(d);
        List<String> classes = net.task() == Task.BINARY_CLASSIFICATION && net.outputNames().size() != 2 ? List.of("0", "1")
                : net.outputNames().isEmpty() ? ModelData.numbered(net.outputs()) : net.outputNames();
        int[][] m = e.task().isClassification() ? Outputs.confusion(net, d) : null;
        if (json) {
            StringBuilder s = new StringBuilder("{\"examples\": ").append(e.examples()).append(", \"cost\": ").append(json(e.cost()));
            if (m != null) {
                s.append(", \"accuracy\": ").append(json(e.accuracy())).append(", \"classes\": [");
                for (int i = 0; i < classes.size(); i++) {
                    s.append(i > 0 ? ", " : "");
                    dev.backprop.io.Json.quote(s, classes.get(i));
                }
                s.append("], \"confusion\": ").append(java.util.Arrays.deepToString(m));
            } else {
                s.append(", \"mse\": ").append(json(e.mse())).append(", \"r2\": ").append(json(e.r2()));
            }
            out.println(s.append('}'));
            return 0;
        }
        out.println(model.getFileName() + " on " + data.getFileName() + ": " + Outputs.describe(e));
        if (m != null) {
            out.print(confusionText(m, classes));
        }
        out.flush();
        return 0;
    }

    /** A JSON number, or null for NaN and infinities (which JSON cannot write). */
    static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** The confusion matrix as a text table (rows: true class, columns: predicted). */
    static String confusionText(int[][] m, List<String> classes) {
        int w = Math.max(6, classes.stream().mapToInt(String::length).max().orElse(4) + 1);
        w = Math.min(w, 14);
        StringBuilder s = new StringBuilder("confusion matrix (rows: true class, columns: predicted)\n");
        s.append(" ".repeat(w + 2));
        for (String c : classes) {
            s.append(String.format(Locale.ROOT, "%" + w + "s", cut(c, w - 1)));
        }
        s.append('\n');
        for (int i = 0; i < m.length; i++) {
            s.append(String.format(Locale.ROOT, "%-" + (w + 2) + "s", cut(classes.get(i), w + 1)));
            for (int v : m[i]) {
                s.append(String.format(Locale.ROOT, "%" + w + "d", v));
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static String cut(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
