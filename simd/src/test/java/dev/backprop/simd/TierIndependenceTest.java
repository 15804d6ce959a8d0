package dev.backprop.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same data, same thread count, same bits, whenever the JIT compiles what: the Vector API kernels give the
 * same results interpreted as compiled by C2. Checked in two child JVMs, one with {@code -Xint} and one that
 * compiles each method with C2 before it returns ({@code -XX:-TieredCompilation -Xbatch}, after warm-up). The
 * Vector API's own EXP, TANH and reduceLanes(ADD) failed this (about 1% of tanh's elements differed in the last bit),
 * which is why the kernels do without them.
 */
class TierIndependenceTest {

    @Test
    void interpretedAndCompiledKernelsGiveTheSameBits() throws Exception {
        String interpreted = run("-Xint", "0");
        String compiled = run("-XX:-TieredCompilation", "-Xbatch", "-XX:CompileThreshold=50", "3000");
        assertEquals(interpreted, compiled);
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        cmd.addAll(List.of(args).subList(0, args.length - 1));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KernelFingerprint.class.getName());
        cmd.add(args[args.length - 1]);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError("the child JVM failed: " + String.join(" ", cmd) + "\n" + output);
        }
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1]; // the last line: the JVM may print a warning about the incubator module first
    }
}
