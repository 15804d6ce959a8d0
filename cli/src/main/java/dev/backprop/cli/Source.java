package dev.backprop.cli;

import dev.backprop.Dataset;
import dev.backprop.data.Csv;
import dev.backprop.data.CsvTable;
import dev.backprop.data.DataFormatException;
import dev.backprop.data.Idx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Data as read from the user's files, before it becomes a {@link Dataset}: a CSV table (features and raw
 * target text) or an IDX pair (images and labels). The command decides what the targets mean (classes or
 * numbers) and turns it into a dataset.
 */
sealed interface Source {

    /** Where the data came from, for messages. */
    String describe();

    /** Number of examples. */
    int rows();

    /** Names of the feature columns. */
    List<String> featureNames();

    /** Whether there are targets (IDX images without a labels file have none). */
    boolean hasTargets();

    /** Number of target columns. */
    int targetCount();

    /** Names of the target columns. */
    List<String> targetNames();

    /** Whether the (single) target holds text rather than numbers, i.e. class labels. */
    boolean labelsAreText();

    /** Number of distinct target values (for guessing classification). */
    int distinctTargets() throws DataFormatException;

    /** Whether a single numeric target holds whole numbers with at most 20 distinct values (scikit-learn's rule, with a cap). */
    default boolean looksLikeClassLabels() {
        return false;
    }

    /** The sorted distinct labels. */
    List<String> classes() throws DataFormatException;

    /** One-hot classification over {@code classes}; unseen labels are an error naming the line. */
    Dataset oneHot(List<String> classes) throws DataFormatException;

    /** 0/1 targets for one sigmoid output. */
    Dataset binary(List<String> classes) throws DataFormatException;

    /** Numeric targets. */
    Dataset numeric() throws DataFormatException;

    /** Features only, with zero targets of the given width (for prediction). */
    Dataset featuresOnly(int outputs);

    /** The same examples with the features chosen and ordered by name. */
    Source selectFeatures(List<String> names) throws DataFormatException;

    /** Whether features are IDX unsigned bytes (0..255), which the CLI scales to [0, 1] by default. */
    boolean unsignedBytes();

    /** A CSV file. */
    record CsvSource(CsvTable table) implements Source {
        public String describe() {
            return table.file().toString();
        }

        public int rows() {
            return table.rows();
        }

        public List<String> featureNames() {
            return table.featureNames();
        }

        public boolean hasTargets() {
            return !table.targetNames().isEmpty();
        }

        public int targetCount() {
            return table.targetNames().size();
        }

        public List<String> targetNames() {
            return table.targetNames();
        }

        public boolean labelsAreText() {
            return !table.targetsAreNumbers();
        }

        public int distinctTargets() {
            return table.distinctTargets();
        }

        public boolean looksLikeClassLabels() {
            if (table.targetNames().size() != 1 || !table.targetsAreNumbers() || table.distinctTargets() > 20) {
                return false;
            }
            for (int i = 0; i < table.rows(); i++) {
                double v = Double.parseDouble(table.target(i, 0));
                if (v != Math.rint(v)) {
                    return false;
                }
            }
            return true;
        }

        public List<String> classes() throws DataFormatException {
            return table.classes();
        }

        public Dataset oneHot(List<String> classes) throws DataFormatException {
            return table.oneHot(classes);
        }

        public Dataset binary(List<String> classes) throws DataFormatException {
            return table.binary(classes);
        }

        public Dataset numeric() throws DataFormatException {
            return table.numeric();
        }

        public Dataset featuresOnly(int outputs) {
            return Dataset.wrap(table.features(), new double[table.rows() * outputs], table.featureNames().size(), outputs);
        }

        public Source selectFeatures(List<String> names) throws DataFormatException {
            return new CsvSource(table.selectFeatures(names));
        }

        public boolean unsignedBytes() {
            return false;
        }
    }

    /** IDX images (n × ...) with an optional IDX labels file. */
    record IdxSource(Idx.Array images, Idx.Array labels) implements Source {
        public String describe() {
            return images.file() + (labels == null ? "" : " with labels " + labels.file());
        }

        public int rows() {
            return images.items();
        }

        public List<String> featureNames() {
            List<String> names = new ArrayList<>(images.itemSize());
            for (int i = 0; i < images.itemSize(); i++) {
                names.add("pixel" + (i + 1));
            }
            return names;
        }

