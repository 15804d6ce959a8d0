package dev.backprop;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about the library itself. */
public final class Backprop {
    private Backprop() {
    }

    /** This library's version, e.g. {@code 0.1.0}. */
    public static final String VERSION = readVersion();

    private static String readVersion() {
        try (InputStream in = Backprop.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
