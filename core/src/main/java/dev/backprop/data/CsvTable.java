package dev.backprop.data;

import dev.backprop.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed CSV file: the feature columns as numbers (n×d, row-major) and the target columns as text, with the
 * line each row came from, so later problems (a label unseen in training, a target that is not a number) can
 * still name the line.
 */
public final class CsvTable {
    private final Path file;
    private final List<String> featureNames;
    private final List<String> targetNames;
    private final int[] targetColumns;
    private final double[] x;
    private final String[] y;
    private final long[] lines;
    private final boolean header;

    CsvTable(Path file, boolean header, List<String> featureNames, List<String> targetNames, int[] targetColumns, double[] x, String[] y,
             long[] lines) {
        this.header = header;
        this.file = file;
        this.featureNames = List.copyOf(featureNames);
        this.targetNames = List.copyOf(targetNames);
        this.targetColumns = targetColumns;
        this.x = x;
        this.y = y;
        this.lines = lines;
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Whether the file has a header row (otherwise the columns are named "column 1", "column 2", ...). */
    public boolean hasHeader() {
        return header;
    }

    /** Number of data rows. */
    public int rows() {
        return lines.length;
    }

    /** Names of the feature columns (from the header, or "column N"). */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Names of the target columns. */
    public List<String> targetNames() {
        return targetNames;
    }

    /** The features as a flat row-major array (not a copy). */
    public double[] features() {
        return x;
    }

    /** The features of one row. */
    public double[] featureRow(int i) {
        return Arrays.copyOfRange(x, i * featureNames.size(), (i + 1) * featureNames.size());
    }

    /** The raw target text of row i, column t. */
    public String target(int i, int t) {
        return y[i * targetNames.size() + t];
    }

    /** The file line row i came from. */
    public long line(int i) {
        return lines[i];
    }

    /** Whether every target value is a number. */
    public boolean targetsAreNumbers() {
        for (String v : y) {
            if (!Csv.isNumber(v)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The distinct labels of the (single) target column, sorted: numerically when every label is a number,
     * alphabetically otherwise.
     */
    public List<String> classes() throws DataFormatException {
        requireSingleTarget("classification");
        boolean numeric = targetsAreNumbers();
        Set<String> set = new TreeSet<>(numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.<String>naturalOrder());
        set.addAll(Arrays.asList(y));
        return List.copyOf(new LinkedHashSet<>(set));
    }

    /** Number of distinct values in the (single) target column. */
    public int distinctTargets() {
        return new TreeSet<>(Arrays.asList(y)).size();
    }

    /**
     * A classification dataset: the label of each row one-hot encoded over {@code classes}.
     *
     * @throws DataFormatException naming the line of the first label that is not among {@code classes}
     */
    public Dataset oneHot(List<String> classes) throws DataFormatException {
        requireSingleTarget("classification");
        int k = classes.size();
        double[] t = new double[rows() * k];
        for (int i = 0; i < rows(); i++) {
            t[i * k + index(classes, i)] = 1;
        }
        return Dataset.wrap(x, t, featureNames.size(), k);
    }

    /**
     * A yes/no dataset for one sigmoid output: the target is 1 for the second of the two {@code classes}, 0 for
     * the first.
     */
    public Dataset binary(List<String> classes) throws DataFormatException {
        requireSingleTarget("binary classification");
        if (classes.size() != 2) {
            throw new DataFormatException(file, "a single yes/no output needs exactly 2 classes, the target has " + classes.size()
                    + " (" + String.join(", ", classes) + ")");
        }
        double[] t = new double[rows()];
        for (int i = 0; i < rows(); i++) {
            t[i] = index(classes, i);
        }
        return Dataset.wrap(x, t, featureNames.size(), 1);
    }

    /**
     * A regression dataset: every target parsed as a number.
     *
     * @throws DataFormatException naming the line and column of the first target that is not a finite number
     */
    public Dataset numeric() throws DataFormatException {
        int k = targetNames.size();
        if (k == 0) {
            throw new DataFormatException(file, "has no target column");
        }
        double[] t = new double[y.length];
        for (int i = 0; i < rows(); i++) {
            for (int j = 0; j < k; j++) {
                t[i * k + j] = Csv.number(y[i * k + j], file, lines[i], targetColumns[j], targetNames.get(j));
            }
        }
        return Dataset.wrap(x, t, featureNames.size(), k);
    }

    /**
     * The same rows with the feature columns chosen and ordered by name (to match a model's inputs).
     *
     * @throws DataFormatException naming the first column the file lacks
     */
    public CsvTable selectFeatures(List<String> names) throws DataFormatException {
        int d = featureNames.size();
        int[] idx = new int[names.size()];
        for (int j = 0; j < idx.length; j++) {
            idx[j] = featureNames.indexOf(names.get(j));
            if (idx[j] < 0) {
                throw new DataFormatException(file, "has no column '" + names.get(j) + "', which the model takes as input "
                        + (j + 1) + " of " + names.size());
            }
        }
        double[] nx = new double[rows() * idx.length];
        for (int i = 0; i < rows(); i++) {
            for (int j = 0; j < idx.length; j++) {
                nx[i * idx.length + j] = x[i * d + idx[j]];
            }
        }
        return new CsvTable(file, header, names, targetNames, targetColumns, nx, y, lines);
    }

    private int index(List<String> classes, int row) throws DataFormatException {
        String label = y[row];
        int c = classes.indexOf(label);
        if (c < 0 && Csv.isNumber(label)) {
            for (int j = 0; j < classes.size(); j++) {
                if (Csv.isNumber(classes.get(j)) && Double.parseDouble(classes.get(j)) == Double.parseDouble(label)) {
                    c = j;
                }
            }
        }
        if (c < 0) {
            throw new DataFormatException(file, lines[row], targetColumns[0], targetNames.getFirst(), "label '" + Csv.abbreviate(label)
                    + "' was not seen in training; the model knows " + classes.size() + " classes: " + abbreviate(classes));
        }
        return c;
    }

    private static String abbreviate(List<String> classes) {
        List<String> shown = new ArrayList<>(classes.subList(0, Math.min(classes.size(), 12)));
        if (classes.size() > 12) {
            shown.add("...");
        }
        return String.join(", ", shown);
    }

    private void requireSingleTarget(String what) throws DataFormatException {
        if (targetNames.size() != 1) {
            throw new DataFormatException(file, what + " needs exactly one target column, got " + targetNames.size()
                    + (targetNames.isEmpty() ? "" : " (" + String.join(", ", targetNames) + ")"));
        }
    }
}
