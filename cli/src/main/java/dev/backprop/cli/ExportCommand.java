package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.export.CExport;
import dev.backprop.export.FixedPointCExport;
import dev.backprop.export.OnnxExport;
import dev.backprop.io.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backprop export MODEL --format onnx|c [--fixed q15|q7 [--data FILE]]}: the model in a format other tools run. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a saved model in another format, with its input scaling included (it takes raw features).",
                "onnx: an ONNX model (IR 8, opset 17, float32) that ONNX Runtime and other ONNX back ends run: input \"input\" [N, inputs],"
                        + " output \"output\" [N, outputs]; the library version and the model's provenance are in its metadata.",
                "c: C99 source, NAME.h and NAME.c, with the weights as const float arrays and"
                        + " void predict(const float *in, float *out); float32, libm only (link with -lm).",
                "c --fixed q15|q7: the same in fixed point: int16 (q15) or int8 (q7) weights, Q15 activations in int32, integer"
                        + " arithmetic in the layers, tables for sigmoid and tanh (the format is in NAME.h); with --data, the worst and mean"
                        + " output error against the float model (and the accuracy of both) go to NAME.report.txt."})
final class ExportCommand implements Callable<Integer> {
    /** The formats this command writes. */
    static final String KNOWN = "onnx, c";

    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file written by train")
    Path model;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "the format to write: onnx or c")
    String format;

    @Option(names = "--fixed", paramLabel = "Q", description = "with --format c: fixed-point C with q15 (int16) or q7 (int8) weights")
    String fixed;

    @Option(names = "--data", paramLabel = "FILE", description = "with --fixed: CSV or IDX data (read as evaluate reads it) on which to"
            + " measure the fixed-point error; the report goes to NAME.report.txt")
    Path data;

    @Mixin
    Options.Data dataOptions;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "the file to write; for c, FILE.c and FILE.h (default: MODEL's name,"
            + " e.g. iris.model.json -> iris.onnx, or iris.c and iris.h)")
    Path output;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("onnx") && !f.equals("c")) {
            throw new UserError("unknown --format '" + format + "'; the formats are: " + KNOWN);
        }
        if (fixed != null && !f.equals("c")) {
            throw new UserError("--fixed is for --format c (fixed-point C), not --format " + format);
        }
        if (data != null && fixed == null) {
            throw new UserError("--data is for --fixed (it measures the fixed-point error); the float C export needs no data");
        }
        FixedPointCExport.Format q = null;
        if (fixed != null) {
            try {
                q = FixedPointCExport.Format.parse(fixed);
            } catch (IllegalArgumentException e) {
                throw new UserError("unknown --fixed '" + fixed + "'; the formats are: q15, q7");
            }
        }
        Path target = output != null ? output : defaultOutput(model, f.equals("c") ? ".c" : ".onnx");
        if (f.equals("c")) {
            String name = target.getFileName().toString();
            Path base = target.resolveSibling(name.endsWith(".c") && name.length() > 2 ? name.substring(0, name.length() - 2) : name);
            refuseOverwritingTheModel(base.resolveSibling(base.getFileName() + ".h"));
            refuseOverwritingTheModel(base.resolveSibling(base.getFileName() + ".c"));
        } else {
            refuseOverwritingTheModel(target);
        }
        Network net = Network.load(model);
        var err = spec.commandLine().getErr();
        if (q != null) {
            return fixedPoint(net, q, target);
        }
        if (f.equals("c")) {
            List<Path> files = CExport.write(net, target);
            if (!common.quiet) {
                err.printf(Locale.ROOT, "wrote %s and %s (C99, float32, libm only): void predict(const float *in, float *out),"
                        + " %d inputs, %d outputs%n", files.get(0), files.get(1), net.inputs(), net.outputs());
            }
            return 0;
        }
        byte[] bytes = OnnxExport.toBytes(net);
        AtomicFiles.write(target, bytes);
        if (!common.quiet) {
            err.printf(Locale.ROOT, "wrote %s (ONNX, opset %d, %,d bytes): input \"%s\" float [N, %d], output \"%s\""
                    + " float [N, %d]%n", target, OnnxExport.OPSET, bytes.length, OnnxExport.INPUT, net.inputs(), OnnxExport.OUTPUT, net.outputs());
        }
        return 0;
    }

    private int fixedPoint(Network net, FixedPointCExport.Format q, Path target) throws java.io.IOException {
        FixedPointCExport fx;
        try {
            fx = FixedPointCExport.of(net, q);
        } catch (IllegalArgumentException e) {
            throw new UserError(model + ": " + e.getMessage());
        }
        FixedPointCExport.Comparison c = null;
        if (data != null) {
            double[][] x;
            double[][] y = null;
            Dataset d = null;
            if (net.task().isClassification()) {
                try {
                    d = ModelData.labelled(net, data, dataOptions);
                    y = rows(d, true);
                } catch (UserError e) {
                    if (!e.getMessage().contains("has no targets")) {
                        throw e;
                    }
                }
            }
            if (d == null) {
                d = ModelData.unlabelled(net, data, dataOptions).featuresOnly(net.outputs());
            }
            x = rows(d, false);
            c = fx.compare(x, y);
        }
        List<Path> files = fx.write(target);
        String base = files.get(1).getFileName().toString().replaceFirst("\\.c$", "");
        var err = spec.commandLine().getErr();
        Path report = null;
        if (c != null) {
            report = files.get(1).resolveSibling(base + ".report.txt");
            AtomicFiles.write(report, fx.report(base, data.toString(), c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (!common.quiet) {
            err.printf(Locale.ROOT, "wrote %s and %s (C99, %s weights, Q15 activations, integer arithmetic): void predict(const float *in,"
                    + " float *out), %d inputs, %d outputs%n", files.get(0), files.get(1), q.id(), net.inputs(), net.outputs());
        }
        if (c != null) {
            err.printf(Locale.ROOT, "%s on %s: %s (report: %s)%n", q.id(), data.getFileName(), c.summary(), report);
        }
        return 0;
    }

    /** The feature (or target) rows of {@code d}. */
    private static double[][] rows(Dataset d, boolean targets) {
        double[][] r = new double[d.size()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = targets ? d.targetRow(i) : d.featureRow(i);
        }
        return r;
    }

    private void refuseOverwritingTheModel(Path target) throws java.io.IOException {
        if (Files.exists(target) && Files.exists(model) && Files.isSameFile(target, model)) {
            throw new UserError(target + ": is the model itself; choose another output file with -o");
        }
    }

    /** MODEL's name without .json and .model, plus {@code extension}, in MODEL's folder. */
    static Path defaultOutput(Path model, String extension) {
        String name = model.getFileName().toString();
        for (String suffix : new String[] {".json", ".model"}) {
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                name = name.substring(0, name.length() - suffix.length());
            }
        }
        return model.resolveSibling(name + extension);
    }
}