        public boolean hasTargets() {
            return labels != null;
        }

        public int targetCount() {
            return labels == null ? 0 : 1;
        }

        public List<String> targetNames() {
            return labels == null ? List.of() : List.of("label");
        }

        public boolean labelsAreText() {
            return false;
        }

        public int distinctTargets() throws DataFormatException {
            return Idx.classCount(labels);
        }

        public List<String> classes() throws DataFormatException {
            List<String> c = new ArrayList<>();
            for (int i = 0; i < Idx.classCount(labels); i++) {
                c.add(Integer.toString(i));
            }
            return c;
        }

        /** IDX labels are class indices: the i-th name is the name of label i. */
        public Dataset oneHot(List<String> classes) throws DataFormatException {
            int max = Idx.classCount(labels);
            if (max > classes.size()) {
                throw new DataFormatException(labels.file(), "has label " + (max - 1) + ", which was not seen in training; the model knows "
                        + classes.size() + " classes (labels 0.." + (classes.size() - 1) + ")");
            }
            return Idx.classification(images, labels, classes.size());
        }

        public Dataset binary(List<String> classes) throws DataFormatException {
            if (classes.size() != 2) {
                throw new DataFormatException(labels.file(), "a single yes/no output needs 2 classes, the labels have " + classes.size());
            }
            return numeric();
        }

        public Dataset numeric() {
            return Idx.dataset(images, labels.values(), 1);
        }

        public Dataset featuresOnly(int outputs) {
            return Idx.dataset(images, new float[images.items() * outputs], outputs);
        }

        public Source selectFeatures(List<String> names) {
            return this;
        }

        public boolean unsignedBytes() {
            return images.type() == 0x08;
        }
    }

    /**
     * Reads a data file, CSV or IDX (told apart by content, gzipped or not); {@code labels} is the IDX labels file
     * for IDX images.
     */
    static Source load(Path data, Path labels, Csv.Options csv) throws IOException {
        if (!Files.exists(data)) {
            throw new NoSuchFileException(data.toString(), null, "no such data file");
        }
        if (Files.isDirectory(data)) {
            throw new UserError(data + " is a folder; give a CSV or IDX file");
        }
        if (isIdx(data)) {
            Idx.Array images = Idx.read(data);
            if (images.items() == 0) {
                throw new DataFormatException(data, "holds no items (its first dimension is 0)");
            }
            Idx.Array lab = labels == null ? null : Idx.read(labels);
            if (lab != null && lab.items() != images.items()) {
                throw new DataFormatException(labels, "has " + lab.items() + " labels but " + data + " has " + images.items() + " items");
            }
            if (lab != null && lab.dims().length != 1) {
                throw new DataFormatException(labels, "is not an IDX labels file (it has " + lab.dims().length + " dimensions, labels have 1)");
            }
            return new IdxSource(images, lab);
        }
        if (labels != null) {
            throw new UserError("--labels is for IDX image files; " + data + " is not one (for a CSV file, name the target column with --target)");
        }
        if (looksLikeJson(data)) {
            throw new UserError(data + " is JSON, not CSV or IDX data (a model file? give it to evaluate, predict or info)");
        }
        return new CsvSource(Csv.read(data, csv));
    }

    private static boolean looksLikeJson(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            for (byte b : head) {
                if (!Character.isWhitespace(b)) {
                    return b == '{';
                }
            }
            return false;
        }
    }

    private static boolean isIdx(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream raw = Files.newInputStream(file)) {
            int n = raw.readNBytes(head, 0, 4);
            if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                try (InputStream gz = new GZIPInputStream(Files.newInputStream(file))) {
                    n = gz.readNBytes(head, 0, 4);
                } catch (IOException e) {
                    throw new DataFormatException(file, "the gzip data is corrupted (" + e.getMessage() + ")");
                }
            }
            boolean magic = n == 4 && head[0] == 0 && head[1] == 0 && (head[2] & 0xff) >= 0x08 && (head[2] & 0xff) <= 0x0E;
            // a file named like an IDX file is read as one, so a damaged one gets the IDX reader's message
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            return magic || (name.matches(".*(idx\\d|ubyte).*") && !name.matches(".*\\.(csv|tsv|txt)(\\.gz)?"));
        }
    }
}
