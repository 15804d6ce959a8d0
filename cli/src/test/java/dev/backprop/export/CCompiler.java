package dev.backprop.export;

import dev.backprop.Network;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Compiles exported C with gcc (strict C99, every warning an error) and runs it on inputs. */
public final class CCompiler {
    private CCompiler() {
    }

    /** Whether gcc can be run here (the C tests are skipped where it cannot). */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The driver: reads the number of rows then the rows of inputs from stdin, prints each row's outputs. */
    static String driver(String header) {
        return """
                #include <stdio.h>
                #include "%s"

                int main(void)
                {
                    int n, i, j;
                    float in[PREDICT_INPUTS], out[PREDICT_OUTPUTS];
                    if (scanf("%%d", &n) != 1) {
                        return 1;
                    }
                    for (i = 0; i < n; i++) {
                        for (j = 0; j < PREDICT_INPUTS; j++) {
                            if (scanf("%%f", &in[j]) != 1) {
                                return 1;
                            }
                        }
                        predict(in, out);
                        for (j = 0; j < PREDICT_OUTPUTS; j++) {
                            printf("%%.9g%%c", out[j], j == PREDICT_OUTPUTS - 1 ? '\\n' : ' ');
                        }
                    }
                    return 0;
                }
                """.formatted(header);
    }

    /** Compiles {@code source} (with its header beside it) and the driver in {@code dir}, runs it on {@code x}. */
    public static float[][] run(Path dir, Path source, double[][] x) throws IOException, InterruptedException {
        String base = source.getFileName().toString().replaceFirst("\\.c$", "");
        Path main = dir.resolve(base + "_main.c");
        Files.writeString(main, driver(base + ".h"));
        Path exe = dir.resolve(base + "_test");
        exec(dir, null, List.of("gcc", "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-O2", main.toString(), source.toString(),
                "-o", exe.toString(), "-lm"));
        StringBuilder in = new StringBuilder().append(x.length).append('\n');
        for (double[] row : x) {
            for (double v : row) {
                in.append(Float.toString((float) v)).append(' ');
            }
            in.append('\n');
        }
        String out = exec(dir, in.toString(), List.of(exe.toString()));
        List<String> lines = out.lines().toList();
        float[][] y = new float[lines.size()][];
        for (int i = 0; i < y.length; i++) {
            String[] f = lines.get(i).trim().split(" ");
            y[i] = new float[f.length];
            for (int k = 0; k < f.length; k++) {
                y[i][k] = Float.parseFloat(f[k]);
            }
        }
        return y;
    }

    /** Exports the network to {@code dir/name.c}, compiles and runs it; returns the C outputs. */
    public static float[][] export(Network net, Path dir, String name, double[][] x) throws IOException, InterruptedException {
        List<Path> files = CExport.write(net, dir.resolve(name + ".c"));
        return run(dir, files.get(1), x);
    }

    /** The inputs rounded to float, as the C code and a fair comparison see them. */
    public static double[][] asFloats(double[][] x) {
        double[][] r = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            r[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) {
                r[i][j] = (float) x[i][j];
            }
        }
        return r;
    }

    private static String exec(Path dir, String stdin, List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (stdin != null) {
            try (var w = p.getOutputStream()) {
                w.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            p.getOutputStream().close();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd).toLowerCase(Locale.ROOT).contains("gcc") ? "gcc failed:\n" + out
                    : String.join(" ", cmd) + " failed:\n" + out);
        }
        return out;
    }
}
