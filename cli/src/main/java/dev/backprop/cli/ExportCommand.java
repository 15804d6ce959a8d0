package dev.backprop.cli;

import dev.backprop.Network;
import dev.backprop.export.OnnxExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code backprop export MODEL --format onnx}: the model in a format other tools run. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a saved model in another format. onnx: an ONNX model (IR 8, opset 17, float32) that ONNX Runtime and"
                + " other ONNX back ends run, with the input scaling included: input \"input\" [N, inputs], output \"output\" [N, outputs];"
                + " the library version and the model's provenance are in its metadata."})
final class ExportCommand implements Callable<Integer> {
    /** The formats this command writes. */
    static final String KNOWN = "onnx";

    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file written by train")
    Path model;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "the format to write: onnx")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "the file to write (default: MODEL's name with the format's"
            + " extension, e.g. iris.model.json -> iris.onnx)")
    Path output;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String f = format.toLowerCase(Locale.ROOT);
        if (f.equals("c")) {
            throw new UserError("--format c is not available yet; the formats are: " + KNOWN);
        }
        if (!f.equals("onnx")) {
            throw new UserError("unknown --format '" + format + "'; the formats are: " + KNOWN);
        }
        Path target = output != null ? output : defaultOutput(model, ".onnx");
        if (Files.exists(target) && Files.exists(model) && Files.isSameFile(target, model)) {
            throw new UserError(target + ": is the model itself; choose another output file with -o");
        }
        Network net = Network.load(model);
        byte[] bytes = OnnxExport.toBytes(net);
        dev.backprop.io.AtomicFiles.write(target, bytes);
        if (!common.quiet) {
            spec.commandLine().getErr().printf(Locale.ROOT, "wrote %s (ONNX, opset %d, %,d bytes): input \"%s\" float [N, %d], output \"%s\""
                    + " float [N, %d]%n", target, OnnxExport.OPSET, bytes.length, OnnxExport.INPUT, net.inputs(), OnnxExport.OUTPUT, net.outputs());
        }
        return 0;
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
