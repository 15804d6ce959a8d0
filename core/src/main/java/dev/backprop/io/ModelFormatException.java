package dev.backprop.io;

import java.io.IOException;
import java.nio.file.Path;

/** A model file that cannot be read: truncated, corrupted, of an unknown version, or inconsistent. */
public final class ModelFormatException extends IOException {
    private final Path file;

    public ModelFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
