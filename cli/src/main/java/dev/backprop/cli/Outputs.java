package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.Evaluation;
import dev.backprop.Network;
import dev.backprop.Task;
import dev.backprop.io.AtomicFiles;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingResult;
import dev.backprop.util.Numbers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code train} (and {@code demo}) write and print after training. */
final class Outputs {
    private Outputs() {
    }

    /**
     * Everything about one training run, with the final evaluations computed once.
     *
     * @param settings  the training configuration as the report shows it
     * @param keptEpoch the epoch whose weights the run ended with when early stopping restored them, else 0
     */
    record Run(Network net, Problem problem, TrainingResult result, Dataset train, Dataset validation, Dataset test,
               Map<String, String> settings, int keptEpoch, Path model, Evaluation trainEval, Evaluation validationEval, Evaluation testEval) {
        Run(Network net, Problem problem, TrainingResult result, Dataset train, Dataset validation, Dataset test, Map<String, String> settings,
            int keptEpoch, Path model) {
            this(net, problem, result, train, validation, test, settings, keptEpoch, model, net.evaluate(train),
                    validation == null ? null : net.evaluate(validation), test == null ? null : net.evaluate(test));
        }
    }

    /** The configuration table of the report for a first-order run. */
    static Map<String, String> settings(TrainingConfig c, int trainSize) {
        Map<String, String> t = Report.map();
        t.put("optimizer", c.optimizer().toString());
        t.put("batch size", c.batchSize() >= trainSize ? "full batch (" + trainSize + ")" : Integer.toString(c.batchSize()));
        t.put("epochs (max)", Integer.toString(c.stopping().maxEpochs()));
        t.put("regularization", "L2 " + c.regularization().l2() + ", L1 " + c.regularization().l1());
        t.put("schedule", c.schedule().toString());
        t.put("early stopping", c.stopping().patience() > 0 ? "patience " + c.stopping().patience() : "off");
        t.put("seed", Long.toString(c.seed()));
        return t;
    }

    /** The epoch whose weights a first-order run ended with, when early stopping restored them (else 0). */
    static int keptEpoch(TrainingConfig c, TrainingResult r) {
        boolean restored = c.stopping().patience() > 0 && r.bestEpoch() < r.history().size() && r.message().contains("restored");
        return restored ? r.bestEpoch() : 0;
    }

    /** "iris.csv" → "iris", "train-images-idx3-ubyte.gz" → "train-images-idx3-ubyte", "m.model.json" → "m". */
    static String stem(String name) {
        String s = name;
        for (String ext : new String[] {".gz", ".json", ".csv", ".tsv", ".txt", ".model"}) {
            if (s.toLowerCase(Locale.ROOT).endsWith(ext) && s.length() > ext.length()) {
                s = s.substring(0, s.length() - ext.length());
            }
        }
        return s;
    }

    /** A file next to the model: model "out/iris.model.json", suffix ".loss.svg" → "out/iris.loss.svg". */
    static Path beside(Path model, String suffix) {
        return model.resolveSibling(stem(model.getFileName().toString()) + suffix);
    }

    /** Encodes another file's examples the way the training data was encoded (same classes, same feature names). */
    static Dataset encodeLike(Problem problem, Source other) throws IOException {
        Source s = other;
        if (other instanceof Source.CsvSource && problem.source instanceof Source.CsvSource
                && !other.featureNames().equals(problem.source.featureNames()) && other.featureNames().containsAll(problem.source.featureNames())) {
            s = other.selectFeatures(problem.source.featureNames());
        }
        if (s.featureNames().size() != problem.data.features()) {
            throw new UserError(other.describe() + " has " + s.featureNames().size() + " feature columns but the training data has "
                    + problem.data.features());
        }
        return switch (problem.kind) {
            case CLASSES -> s.oneHot(problem.classes);
            case BINARY -> s.binary(problem.classes);
            case NUMBERS -> {
                if (s.targetCount() != problem.data.targets()) {
                    throw new UserError(other.describe() + " has " + s.targetCount() + " target columns but the training data has "
                            + problem.data.targets());
                }
                yield s.numeric();
            }
        };
    }

    /** The confusion matrix of a classifier on a dataset: rows true class, columns predicted. */
    static int[][] confusion(Network net, Dataset d) {
        int k = net.task() == Task.BINARY_CLASSIFICATION ? 2 : net.outputs();
        int[][] m = new int[k][k];
        double[][] out = net.predict(d);
        for (int i = 0; i < d.size(); i++) {
            int truth = net.task() == Task.BINARY_CLASSIFICATION ? (d.targetRow(i)[0] > 0.5 ? 1 : 0) : d.label(i);
            int pred = net.task() == Task.BINARY_CLASSIFICATION ? (out[i][0] > 0.5 ? 1 : 0) : argmax(out[i]);
            m[truth][pred]++;
        }
        return m;
    }

