package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.Dense;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.Regularization;
import dev.backprop.io.AtomicFiles;
import dev.backprop.io.Json;
import dev.backprop.kernel.Kernels;
import dev.backprop.kernel.Vec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backprop gradient MODEL DATA}: J and its full gradient as JSON. */
@Command(name = "gradient", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print, as JSON, the objective J = (1/m)·sum C + (l2/2)·sum W² + l1·sum |W| of a saved model on a data file, its full"
                + " gradient dJ/dW and dJ/db per layer, and the network's outputs for each example. Computed in float64."})
final class GradientCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "CSV or IDX data with targets")
    Path data;

    @Mixin
    Options.Data dataOptions;

    @Mixin
    Options.Penalty penalty;

    @Option(names = "--rows", paramLabel = "N", description = "use only the first N examples")
    Integer rows;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write the JSON to this file instead of standard output")
    Path output;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Network net = Network.load(model).copy(Kernels.scalar(Precision.FLOAT64));
        for (Dense d : net.layers()) {
            net.unfreeze(d.index());
        }
        Dataset d = ModelData.labelled(net, data, dataOptions);
        if (rows != null) {
            if (rows < 1) {
                throw new UserError("--rows must be at least 1, got " + rows);
            }
            d = d.range(0, Math.min(rows, d.size()));
        }
        Regularization reg = penalty.regularization();
        double j = net.computeGradient(d, reg);
        double penaltyTerm = net.penalty(reg);
        StringBuilder s = new StringBuilder("{\n");
        s.append("  \"model\": ");
        Json.quote(s, model.toString());
        s.append(",\n  \"data\": ");
        Json.quote(s, data.toString());
        s.append(",\n  \"examples\": ").append(d.size());
        s.append(",\n  \"l2\": ").append(penalty.l2).append(", \"l1\": ").append(penalty.l1);
        s.append(",\n  \"objective\": ").append(EvaluateCommand.json(j));
        s.append(",\n  \"mean_cost\": ").append(EvaluateCommand.json(j - penaltyTerm));
        s.append(",\n  \"penalty\": ").append(EvaluateCommand.json(penaltyTerm));
        s.append(",\n  \"layers\": [\n");
        for (Dense layer : net.layers()) {
            s.append("    {\"layer\": ").append(layer.index()).append(", \"inputs\": ").append(layer.inputs()).append(", \"outputs\": ")
                    .append(layer.outputs()).append(",\n     \"dJ_dW\": ");
            matrix(s, layer.weightGradient(), layer.outputs(), layer.inputs(), "      ");
            s.append(",\n     \"dJ_db\": ");
            matrix(s, layer.biasGradient(), 1, layer.biasGradient().length(), "");
            s.append('}').append(layer.index() + 1 < net.layers().size() ? ",\n" : "\n");
        }
        s.append("  ],\n  \"outputs\": [\n");
        double[][] out = net.predict(d);
        for (int i = 0; i < out.length; i++) {
            s.append("    [").append(String.join(", ", java.util.Arrays.stream(out[i]).mapToObj(EvaluateCommand::json).toList()))
                    .append(i + 1 < out.length ? "],\n" : "]\n");
        }
        s.append("  ]\n}\n");
        if (output != null) {
            AtomicFiles.write(output, s.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            spec.commandLine().getOut().print(s);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private static void matrix(StringBuilder s, Vec v, int rows, int cols, String indent) {
        if (rows == 1) {
            s.append('[');
            for (int c = 0; c < cols; c++) {
                s.append(c > 0 ? ", " : "").append(EvaluateCommand.json(v.get(c)));
            }
            s.append(']');
            return;
        }
        s.append("[\n");
        for (int r = 0; r < rows; r++) {
            s.append(indent).append('[');
            for (int c = 0; c < cols; c++) {
                s.append(c > 0 ? ", " : "").append(EvaluateCommand.json(v.get(r * cols + c)));
            }
            s.append(r + 1 < rows ? "],\n" : "]\n");
        }
        s.append(indent, 0, Math.max(0, indent.length() - 1)).append(']');
    }
}
