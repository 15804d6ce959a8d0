package dev.backprop.bench;

import dev.backprop.Backprop;
import dev.backprop.io.Json;
import java.util.Map;

/** Pieces of the benchmarks' JSON output that every benchmark writes the same way. */
final class JsonText {
    private JsonText() {
    }

    /** Appends {@code "backprop": version, "java": version, "peer_versions": {...}} (each on its own line, after a comma). */
    static void appendProvenance(StringBuilder sb, Map<String, String> peerVersions) {
        sb.append(",\n \"backprop\": ");
        Json.quote(sb, Backprop.VERSION);
        sb.append(",\n \"java\": ");
        Json.quote(sb, Runtime.version().toString());
        sb.append(",\n \"peer_versions\": {");
        int i = 0;
        for (var e : peerVersions.entrySet()) {
            sb.append(i++ == 0 ? "" : ", ");
            Json.quote(sb, e.getKey());
            sb.append(": ");
            Json.quote(sb, e.getValue());
        }
        sb.append('}');
    }
}