    static int argmax(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[b]) {
                b = i;
            }
        }
        return b;
    }

    /** Writes the loss plot (PNG and SVG), the confusion matrix (classification) and the HTML report. */
    static List<Path> writePicturesAndReport(Run run, PrintWriter err) throws IOException {
        List<Path> written = new ArrayList<>();
        String name = stem(run.model().getFileName().toString());
        String lossTitle = "Loss per epoch: " + name;
        int kept = run.keptEpoch();
        Canvas.Svg lossSvg = new Canvas.Svg(800, 460);
        Charts.loss(lossSvg, run.result().history(), lossTitle, kept);
        written.add(write(beside(run.model(), ".loss.svg"), lossSvg.finish()));
        written.addAll(png(beside(run.model(), ".loss.png"), c -> Charts.loss(c, run.result().history(), lossTitle, kept), 800, 460, err));
        boolean classification = run.net().task().isClassification();
        Report report = new Report("backprop run: " + name);
        report.paragraph(run.result().message() + ".");
        report.table("Result", metricsTable(run));
        report.figure("Loss", lossSvg.finish());
        if (classification) {
            Canvas.Svg acc = new Canvas.Svg(800, 400);
            Charts.accuracy(acc, run.result().history(), "Accuracy per epoch", kept);
            report.figure("Accuracy", acc.finish());
            Dataset on = run.test() != null ? run.test() : run.validation() != null ? run.validation() : run.train();
            String which = run.test() != null ? "test" : run.validation() != null ? "validation" : "training";
            int[][] m = confusion(run.net(), on);
            List<String> classes = run.problem().classes;
            String title = "Confusion matrix, " + which + " data (" + on.size() + " examples)";
            int size = Math.max(520, Math.min(900, 160 + 48 * classes.size()));
            Canvas.Svg cm = new Canvas.Svg(size, size - 20);
            Charts.confusion(cm, m, classes, title);
            written.add(write(beside(run.model(), ".confusion.svg"), cm.finish()));
            written.addAll(png(beside(run.model(), ".confusion.png"), c -> Charts.confusion(c, m, classes, title), size, size - 20, err));
            report.figure("Confusion matrix", cm.finish());
        }
        report.table("Configuration", configTable(run));
        report.history(run.result().history(), classification);
        if (!run.result().recoveries().isEmpty()) {
            report.grid("Recoveries", List.of("what the doctor did"), run.result().recoveries().stream().map(List::of).toList());
        }
        report.table("Provenance", run.net().provenance());
        written.add(write(beside(run.model(), ".report.html"), report.html()));
        return written;
    }

    private static Map<String, String> metricsTable(Run run) {
        Map<String, String> t = Report.map();
        t.put("training", describe(run.trainEval()));
        if (run.validationEval() != null) {
            t.put("validation", describe(run.validationEval()));
        }
        if (run.testEval() != null) {
            t.put("test", describe(run.testEval()));
        }
        t.put("stopped because", run.result().reason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        t.put("time", Progress.duration(run.result().elapsed().toNanos() / 1e9));
        return t;
    }

    static String describe(Evaluation e) {
        return e.task().isClassification()
                ? String.format(Locale.ROOT, "accuracy %.4f, cost %s (%,d examples)", e.accuracy(), Numbers.format(e.cost()), e.examples())
                : String.format(Locale.ROOT, "MSE %s, R² %.4f, cost %s (%,d examples)", Numbers.format(e.mse()), e.r2(), Numbers.format(e.cost()),
                e.examples());
    }

    private static Map<String, String> configTable(Run run) {
        Map<String, String> t = Report.map();
        Network net = run.net();
        t.put("data", run.problem().source.describe());
        t.put("layers", run.problem().describe());
        t.put("parameters", String.format(Locale.ROOT, "%,d", net.parameterCount()));
        t.put("cost", net.cost().formula());
        t.put("precision", net.precision().id());
        t.put("input scaling", net.inputScaling() == null ? "none" : net.inputScaling().method());
        t.putAll(run.settings());
        t.put("model file", run.model().toString());
        return t;
    }

    /** Prints the result of a run: metrics per split and the files written. */
    static void summary(PrintWriter out, Run run, List<Path> written) {
        TrainingResult r = run.result();
        out.printf(Locale.ROOT, "%s%n", r.message());
        out.printf(Locale.ROOT, "  training:   %s%n", describe(run.trainEval()));
        if (run.validationEval() != null) {
            out.printf(Locale.ROOT, "  validation: %s%n", describe(run.validationEval()));
        }
        if (run.testEval() != null) {
            out.printf(Locale.ROOT, "  test:       %s%n", describe(run.testEval()));
        }
        out.printf(Locale.ROOT, "  wrote %s%n", String.join(", ", written.stream().map(Path::toString).toList()));
        out.flush();
    }

    static Path write(Path file, String text) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private static List<Path> png(Path file, java.util.function.Consumer<Canvas> draw, int w, int h, PrintWriter err) throws IOException {
        byte[] bytes;
        try {
            Canvas.Png png = new Canvas.Png(w, h);
            draw.accept(png);
            bytes = png.finish();
        } catch (RuntimeException | Error e) {
            // headless machines without fonts cannot draw text; the SVG has the same picture
            err.println("backprop: could not draw " + file.getFileName() + " (" + e + "); the SVG has the same picture");
            return List.of();
        }
        AtomicFiles.write(file, bytes);
        return List.of(file);
    }
}
