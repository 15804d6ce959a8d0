package dev.backprop.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/** Runs the command line as a user would: a separate process, in a folder of real files. */
final class Cli {
    private Cli() {
    }

    /** What a run printed and returned. */
    record Result(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, true, args);
    }

    /** Runs the CLI in a new JVM, with the Vector API module enabled (as ./backprop runs it) or not. */
    static Result run(Path dir, boolean vectorModule, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.add("--enable-native-access=ALL-UNNAMED"); // as ./backprop runs it: the blas module calls OpenBLAS
        if (vectorModule) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.backprop.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Path outFile = Files.createTempFile(dir, ".out", ".txt");
        Path errFile = Files.createTempFile(dir, ".err", ".txt");
        pb.redirectOutput(outFile.toFile());
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("backprop " + String.join(" ", args) + " did not finish in 300 s");
        }
        // the launcher drops the line the JVM prints when the incubator module is on (bin/jdk.sh); so do we
        String err = Files.readString(errFile).replaceFirst("\\AWARNING: Using incubator modules: jdk.incubator.vector\\R", "");
        Result r = new Result(p.exitValue(), Files.readString(outFile), err);
        Files.delete(outFile);
        Files.delete(errFile);
        return r;
    }

    /** Writes an IDX file: type 0x08 (unsigned bytes) with the given dimensions. */
    static Path idx(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(b);
        d.writeByte(0);
        d.writeByte(0);
        d.writeByte(0x08);
        d.writeByte(dims.length);
        for (int v : dims) {
            d.writeInt(v);
        }
        d.write(data);
        byte[] bytes = b.toByteArray();
        if (gzip) {
            java.io.ByteArrayOutputStream z = new java.io.ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(z)) {
                g.write(bytes);
            }
            bytes = z.toByteArray();
        }
        Files.write(file, bytes);
        return file;
    }

    static Path text(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
