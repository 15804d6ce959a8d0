package dev.backprop.blas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The binding to OpenBLAS: {@code cblas_sgemm} and {@code cblas_dgemm} through the FFM API, as critical downcalls
 * that read and write the Java arrays in place (no copies). Loaded once, on first use; never required.
 *
 * <p>Where it looks: the file named by the system property {@code backprop.openblas}, else {@code libopenblas.so.0},
 * {@code libopenblas.so} and {@code libopenblas.dylib} on the system's library path. Before loading, when the
 * environment does not set {@code OPENBLAS_CORETYPE} and the CPU has AVX-512 (AVX2), it sets SkylakeX (Haswell):
 * OpenBLAS 0.3.21–0.3.31 do not recognise newer CPUs and fall back to SSE3 kernels, 3–5× slower (measured on this
 * project's machine: 30 against 108 GFLOP/s for a 64×256×784 product). It then asks for one OpenBLAS thread: the
 * network already splits a step over its own threads.
 */
final class OpenBlas {
    /** CBLAS constants. */
    static final int ROW_MAJOR = 101;
    static final int NO_TRANS = 111;
    static final int TRANS = 112;

    private static final Loaded LOADED = load();

    private OpenBlas() {
    }

    /** The loaded library's handles, or why it could not be loaded. */
    record Loaded(MethodHandle sgemm, MethodHandle dgemm, String core, String path, String failure) {
    }

    static Loaded get() {
        return LOADED;
    }

    private static Loaded load() {
        try {
            Linker linker = Linker.nativeLinker();
            String coreType = System.getenv("OPENBLAS_CORETYPE");
            if (coreType == null) {
                String best = bestCoreType();
                if (best != null) {
                    Optional<MemorySegment> setenv = linker.defaultLookup().find("setenv");
                    if (setenv.isPresent()) {
                        MethodHandle h = linker.downcallHandle(setenv.get(), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
                        try (Arena a = Arena.ofConfined()) {
                            // 0, or -1 when out of memory: OpenBLAS then picks its own kernels, which is no error
                            int rc = (int) h.invokeExact(a.allocateFrom("OPENBLAS_CORETYPE"), a.allocateFrom(best), 0);
                        }
                    }
                }
            }
            List<String> tried = new ArrayList<>();
            SymbolLookup lib = null;
            String path = null;
            for (String name : candidates()) {
                tried.add(name);
                try {
                    lib = SymbolLookup.libraryLookup(name, Arena.global());
                    path = name;
                    break;
                } catch (IllegalArgumentException notFound) {
                    // try the next name
                }
            }
            if (lib == null) {
                return new Loaded(null, null, null, null, "no OpenBLAS library found (tried " + String.join(", ", tried)
                        + "; apt-get install libopenblas0, or -Dbackprop.openblas=PATH)");
            }
            Optional<MemorySegment> s = lib.find("cblas_sgemm"), d = lib.find("cblas_dgemm"), threads = lib.find("openblas_set_num_threads");
            if (s.isEmpty() || d.isEmpty() || threads.isEmpty()) {
                return new Loaded(null, null, null, path, path + " is not OpenBLAS (no cblas_sgemm, cblas_dgemm or openblas_set_num_threads)");
            }
            MethodHandle setThreads = linker.downcallHandle(threads.get(), FunctionDescriptor.ofVoid(JAVA_INT));
            setThreads.invokeExact(1);
            String core = "?";
            Optional<MemorySegment> corename = lib.find("openblas_get_corename");
            if (corename.isPresent()) {
                MemorySegment name = (MemorySegment) linker.downcallHandle(corename.get(), FunctionDescriptor.of(ADDRESS)).invokeExact();
                core = name.reinterpret(64).getString(0);
            }
            Linker.Option heap = Linker.Option.critical(true);
            MethodHandle sgemm = linker.downcallHandle(s.get(), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT), heap);
            MethodHandle dgemm = linker.downcallHandle(d.get(), FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT), heap);
            return new Loaded(sgemm, dgemm, core, path, null);
        } catch (Throwable e) { // IllegalCallerException without native access, LinkageError, ...: never fatal
            return new Loaded(null, null, null, null, "OpenBLAS could not be bound: " + e);
        }
    }

    private static List<String> candidates() {
        String forced = System.getProperty("backprop.openblas", "").trim();
        return forced.isEmpty() ? List.of("libopenblas.so.0", "libopenblas.so", "libopenblas.dylib") : List.of(forced);
    }

    /** SkylakeX with avx512f in /proc/cpuinfo, Haswell with avx2, else null (OpenBLAS's own choice). */
    static String bestCoreType() {
        try {
            Path cpuinfo = Path.of("/proc/cpuinfo");
            if (!Files.isReadable(cpuinfo)) {
                return null;
            }
            String flags = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
            List<String> set = List.of(flags.replaceFirst("^flags\\s*:\\s*", "").split("\\s+"));
            return set.contains("avx512f") ? "SkylakeX" : set.contains("avx2") ? "Haswell" : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
