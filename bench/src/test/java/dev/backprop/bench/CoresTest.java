package dev.backprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** bench/run cores: its options, and a short run that reports every figure. */
class CoresTest {

    @Test
    void optionsTakeAPositiveProductCount() {
        assertEquals(400, Cores.Options.parse(new String[0]).products());
        assertEquals(5, Cores.Options.parse(new String[] {"--products", "5"}).products());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cores.Options.parse(new String[] {"--products", "x"}));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cores.Options.parse(new String[] {"--products", "0"}));
        assertThrows(IllegalArgumentException.class, () -> Cores.Options.parse(new String[] {"--threads", "2"}));
    }

    @Test
    void theThreadsPartsMakeTheWholeProduct() {
        Cores.Work w = new Cores.Work();
        w.product(0, 1);
        double[] whole = w.grad.toDoubleArray();
        w.grad.view(0, w.grad.length()).copyFrom(new double[w.grad.length()], 0, 0, w.grad.length());
        w.product(0, 2);
        w.product(1, 2);
        assertTrue(java.util.Arrays.equals(whole, w.grad.toDoubleArray()), "two threads' rows of the gradient are the whole one's");
    }

    @Test
    void theThreadsForwardPartsMakeTheWholeProductIntoEitherZ() {
        Cores.Work w = new Cores.Work();
        w.forward(0, 1, false);
        double[] whole = w.z.toDoubleArray();
        w.z.view(0, w.z.length()).copyFrom(new double[w.z.length()], 0, 0, w.z.length());
        w.forward(0, 2, false);
        w.forward(1, 2, false);
        assertTrue(java.util.Arrays.equals(whole, w.z.toDoubleArray()), "two threads' columns of Z are the whole one's");
        w.forward(0, 2, true);
        w.forward(1, 2, true);
        for (int r = 0; r < 128; r++) {
            for (int c = 0; c < 256; c++) {
                double own = w.ownZ[c / 128].get(r * 128 + c % 128);
                assertEquals(whole[r * 256 + c], own, 0.0, "row " + r + ", unit " + c);
            }
        }
    }

    @Test
    void aShortRunReportsEveryFigure() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, Cores.run(new Cores.Options(2), new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("float32 FMA peak: one thread"), out);
        assertTrue(out.contains("clean inputs:"), out);
        assertTrue(out.contains("reading the other core's half costs"), out);
        assertTrue(out.contains("two threads into one shared Z"), out);
        assertTrue(out.matches("(?s).*a cache line's round trip between two cores \\(two spinning threads passing a counter\\): \\d+ ns.*"), out);
    }

    /** Two threads pass the counter back and forth: a positive, finite time per trip; NaN on a single processor. */
    @Test
    void theRoundTripTakesAPositiveTime() {
        double ns = Cores.roundTripNanos(1_000);
        if (Runtime.getRuntime().availableProcessors() < 2) {
            assertTrue(Double.isNaN(ns), "one processor: " + ns);
            return;
        }
        assertTrue(ns > 0 && ns < 1e6, "round trip " + ns + " ns");
        assertTrue(Cores.roundTripNanos(1_000) > 0, "a second measurement starts from where the first left the counters");
    }
}
