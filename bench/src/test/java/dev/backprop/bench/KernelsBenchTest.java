package dev.backprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.bench.jmh.KernelBenchmark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** bench/run kernels: options, the case table and the arithmetic of its report (JMH itself is not run here). */
class KernelsBenchTest {

    @Test
    void optionsSelectCasesAndRefuseUnknownOnes() {
        KernelsBench.Options all = KernelsBench.Options.parse(new String[0]);
        assertEquals(List.copyOf(KernelBenchmark.CASES.keySet()), all.cases());
        KernelsBench.Options some = KernelsBench.Options.parse(new String[] {"--cases", "dsyrk-442x193,sadam-235146", "--quick", "--json", "k.json"});
        assertEquals(List.of("dsyrk-442x193", "sadam-235146"), some.cases());
        assertTrue(some.quick());
        assertEquals(Path.of("k.json"), some.json());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelsBench.Options.parse(new String[] {"--cases", "sgemm-nn-3x3x3"}));
        assertTrue(e.getMessage().contains("unknown case 'sgemm-nn-3x3x3'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelsBench.Options.parse(new String[] {"--cases"}));
        assertThrows(IllegalArgumentException.class, () -> KernelsBench.Options.parse(new String[] {"--fast"}));
        assertEquals(null, all.backend(), "by default the preferred backend is measured");
        assertEquals("blas", KernelsBench.Options.parse(new String[] {"--backend", "blas"}).backend());
        assertThrows(IllegalArgumentException.class, () -> KernelsBench.Options.parse(new String[] {"--backend", "Open BLAS"}));
    }

    @Test
    void flopCountsAndRates() {
        KernelBenchmark.Case gemm = KernelBenchmark.CASES.get("sgemm-nt-128x256x784");
        assertEquals(2.0 * 128 * 256 * 784, gemm.flops());
        assertEquals("gemm-nt", gemm.op());
        KernelBenchmark.Case syrk = KernelBenchmark.CASES.get("dsyrk-442x193");
        assertEquals(442.0 * 193 * 194, syrk.flops(), "syrk computes one triangle: m·n(n+1) flops");
        KernelsBench.Row row = new KernelsBench.Row(gemm, 1000.0, 250.0);
        assertEquals(4.0, row.speedup(), 1e-12);
        assertEquals(gemm.flops() / 250e-6 / 1e9, row.gflops(), 1e-9);
    }
    /** Every case sets up on the reference kernels (a case the switch does not know would fail only inside JMH). */
    @Test
    void everyCaseSetsUp() {
        for (String name : KernelBenchmark.CASES.keySet()) {
            KernelBenchmark b = new KernelBenchmark();
            b.kernels = "scalar";
            b.kase = name;
            b.setUp();
        }
        KernelBenchmark widen = new KernelBenchmark();
        widen.kernels = "scalar";
        widen.kase = "swiden-128x784";
        widen.setUp();
        widen.run();
    }
}
