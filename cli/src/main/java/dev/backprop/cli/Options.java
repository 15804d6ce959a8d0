package dev.backprop.cli;

import dev.backprop.data.Csv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Option groups shared by several commands (picocli mixins). */
final class Options {
    private Options() {
    }

    /** How to read data files. */
    static final class Data {
        @Option(names = "--labels", paramLabel = "FILE", description = "IDX labels file, for IDX images (the MNIST family)")
        Path labels;

        @Option(names = "--target", split = ",", paramLabel = "COLUMN",
                description = "CSV target column(s), by name or 0-based index (-1 = last); default: the last column")
        List<String> target = new ArrayList<>();

        @Option(names = "--header", negatable = true, description = "whether the first CSV row names the columns (default: detected)")
        Boolean header;

        @Option(names = "--delimiter", paramLabel = "CHAR", description = "CSV field separator, e.g. ';' or '\\t' (default: detected)")
        String delimiter;

        Csv.Options csv(List<String> targets) {
            char d = 0;
            if (delimiter != null) {
                String v = delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab") ? "\t" : delimiter;
                if (v.length() != 1) {
                    throw new UserError("--delimiter must be one character, got '" + delimiter + "'");
                }
                d = v.charAt(0);
            }
            Csv.Header h = header == null ? Csv.Header.AUTO : header ? Csv.Header.PRESENT : Csv.Header.ABSENT;
            return new Csv.Options(d, h, targets, List.of());
        }

        Csv.Options csv() {
            return csv(target);
        }
    }

    /** The weight penalty in J, for commands that compute J (check, gradient). */
    static final class Penalty {
        @Option(names = "--l2", paramLabel = "LAMBDA", defaultValue = "0", description = "L2 coefficient in J (default ${DEFAULT-VALUE})")
        double l2;

        @Option(names = "--l1", paramLabel = "LAMBDA", defaultValue = "0", description = "L1 coefficient in J (default ${DEFAULT-VALUE})")
        double l1;

        dev.backprop.Regularization regularization() {
            return new dev.backprop.Regularization(l2, l1);
        }
    }

    /** Options every command has. */
    static final class Common {
        @Option(names = {"-q", "--quiet"}, description = "print only results and errors")
        boolean quiet;

        @Option(names = "--debug", description = "print the stack trace of an error")
        boolean debug;

        @Option(names = "--config", paramLabel = "FILE", description = "read options from a JSON file, e.g. {\"epochs\": 10, \"lr\": 0.01};"
                + " options after it override it")
        Path config;
    }

    /** What network to build. */
    static final class Network {
        @Option(names = "--layers", paramLabel = "SPEC", description = "layers: [inputs-]units:activation-..., e.g. 784-256:relu-128:relu-10:softmax"
                + " (default: one hidden layer of 100 ReLU units and an output layer that suits the targets)")
        String layers;

        @Option(names = "--cost", paramLabel = "NAME", description = "quadratic, binary_cross_entropy, cross_entropy, kullback_leibler,"
                + " exponential, hellinger, itakura_saito (default: cross_entropy for softmax, binary_cross_entropy for sigmoid, else quadratic)")
        String cost;

        @Option(names = "--tau", paramLabel = "X", description = "tau of the exponential cost (default 1)")
        Double tau;

        @Option(names = "--init", paramLabel = "NAME", defaultValue = "pytorch_default",
                description = "pytorch_default, uniform, xavier_uniform, xavier_normal, he_uniform, he_normal (default ${DEFAULT-VALUE})")
        String init;

        @Option(names = "--precision", paramLabel = "P", defaultValue = "float32", description = "float32 or float64 (default ${DEFAULT-VALUE})")
        String precision;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "seed of the initial weights, the splits and the shuffling (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--classify", description = "treat numeric targets as class labels")
        boolean classify;

        @Option(names = "--regress", description = "treat integer targets as numbers to predict (by default a single target of whole"
                + " numbers with at most 20 distinct values is taken as class labels)")
        boolean regress;

        @Option(names = "--scale", paramLabel = "HOW", defaultValue = "auto",
                description = "input scaling stored in the model: standard, minmax, none, or auto (standard; IDX bytes divided by 255)")
        String scale;
    }
}
