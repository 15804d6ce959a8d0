package dev.backprop.kernel;

import dev.backprop.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses, once per JVM, the kernels new networks use: the available {@link KernelsProvider} with the highest
 * priority, or the scalar reference when there is none. The system property {@code backprop.kernels} forces a
 * choice ({@code scalar}, or a provider's name). The choice and the reasons for it are logged once at INFO on the
 * {@code dev.backprop.kernel} System.Logger and returned by {@link Kernels#selection()}.
 */
final class KernelSelection {
    /** The system property that forces a backend. */
    static final String PROPERTY = "backprop.kernels";

    private static final KernelSelection INSTANCE = choose();

    private final KernelsProvider chosen;
    private final String description;

    private KernelSelection(KernelsProvider chosen, String description) {
        this.chosen = chosen;
        this.description = description;
    }

    static KernelSelection get() {
        return INSTANCE;
    }

    Kernels kernels(Precision precision) {
        return chosen == null ? Kernels.scalar(precision) : chosen.kernels(precision);
    }

    String description() {
        return description;
    }

    private static KernelSelection choose() {
        String forced = System.getProperty(PROPERTY, "").trim();
        List<String> notes = new ArrayList<>();
        KernelsProvider best = null;
        try {
            // highest priority first, and the first available one wins: a lower backend is not even probed (the OpenBLAS
            // one loads a native library to answer)
            List<KernelsProvider> providers = new ArrayList<>();
            ServiceLoader.load(KernelsProvider.class, KernelSelection.class.getClassLoader()).forEach(providers::add);
            providers.sort(java.util.Comparator.comparingInt(KernelsProvider::priority).reversed());
            for (KernelsProvider p : providers) {
                if (!forced.isEmpty() && !forced.equals(p.name())) {
                    notes.add(p.name() + " not used: -D" + PROPERTY + "=" + forced);
                    continue;
                }
                String why;
                try {
                    why = p.unavailableReason();
                } catch (LinkageError | RuntimeException e) {
                    why = e.toString();
                }
                if (why != null) {
                    notes.add(p.name() + " unavailable: " + why);
                } else {
                    best = p;
                    break;
                }
            }
        } catch (ServiceConfigurationError e) {
            notes.add("a kernels provider failed to load: " + e.getMessage());
        }
        String description;
        if (best != null) {
            description = best.name() + " (" + best.describe() + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)) + ")";
        } else if (forced.equals("scalar")) {
            description = "scalar (-D" + PROPERTY + "=scalar)";
        } else {
            description = "scalar (" + (notes.isEmpty() ? "no faster backend on the class path" : String.join("; ", notes)) + ")";
        }
        if (!forced.isEmpty() && !forced.equals("scalar") && best == null) {
            description = "scalar (-D" + PROPERTY + "=" + forced + " names no available backend"
                    + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)) + ")";
        }
        System.getLogger("dev.backprop.kernel").log(System.Logger.Level.DEBUG, "kernels: " + description);
        return new KernelSelection(best, description);
    }
}
