package dev.backprop.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads CSV files (RFC 4180: quoted fields may hold delimiters, doubled quotes and line breaks) into a
 * {@link CsvTable}: the feature columns as numbers, the target columns as text (class labels or numbers).
 * UTF-8, optionally gzipped (detected from the content). Every problem is reported with the file, line and
 * column: a malformed or missing number, NaN or infinity, a row with the wrong number of fields, an empty file.
 */
public final class Csv {
    private Csv() {
    }

    /** Whether the first row names the columns. */
    public enum Header {
        /** Decide from the content: the first row is a header when a column holds text there and a number below. */
        AUTO,
        /** The first row is a header. */
        PRESENT,
        /** Every row is data. */
        ABSENT
    }

    /**
     * How to read a file.
     *
     * @param delimiter the field separator; 0 picks the most frequent of comma, semicolon and tab in the first line
     * @param header    whether the first row names the columns
     * @param targets   the target columns, by name (with a header) or by 0-based index, negative counting from the
     *                  end (−1 is the last column); empty means the last column; {@link #NO_TARGETS} means none
     * @param features  the feature columns by name, in the order wanted, when the file has a header (other columns
     *                  are then not read); empty means every column that is not a target
     */
    public record Options(char delimiter, Header header, List<String> targets, List<String> features) {
        public Options {
            targets = List.copyOf(targets);
            features = List.copyOf(features);
        }

        /** Auto-detected delimiter and header, the last column as the target. */
        public static Options defaults() {
            return new Options((char) 0, Header.AUTO, List.of(), List.of());
        }

        public Options withTargets(List<String> t) {
            return new Options(delimiter, header, t, features);
        }

        public Options withFeatures(List<String> f) {
            return new Options(delimiter, header, targets, f);
        }

        public Options withHeader(Header h) {
            return new Options(delimiter, h, targets, features);
        }

        public Options withDelimiter(char d) {
            return new Options(d, header, targets, features);
        }
    }

    /** Use as {@link Options#targets()} to read every column as a feature (for prediction). */
    public static final List<String> NO_TARGETS = List.of("\u0000none");

