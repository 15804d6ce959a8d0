package dev.backprop.cli;

import dev.backprop.Evaluation;
import dev.backprop.Network;
import dev.backprop.data.Idx;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code backprop demo}: train a real network on real data, as the README's main job. Fashion-MNIST when the
 * {@code dataset-fashion-mnist} package is installed, otherwise the Iris flowers shipped with backprop.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network on real data and write the model, the plots and the report: Fashion-MNIST (60,000 images of clothing,"
                + " 784-256-128-10, Adam with a cosine schedule, 15 epochs) when it is installed (Debian: apt-get install dataset-fashion-mnist), otherwise the Iris"
                + " flowers shipped with backprop. It prints the equivalent 'backprop train' command."})
final class DemoCommand implements Callable<Integer> {
    /** Fashion-MNIST's ten classes, in label order. */
    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
            "Bag", "Ankle boot");

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "where the Fashion-MNIST IDX files are (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "backprop-demo", description = "where to write the model, plots and report (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--epochs", paramLabel = "N", description = "epochs (default: 15 for Fashion-MNIST, 300 for Iris)")
    Integer epochs;

    @Option(names = "--iris", description = "use the shipped Iris data even if Fashion-MNIST is installed")
    boolean iris;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Files.createDirectories(out);
        Path train = find(dataDir, "train-images-idx3-ubyte");
        Path trainLabels = find(dataDir, "train-labels-idx1-ubyte");
        Path test = find(dataDir, "t10k-images-idx3-ubyte");
        Path testLabels = find(dataDir, "t10k-labels-idx1-ubyte");
        boolean fashion = !iris && train != null && trainLabels != null && test != null && testLabels != null;
        List<String> args = new ArrayList<>();
        Path model;
        String what;
        if (fashion) {
            model = out.resolve("fashion-mnist.model.json");
            what = "Fashion-MNIST";
            args.addAll(List.of("train", train.toString(), "--labels", trainLabels.toString(), "--test", test.toString(), "--test-labels",
                    testLabels.toString(), "--layers", "784-256:relu-128:relu-10:softmax", "--optimizer", "adam", "--lr", "0.001",
                    "--batch", "128", "--epochs", Integer.toString(epochs == null ? 15 : epochs), "--schedule", "cosine",
                    "--validation", "0.0833333", "--patience", "5",
                    "--class-names", String.join(",", FASHION_CLASSES), "--seed", "1", "-o", model.toString()));
        } else {
            if (!iris) {
                err.println("Fashion-MNIST is not installed in " + dataDir + " (Debian: apt-get install dataset-fashion-mnist);"
                        + " using the Iris flowers shipped with backprop instead.");
            }
            Path csv = out.resolve("iris.csv");
            try (InputStream in = DemoCommand.class.getResourceAsStream("iris.csv")) {
                Files.write(csv, in.readAllBytes());
            }
            model = out.resolve("iris.model.json");
            what = "Iris";
            args.addAll(List.of("train", csv.toString(), "--target", "species", "--layers", "4-16:tanh-3:softmax", "--optimizer", "adam",
                    "--lr", "0.01", "--batch", "16", "--epochs", Integer.toString(epochs == null ? 300 : epochs), "--validation", "0.15",
                    "--test-fraction", "0.2", "--patience", "30", "--seed", "1", "-o", model.toString()));
        }
        if (common.quiet) {
            args.add("--quiet");
        }
        o.println("The same as: backprop " + String.join(" ", args.stream().map(DemoCommand::shellQuote).toList()));
        o.flush();
        long start = System.nanoTime();
        int code = Main.run(args.toArray(String[]::new), o, err);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
            return code;
        }
        if (fashion) {
            Network net = Network.load(model);
            Idx.Array images = Idx.read(test);
            Idx.Array labels = Idx.read(testLabels);
            Evaluation e = net.evaluate(Idx.classification(images, labels, 10));
            o.printf(Locale.ROOT, "%nFashion-MNIST test accuracy %.4f on %,d images (the published scikit-learn MLP baseline is 0.871);"
                    + " the whole run took %s.%n", e.accuracy(), e.examples(), Progress.duration(seconds));
        } else {
            o.printf(Locale.ROOT, "%nIris demo finished in %s.%n", Progress.duration(seconds));
        }
        o.printf("Open %s for the report.%n", Outputs.beside(model, ".report.html"));
        o.flush();
        return 0;
    }

    private static Path find(Path dir, String name) {
        for (String candidate : new String[] {name + ".gz", name}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String shellQuote(String s) {
        return s.matches("[A-Za-z0-9_./:,=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

}
