package dev.backprop.cli;

import dev.backprop.Dense;
import dev.backprop.LayerSpec;
import dev.backprop.Network;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code backprop info MODEL}: what a model file holds. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show what a model file holds: layers, cost, inputs, outputs, provenance.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "a model file")
    Path model;

    @Mixin
    Options.Common common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        Network net = Network.load(model);
        out.printf(Locale.ROOT, "%s: backprop model, format version 1, %,d bytes%n", model, Files.size(model));
        out.printf(Locale.ROOT, "  layers:     %s%n", new LayerSpecs.Parsed(net.inputs(), net.specs()).describe());
        out.printf(Locale.ROOT, "  parameters: %,d (%s)%n", net.parameterCount(), net.precision().id());
        out.printf(Locale.ROOT, "  cost:       %s%n", net.cost().formula());
        out.printf(Locale.ROOT, "  task:       %s%n", net.task().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        for (Dense d : net.layers()) {
            LayerSpec s = d.spec();
            out.printf(Locale.ROOT, "  layer %d:    %d -> %d, %s%s%s%n", d.index(), d.inputs(), d.outputs(), s.activation().id(),
                    s.bias() ? "" : ", no bias", d.isFrozen() ? ", frozen" : "");
        }
        if (!net.inputNames().isEmpty()) {
            out.printf(Locale.ROOT, "  inputs:     %s%n", Problem.abbreviate(net.inputNames()));
        }
        if (net.inputScaling() != null) {
            out.printf(Locale.ROOT, "  scaling:    %s, x' = (x - center) / scale%n", net.inputScaling().method());
        }
        if (!net.outputNames().isEmpty()) {
            out.printf(Locale.ROOT, "  outputs:    %s%n", String.join(", ", net.outputNames()));
        }
        if (!net.provenance().isEmpty()) {
            out.println("  provenance:");
            net.provenance().forEach((k, v) -> out.printf(Locale.ROOT, "    %-18s %s%n", k, v));
        }
        out.flush();
        return 0;
    }
}