    /** Reads a CSV file. */
    public static CsvTable read(Path file, Options options) throws IOException {
        try (BufferedReader in = open(file)) {
            return new Reader(file, in, options).read();
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file, "is a folder, not a CSV file");
        }
        InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        // malformed bytes become U+FFFD, which the reader reports with the line they are on
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE)), 1 << 16);
    }

    /** Whether {@code s} is a plain decimal number: optional sign, digits with an optional point, optional exponent. */
    public static boolean isNumber(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isAsciiDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isAsciiDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exp = 0;
            while (i < n && isAsciiDigit(s.charAt(i))) {
                i++;
                exp++;
            }
            if (exp == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Parses one field as a finite number, or explains in the exception why it is not one. */
    static double number(String field, Path file, long line, int column, String name) throws DataFormatException {
        String s = field.trim();
        if (s.isEmpty()) {
            throw new DataFormatException(file, line, column, name, "the value is missing; fill it in or remove the row");
        }
        if (!isNumber(s)) {
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.equals("nan") || lower.equals("na") || lower.equals("null") || lower.contains("inf")) {
                throw new DataFormatException(file, line, column, name, "'" + s + "' is not a finite number;"
                        + " remove or impute missing and infinite values");
            }
            throw new DataFormatException(file, line, column, name, "'" + abbreviate(s) + "' is not a number");
        }
        double v = Double.parseDouble(s);
        if (!Double.isFinite(v)) {
            throw new DataFormatException(file, line, column, name, "'" + abbreviate(s) + "' is too large for a double");
        }
        return v;
    }

    /** A value for a one-line message: at most 40 characters, control characters shown as escapes. */
    static String abbreviate(String s) {
        String t = s.length() <= 40 ? s : s.substring(0, 37) + "...";
        StringBuilder b = new StringBuilder(t.length());
        for (char c : t.toCharArray()) {
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** The record-level parser. */
    private static final class Reader {
        private final Path file;
        private final BufferedReader in;
        private final Options options;
        private long lineNo;
        private long recordLine;
        private char delimiter;

        Reader(Path file, BufferedReader in, Options options) {
            this.file = file;
            this.in = in;
            this.options = options;
        }

        CsvTable read() throws IOException {
            try {
                return parse();
            } catch (CharacterCodingException e) {
                throw new DataFormatException(file, "is not UTF-8 text (is it a CSV file?)");
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                throw new DataFormatException(file, "the gzip data is corrupted or truncated (" + e.getMessage() + ")");
            }
        }

        private CsvTable parse() throws IOException {
            List<String> first = record();
            while (first != null && first.size() == 1 && first.getFirst().isBlank()) {
                first = record();
            }
            if (first == null) {
                throw new DataFormatException(file, "is empty");
            }
            long firstLine = recordLine;
            List<String> second = record();
            long secondLine = recordLine;
            boolean header = switch (options.header()) {
                case PRESENT -> true;
                case ABSENT -> false;
                case AUTO -> looksLikeHeader(first, second);
            };
            int width = first.size();
            List<String> names = new ArrayList<>();
            for (int j = 0; j < width; j++) {
                names.add(header ? first.get(j).trim() : "column " + (j + 1));
            }
            if (header) {
                for (int j = 0; j < width; j++) {
                    int other = names.indexOf(names.get(j));
                    if (other != j) {
                        throw new DataFormatException(file, firstLine, j + 1, null, "the header names two columns '" + abbreviate(names.get(j))
                                + "' (columns " + (other + 1) + " and " + (j + 1) + "); rename one");
                    }
                }
            }
            int[] targetCols = targetColumns(names, header);
            boolean[] isTarget = new boolean[width];
            for (int t : targetCols) {
                isTarget[t] = true;
            }
            List<String> featureNames = new ArrayList<>();
            List<String> targetNames = new ArrayList<>();
            int[] featureCols;
            if (header && !options.features().isEmpty()) {
                featureCols = new int[options.features().size()];
                for (int f = 0; f < featureCols.length; f++) {
                    featureCols[f] = names.indexOf(options.features().get(f));
                    if (featureCols[f] < 0) {
                        throw new DataFormatException(file, "has no column '" + options.features().get(f) + "', which the model takes as input "
                                + (f + 1) + " of " + featureCols.length);
                    }
                    featureNames.add(options.features().get(f));
                }
            } else {
                featureCols = new int[width - targetCols.length];
                for (int j = 0, f = 0; j < width; j++) {
                    if (!isTarget[j]) {
                        featureCols[f++] = j;
                        featureNames.add(names.get(j));
                    }
                }
            }
            int d = featureCols.length;
            if (d == 0) {
                throw new DataFormatException(file, "has no feature columns left once the target column(s) are taken out");
            }
            for (int t : targetCols) {
                targetNames.add(names.get(t));
            }
            DoubleBuffer x = new DoubleBuffer();
            List<String> y = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            List<String> row = header ? second : first;
            long rowLine = header ? secondLine : firstLine;
            boolean pendingSecond = !header;
            while (row != null) {
                if (!(row.size() == 1 && row.getFirst().isBlank())) {
                    if (row.size() != width) {
                        throw new DataFormatException(file, rowLine, 0, null, "has " + row.size() + " fields but "
                                + (header ? "the header has " : "the first row has ") + width);
                    }
                    for (int f = 0; f < d; f++) {
                        x.add(number(row.get(featureCols[f]), file, rowLine, featureCols[f] + 1, header ? names.get(featureCols[f]) : null));
                    }
                    for (int t : targetCols) {
                        y.add(row.get(t).trim());
                    }
                    lines.add(rowLine);
                }
                if (pendingSecond) {
                    row = second;
                    rowLine = secondLine;
                    pendingSecond = false;
                } else {
                    row = record();
                    rowLine = recordLine;
                }
            }
            if (lines.isEmpty()) {
                throw new DataFormatException(file, "has a header but no data rows");
            }
            long[] lineArray = lines.stream().mapToLong(Long::longValue).toArray();
            int[] targetNumbers = Arrays.stream(targetCols).map(t -> t + 1).toArray();
            return new CsvTable(file, header, featureNames, targetNames, targetNumbers, x.toArray(), y.toArray(String[]::new), lineArray);
        }

        private int[] targetColumns(List<String> names, boolean header) throws DataFormatException {
            if (options.targets().equals(NO_TARGETS)) {
                return new int[0];
            }
            if (options.targets().isEmpty()) {
                return new int[] {names.size() - 1};
            }
            int[] cols = new int[options.targets().size()];
            for (int i = 0; i < cols.length; i++) {
                String t = options.targets().get(i).trim();
                int idx = names.indexOf(t);
                if (idx < 0 && t.matches("-?\\d{1,9}")) {
                    int k = Integer.parseInt(t);
                    idx = k < 0 ? names.size() + k : k;
                    if (idx < 0 || idx >= names.size()) {
                        throw new DataFormatException(file, "has " + names.size() + " columns; target column index " + t
                                + " is out of range (0.." + (names.size() - 1) + ", or -1 for the last)");
                    }
                }
                if (idx < 0) {
                    throw new DataFormatException(file, header ? "has no column named '" + t + "'; its columns are: " + String.join(", ", names)
                            : "has no header, so the target '" + t + "' must be a column index (0-based, -1 for the last)");
                }
                for (int j = 0; j < i; j++) {
                    if (cols[j] == idx) {
                        throw new DataFormatException(file, "target column '" + t + "' is given twice");
                    }
                }
                cols[i] = idx;
            }
            return cols;
        }

        private boolean looksLikeHeader(List<String> first, List<String> second) {
            boolean anyText = false;
            for (int j = 0; j < first.size(); j++) {
                String f = first.get(j).trim();
                if (!isNumber(f)) {
                    anyText = true;
                    if (second == null || (j < second.size() && isNumber(second.get(j).trim()))) {
                        return true;
                    }
                }
            }
            return anyText && second != null && first.stream().noneMatch(f -> isNumber(f.trim()));
        }

        /** The next record's fields, or null at the end of the file. */
        private List<String> record() throws IOException {
            String line = in.readLine();
            if (line == null) {
                return null;
            }
            lineNo++;
            recordLine = lineNo;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1); // byte order mark
            }
            checkText(line);
            if (delimiter == 0 && !line.isBlank()) {
                delimiter = options.delimiter() != 0 ? options.delimiter() : detectDelimiter(line);
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int i = 0;
            while (true) {
                if (i >= line.length()) {
                    if (quoted) {
                        String next = in.readLine();
                        if (next == null) {
                            throw new DataFormatException(file, recordLine, fields.size() + 1, null,
                                    "a quoted field is never closed (missing \")");
                        }
                        lineNo++;
                        checkText(next);
                        field.append('\n');
                        line = next;
                        i = 0;
                        continue;
                    }
                    fields.add(field.toString());
                    return fields;
                }
                char c = line.charAt(i++);
                if (quoted) {
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.append(c);
                    }
                } else if (c == '"' && field.toString().isBlank()) {
                    field.setLength(0);
                    quoted = true;
                } else if (c == delimiter) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
        }

        private void checkText(String line) throws DataFormatException {
            if (line.indexOf('\uFFFD') >= 0) {
                throw new DataFormatException(file, lineNo, 0, null, "is not UTF-8 text (is it a CSV file?)");
            }
        }

        private static char detectDelimiter(String line) {
            long commas = line.chars().filter(c -> c == ',').count();
            long semis = line.chars().filter(c -> c == ';').count();
            long tabs = line.chars().filter(c -> c == '\t').count();
            if (tabs > commas && tabs >= semis) {
                return '\t';
            }
            return semis > commas ? ';' : ',';
        }
    }

    /** A growable double array. */
    private static final class DoubleBuffer {
        private double[] a = new double[1024];
        private int n;

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
