package dev.backprop.export;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs an exported model in ONNX Runtime, the reference ONNX back end, and reads what it reports about the model. */
public final class OnnxRuntime {
    private OnnxRuntime() {
    }

    /** What ONNX Runtime computed and reported. */
    public record Run(float[][] output, OnnxModelMetadata metadata, String inputName, long[] inputShape, String outputName,
            long[] outputShape) {
    }

    /** Loads the model from its bytes and runs it on {@code x} (rows are examples), as float32. */
    public static Run run(byte[] model, double[][] x) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = env.createSession(model, options)) {
            float[][] in = new float[x.length][];
            for (int i = 0; i < x.length; i++) {
                in[i] = new float[x[i].length];
                for (int j = 0; j < x[i].length; j++) {
                    in[i][j] = (float) x[i][j];
                }
            }
            Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
            Map.Entry<String, NodeInfo> output = session.getOutputInfo().entrySet().iterator().next();
            try (OnnxTensor t = OnnxTensor.createTensor(env, in);
                    OrtSession.Result r = session.run(Map.of(input.getKey(), t))) {
                float[][] out = (float[][]) r.get(0).getValue();
                return new Run(out, session.getMetadata(), input.getKey(), ((TensorInfo) input.getValue().getInfo()).getShape(),
                        output.getKey(), ((TensorInfo) output.getValue().getInfo()).getShape());
            }
        }
    }

    /**
     * The largest |ort − ours| over all outputs, after checking that every one is within
     * {@code tolerance}·max(1, |ours|) (absolute near zero, relative for large outputs).
     */
    public static double maxDifference(float[][] ort, double[][] ours, double tolerance, String what) {
        if (ort.length != ours.length) {
            throw new AssertionError(what + ": " + ort.length + " rows from ONNX Runtime, " + ours.length + " expected");
        }
        double max = 0;
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < ours.length; i++) {
            if (ort[i].length != ours[i].length) {
                throw new AssertionError(what + ": row " + i + " has " + ort[i].length + " outputs, " + ours[i].length + " expected");
            }
            for (int k = 0; k < ours[i].length; k++) {
                double d = Math.abs(ort[i][k] - ours[i][k]);
                max = Math.max(max, d);
                if (!(d <= tolerance * Math.max(1, Math.abs(ours[i][k]))) && bad.size() < 5) {
                    bad.add("row " + i + " output " + k + ": ort " + ort[i][k] + ", backprop " + ours[i][k]);
                }
            }
        }
        if (!bad.isEmpty()) {
            throw new AssertionError(what + ": ONNX Runtime differs from Network.predict by more than " + tolerance + ": " + bad);
        }
        return max;
    }

    /**
     * The top-level fields of a protobuf message: field number → values (a Long for varints and 32-bit words, a
     * byte[] for length-delimited fields). Enough to read back what ONNX Runtime's Java API does not show (opset, IR).
     */
    public static Map<Integer, List<Object>> fields(byte[] message) {
        Map<Integer, List<Object>> f = new java.util.TreeMap<>();
        int[] pos = {0};
        while (pos[0] < message.length) {
            long key = varint(message, pos);
            int field = (int) (key >>> 3);
            Object value = switch ((int) (key & 7)) {
                case 0 -> varint(message, pos);
                case 2 -> {
                    int n = (int) varint(message, pos);
                    byte[] b = java.util.Arrays.copyOfRange(message, pos[0], pos[0] + n);
                    pos[0] += n;
                    yield b;
                }
                case 5 -> {
                    long v = (message[pos[0]] & 0xFFL) | (message[pos[0] + 1] & 0xFFL) << 8 | (message[pos[0] + 2] & 0xFFL) << 16
                            | (message[pos[0] + 3] & 0xFFL) << 24;
                    pos[0] += 4;
                    yield v;
                }
                default -> throw new AssertionError("unexpected wire type " + (key & 7) + " at byte " + pos[0]);
            };
            f.computeIfAbsent(field, k -> new ArrayList<>()).add(value);
        }
        return f;
    }

    private static long varint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }
}
