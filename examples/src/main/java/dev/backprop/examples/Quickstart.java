package dev.backprop.examples;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Dataset;
import dev.backprop.Network;
import dev.backprop.optim.Adam;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import dev.backprop.train.TrainingResult;
import java.nio.file.Path;

/** The README's ten-line example: build, train, evaluate and save a network that learns XOR. */
public final class Quickstart {
    private Quickstart() {
    }

    public static void main(String[] args) throws Exception {
        // README:begin
        Dataset data = Dataset.of(new double[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, new double[][] {{0}, {1}, {1}, {0}});
        Network net = Network.builder(2)
                .dense(4, Activation.tanh())
                .dense(1, Activation.sigmoid())
                .cost(Cost.binaryCrossEntropy())
                .build(42);
        TrainingConfig config = TrainingConfig.defaults().withOptimizer(new Adam(0.05)).withFullBatch().withEpochs(500);
        TrainingResult result = new Trainer(config).fit(net, data);
        System.out.println(result.message() + "\n" + net.evaluate(data));
        net.save(Path.of("xor.model.json"));
        // README:end
    }
}
