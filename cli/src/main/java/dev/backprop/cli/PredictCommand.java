package dev.backprop.cli;

import dev.backprop.Network;
import dev.backprop.Task;
import dev.backprop.io.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backprop predict MODEL DATA}: the model's outputs as CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a saved model on data and write its predictions as CSV: the predicted class (and with --probabilities the"
                + " probability of each class) for a classifier, the predicted values for a regression.",
                "With a CSV header, the model's input columns are found by name and other columns are ignored."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file written by train")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "CSV or IDX data")
    Path data;

    @Mixin
    Options.Data dataOptions;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the CSV to this file instead of standard output")
    Path output;

    @Option(names = "--probabilities", description = "also write each class's probability")
    boolean probabilities;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Network net = Network.load(model);
        Source src = ModelData.unlabelled(net, data, dataOptions);
        double[][] out = net.predict(src.featuresOnly(net.outputs()));
        StringBuilder csv = new StringBuilder();
        boolean classifier = net.task().isClassification();
        List<String> names = net.outputNames();
        List<String> classes = net.task() == Task.BINARY_CLASSIFICATION ? (names.size() == 2 ? names : List.of("0", "1"))
                : names.isEmpty() ? ModelData.numbered(net.outputs()) : names;
        if (classifier) {
            csv.append("predicted");
            if (probabilities) {
                if (net.task() == Task.BINARY_CLASSIFICATION) {
                    csv.append(',').append(quote("p(" + classes.get(1) + ")"));
                } else {
                    for (String c : classes) {
                        csv.append(',').append(quote("p(" + c + ")"));
                    }
                }
            }
        } else {
            csv.append(String.join(",", (names.isEmpty() ? ModelData.numbered(net.outputs()).stream().map(s -> "output" + s).toList() : names)
                    .stream().map(PredictCommand::quote).toList()));
        }
        csv.append('\n');
        for (double[] o : out) {
            if (classifier) {
                int c = net.task() == Task.BINARY_CLASSIFICATION ? (o[0] > 0.5 ? 1 : 0) : Outputs.argmax(o);
                csv.append(quote(classes.get(c)));
                if (probabilities) {
                    for (double p : o) {
                        csv.append(',').append(p);
                    }
                }
            } else {
                for (int k = 0; k < o.length; k++) {
                    csv.append(k > 0 ? "," : "").append(o[k]);
                }
            }
            csv.append('\n');
        }
        if (output != null) {
            AtomicFiles.write(output, csv.toString().getBytes(StandardCharsets.UTF_8));
            if (!common.quiet) {
                spec.commandLine().getErr().println("wrote " + out.length + " predictions to " + output);
            }
        } else {
            spec.commandLine().getOut().print(csv);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
