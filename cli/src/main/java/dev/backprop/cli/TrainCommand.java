package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.Evaluation;
import dev.backprop.Network;
import dev.backprop.Regularization;
import dev.backprop.secondorder.Limits;
import dev.backprop.secondorder.Method;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backprop train DATA}: build a network, train it, save it with its plots and report. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network on a CSV or IDX file and save it, with a loss plot, a confusion matrix (for classes) and an HTML report.",
                "Text targets become classes (softmax and cross-entropy by default); numeric targets are regressed (identity and quadratic cost)."},
        footer = {"", "Examples:",
                "  backprop train iris.csv --target species",
                "  backprop train train-images-idx3-ubyte.gz --labels train-labels-idx1-ubyte.gz \\",
                "      --layers 784-256:relu-128:relu-10:softmax --batch 128 --epochs 10 -o fashion.model.json"})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATA", description = "training data: CSV (optionally gzipped) or IDX images")
    Path data;

    @Mixin
    Options.Data dataOptions;

    @Option(names = "--test", paramLabel = "FILE", description = "test data, evaluated after training (same format as DATA)")
    Path test;

    @Option(names = "--test-labels", paramLabel = "FILE", description = "IDX labels of the test images")
    Path testLabels;

    @Option(names = "--test-fraction", paramLabel = "FRACTION", defaultValue = "0",
            description = "hold out this fraction of DATA as a test set when no --test is given (default ${DEFAULT-VALUE})")
    double testFraction;

    @Mixin
    Options.Network network;

    @Mixin
    Training training;

    @Option(names = "--class-names", split = ",", paramLabel = "NAME",
            description = "names for the classes, in the order of the sorted labels (for IDX: of labels 0, 1, ...)")
    List<String> classNames;

        @Option(names = {"-o", "--output"}, paramLabel = "MODEL", description = "where to save the model (default: DATA's name + .model.json)")
    Path output;

    @Option(names = "--no-report", description = "do not write the plots and the HTML report")
    boolean noReport;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        Path model = output != null ? output : Path.of(Outputs.stem(data.getFileName().toString()) + ".model.json");
        if (java.nio.file.Files.exists(model) && java.nio.file.Files.exists(data) && java.nio.file.Files.isSameFile(model, data)) {
            throw new UserError("-o " + model + " would overwrite the training data; choose another model file");
        }
        Source source = Source.load(data, dataOptions.labels, dataOptions.csv());
        Problem problem = Problem.of(source, network);
        if (problem.kind == Problem.Kind.CLASSES && !source.labelsAreText() && source instanceof Source.CsvSource && !network.classify
                && network.layers == null && !common.quiet) {
            err.println("note: the target holds " + problem.classes.size() + " whole numbers, so they are taken as class labels"
                    + " (use --regress to predict them as numbers)");
        }
        Dataset all = problem.data;
        Dataset testSet = null;
        if (test != null) {
            testSet = Outputs.encodeLike(problem, Source.load(test, testLabels, dataOptions.csv(source.targetNames())));
        } else if (testFraction > 0) {
            Dataset.Split s = split(all, 1 - testFraction, network.seed ^ 0x7E57L, "--test-fraction");
            all = s.first();
            testSet = s.second();
        }
        boolean patienceGiven = spec.commandLine().getParseResult().hasMatchedOption("--patience");
        Dataset train = all;
        Dataset validation = null;
        if (training.validation > 0) {
            Dataset.Split s = split(all, 1 - training.validation, network.seed ^ 0x5EEDL, "--validation");
            train = s.first();
            validation = s.second();
        } else if (patienceGiven && training.patience > 0) {
            throw new UserError("--patience needs validation data: set --validation to a fraction such as 0.1");
        } else {
            training.patience = 0;
        }
        if (training.secondOrder() && !spec.commandLine().getParseResult().hasMatchedOption("--precision")) {
            network.precision = "float64"; // curvature and line searches need it; second-order methods are for small networks anyway
        }
        Network net = problem.network(network);
        if (classNames != null) {
            if (!(source instanceof Source.IdxSource)) {
                throw new UserError("--class-names names IDX labels 0, 1, ...; the labels of a CSV file are already its class names");
            }
            problem = problem.renameClasses(classNames);
            net.setOutputNames(problem.classes);
        }
        net.setInputScaling(problem.scaling(network.scale, train));
        net.setThreads(training.threads());
        TrainingResult result;
        java.util.Map<String, String> settings;
        int keptEpoch;
        if (training.secondOrder()) {
            var parse = spec.commandLine().getParseResult();
            Method method = training.method(parse.hasMatchedOption("--batch"));
            Limits limits = training.limits(parse.hasMatchedOption("--epochs"), patienceGiven, validation != null);
            Regularization reg = new Regularization(training.l2, training.l1);
            announce(err, problem, net, train, validation, testSet, method.toString());
            Progress progress = new Progress(err, Progress.stderrIsTerminal(), common.quiet, limits.maxIterations(), train.size());
            result = SecondOrder.train(net, train, validation, method, limits, reg, progress);
            settings = SecondOrder.settings(method, limits, reg, train.size(), validation != null, network.seed);
            keptEpoch = result.bestEpoch() < result.history().size() ? result.bestEpoch() : 0; // restored by early stopping
        } else {
            TrainingConfig config = training.config(network.seed, train.size());
            int batch = Math.min(config.batchSize(), train.size());
            announce(err, problem, net, train, validation, testSet, config.optimizer().toString());
            Progress progress = new Progress(err, Progress.stderrIsTerminal(), common.quiet, config.stopping().maxEpochs(), batch);
            result = new Trainer(config, progress).fit(net, train, validation);
            settings = Outputs.settings(config, train.size());
            keptEpoch = Outputs.keptEpoch(config, result);
        }
        net.putProvenance("data", source.describe());
        net.putProvenance("layers", problem.describe());
        net.putProvenance("targets", String.join(",", source.targetNames()));
        net.putProvenance("threads", Integer.toString(net.threads()));
        // the parse result's original arguments are the whole command line, the subcommand's name included
        net.putProvenance("command", "backprop " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        if (result.diverged()) { // never replace a good model with a diverged run's
            model = Outputs.beside(model, ".diverged.model.json");
        }
        Outputs.Run run = new Outputs.Run(net, problem, result, train, validation, testSet, settings, keptEpoch, model);
        List<Path> written = new ArrayList<>();
        net.save(model);
        written.add(model);
        if (!noReport) {
            written.addAll(Outputs.writePicturesAndReport(run, err));
        }
        Outputs.summary(out, run, written);
        if (result.diverged()) {
            err.println("backprop train: " + result.message() + " The last good weights are in " + model + ".");
            return Main.USER_ERROR;
        }
        return 0;
    }

    private void announce(java.io.PrintWriter err, Problem problem, Network net, Dataset train, Dataset validation, Dataset testSet,
                          String using) {
        if (!common.quiet) {
            err.printf("training %s (%,d parameters, %s, %s) on %,d examples%s%s with %s%n", problem.describe(), net.parameterCount(),
                    problem.cost.id(), net.precision().id(), train.size(), validation == null ? "" : String.format(", validating on %,d", validation.size()),
                    testSet == null ? "" : String.format(", testing on %,d", testSet.size()), using);
            err.printf("kernels: %s; chosen at start-up: %s%n", net.kernels().name(), dev.backprop.kernel.Kernels.selection());
        }
    }

    private static Dataset.Split split(Dataset d, double fraction, long seed, String option) {
        if (d.size() < 2) {
            throw new UserError(option + " needs at least 2 examples to split, the data has " + d.size());
        }
        return d.split(fraction, seed);
    }

    static Evaluation evaluate(Network net, Dataset d) {
        return d == null ? null : net.evaluate(d);
    }
}
