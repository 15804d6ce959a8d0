package dev.backprop.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file whose content cannot be used: a malformed number, a ragged row, a truncated IDX file. The
 * message is one line that names the file and, where there is one, the line and column.
 */
public final class DataFormatException extends IOException {
    private final Path file;
    private final long line;

    /** A problem with the file as a whole. */
    public DataFormatException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
        this.line = 0;
    }

    /** A problem at a line (1-based) and, if {@code column} is positive, a column (1-based) named {@code columnName}. */
    public DataFormatException(Path file, long line, int column, String columnName, String message) {
        super(file + ", line " + line + (column > 0 ? ", column " + column + (columnName == null ? "" : " (" + columnName + ")") : "")
                + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The 1-based line, or 0 if the problem is not at a line. */
    public long line() {
        return line;
    }
}
