package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.Regularization;
import dev.backprop.check.GradientCheck;
import dev.backprop.check.GradientCheckReport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backprop check [MODEL] DATA}: backpropagation against central differences, per layer. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Gradient check: compare the gradient backpropagation computes with central differences (J(θ+h) − J(θ−h))/2h, in"
                + " float64, on your data, and print the relative error per layer. Passes at 1e-6.",
                "Give a saved MODEL and DATA, or only DATA with the network options of train (--layers, --cost, ...).",
                "Exit code 0 when every layer passes, 1 when one fails (that would be a bug in backprop)."})
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..2", paramLabel = "[MODEL] DATA", description = "an optional model file, then the data")
    List<Path> files;

    @Mixin
    Options.Data dataOptions;

    @Mixin
    Options.Network network;

    @Mixin
    Options.Penalty penalty;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "20", description = "examples used, from the start of DATA (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "200",
            description = "parameters checked per layer at most, drawn at random; 0 for all (default ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "1e-6", description = "largest relative error that passes (default ${DEFAULT-VALUE})")
    double tolerance;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rows < 1) {
            throw new UserError("--rows must be at least 1, got " + rows);
        }
        Network net;
        Dataset data;
        if (files.size() == 2) {
            net = Network.load(files.get(0));
            data = ModelData.labelled(net, files.get(1), dataOptions);
        } else {
            Problem p = Problem.of(Source.load(files.getFirst(), dataOptions.labels, dataOptions.csv()), network);
            net = p.network(network);
            net.setInputScaling(p.scaling(network.scale, p.data));
            data = p.data;
        }
        data = data.range(0, Math.min(rows, data.size()));
        GradientCheck.Options options = GradientCheck.Options.defaults().withRegularization(penalty.regularization())
                .withTolerance(tolerance).withMaxParametersPerLayer(samples, network.seed);
        GradientCheckReport report = GradientCheck.run(net, data, options);
        var out = spec.commandLine().getOut();
        out.println("network " + new LayerSpecs.Parsed(net.inputs(), net.specs()).describe() + ", cost " + net.cost().id() + ", "
                + data.size() + " examples");
        out.print(report.summary());
        out.flush();
        return report.passed() ? 0 : Main.INTERNAL_ERROR;
    }
}
