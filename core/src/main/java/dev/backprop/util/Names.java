package dev.backprop.util;

import java.util.Collection;
import java.util.Locale;

/** Helpers for user-facing names: normalisation and "did you mean" suggestions. */
public final class Names {
    private Names() {
    }

    /** Lower case, with spaces and hyphens turned into underscores: {@code "Leaky-ReLU"} becomes {@code "leaky_relu"}. */
    public static String normalise(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }

    /** The candidate closest to {@code name} by edit distance, or null if none is reasonably close. */
    public static String closest(String name, Collection<String> candidates) {
        String n = normalise(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(n, c);
            if (c.startsWith(n) || n.startsWith(c)) {
                d = Math.min(d, 1);
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
    }

    /** " (did you mean 'x'?)" or "" when nothing is close; for error messages. */
    public static String suggestion(String name, Collection<String> candidates) {
        String c = closest(name, candidates);
        return c == null ? "" : " (did you mean '" + c + "'?)";
    }

    /** Levenshtein distance. */
    public static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
