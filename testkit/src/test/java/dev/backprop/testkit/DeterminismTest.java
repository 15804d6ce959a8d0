package dev.backprop.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.Activation;
import dev.backprop.Cost;
import dev.backprop.Network;
import dev.backprop.Precision;
import dev.backprop.io.ModelFile;
import dev.backprop.optim.Adam;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Same seed, same data, same configuration: the same weights, bit for bit, and the same model file. */
class DeterminismTest {

    private static Network train(Precision p, long initSeed, long shuffleSeed) {
        Network net = Network.builder(1).precision(p).dense(12, Activation.gelu()).dense(12, Activation.relu())
                .dense(1, Activation.identity()).cost(Cost.quadratic()).build(initSeed);
        new Trainer(TrainingConfig.defaults().withOptimizer(new Adam(0.01)).withBatchSize(8).withEpochs(15).withSeed(shuffleSeed)
                .withValidationFraction(0.2).withL2(1e-4)).fit(net, Problems.noisySine(150, 0.1, 5));
        return net;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void sameSeedSameBits(Precision p) {
        Network a = train(p, 1, 2);
        Network b = train(p, 1, 2);
        assertTrue(a.parameters().bitEquals(b.parameters()));
        assertArrayEquals(ModelFile.toJson(a).getBytes(), ModelFile.toJson(b).getBytes());
        assertFalse(a.parameters().bitEquals(train(p, 1, 3).parameters()), "the shuffle seed matters");
        assertFalse(a.parameters().bitEquals(train(p, 4, 2).parameters()), "the init seed matters");
    }
}
