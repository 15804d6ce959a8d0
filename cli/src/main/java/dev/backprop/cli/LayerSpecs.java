package dev.backprop.cli;

import dev.backprop.Activation;
import dev.backprop.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compact layer notation of the command line: {@code 784-256:relu-128:relu-10:softmax}. Tokens are
 * separated by {@code -}; an optional first token without an activation is the input width; every other token
 * is {@code units:activation}, where the activation may carry its parameter, {@code leaky_relu(0.1)} or
 * {@code elu(0.5)}, and a trailing {@code /nobias} drops the layer's biases.
 */
final class LayerSpecs {
    private LayerSpecs() {
    }

    /** A parsed spec: the input width if given (else -1) and the layers. */
    record Parsed(int inputs, List<LayerSpec> layers) {
        String describe() {
            StringBuilder s = new StringBuilder(inputs > 0 ? Integer.toString(inputs) : "");
            for (LayerSpec l : layers) {
                if (!s.isEmpty()) {
                    s.append('-');
                }
                s.append(format(l));
            }
            return s.toString();
        }
    }

    private static final Pattern LAYER = Pattern.compile("(\\d+):([A-Za-z_ ]+)(?:\\(([^)]*)\\))?(/nobias)?");

    static Parsed parse(String spec) {
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new UserError("empty layer spec; write it like 784-256:relu-10:softmax (input width, then units:activation per layer)");
        }
        // split on '-' that is not inside parentheses (negative parameters are allowed there)
        List<String> tokens = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '-' && depth == 0) {
                tokens.add(s.substring(start, i));
                start = i + 1;
            }
        }
        tokens.add(s.substring(start));
        int inputs = -1;
        List<LayerSpec> layers = new ArrayList<>();
        for (int t = 0; t < tokens.size(); t++) {
            String tok = tokens.get(t).trim();
            if (t == 0 && tok.matches("\\d+")) {
                inputs = number(tok, spec);
                if (inputs < 1) {
                    throw new UserError("layer spec '" + spec + "': the input width must be at least 1");
                }
                continue;
            }
            Matcher m = LAYER.matcher(tok);
            if (!m.matches()) {
                String hint = tok.matches("\\d+") ? "; a layer needs an activation, e.g. " + tok + ":relu" : "";
                throw new UserError("layer spec '" + spec + "': cannot read '" + tok + "' (expected units:activation, like 128:relu)" + hint);
            }
            int units = number(m.group(1), spec);
            Activation a = activation(m.group(2), m.group(3), spec);
            try {
                layers.add(new LayerSpec(units, a, m.group(4) == null));
            } catch (IllegalArgumentException e) {
                throw new UserError("layer spec '" + spec + "': " + e.getMessage());
            }
        }
        if (layers.isEmpty()) {
            throw new UserError("layer spec '" + spec + "' has no layers; add at least the output layer, e.g. " + spec + "-10:softmax");
        }
        return new Parsed(inputs, layers);
    }

    private static int number(String digits, String spec) {
        if (digits.length() > 9) {
            throw new UserError("layer spec '" + spec + "': " + digits + " units is far too many");
        }
        return Integer.parseInt(digits);
    }

    private static Activation activation(String name, String param, String spec) {
        Activation a;
        try {
            a = Activation.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UserError("layer spec '" + spec + "': " + e.getMessage());
        }
        if (param == null || param.isBlank()) {
            return a;
        }
        double p;
        try {
            p = Double.parseDouble(param.trim());
        } catch (NumberFormatException e) {
            throw new UserError("layer spec '" + spec + "': the parameter of " + a.id() + " must be a number, got '" + param + "'");
        }
        try {
            return switch (a) {
                case Activation.LeakyRelu l -> new Activation.LeakyRelu(p);
                case Activation.Elu e -> new Activation.Elu(p);
                default -> throw new UserError("layer spec '" + spec + "': " + a.id() + " takes no parameter");
            };
        } catch (IllegalArgumentException e) {
            throw new UserError("layer spec '" + spec + "': " + e.getMessage());
        }
    }

    /** The token of one layer, e.g. {@code 128:relu} or {@code 64:leaky_relu(0.1)/nobias}. */
    static String format(LayerSpec l) {
        String act = switch (l.activation()) {
            case Activation.LeakyRelu(double slope) -> "leaky_relu(" + slope + ")";
            case Activation.Elu(double alpha) -> "elu(" + alpha + ")";
            default -> l.activation().id();
        };
        return l.outputs() + ":" + act + (l.bias() ? "" : "/nobias");
    }
}
