package dev.backprop.cli;

import dev.backprop.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Run configurations as JSON files: {@code --config run.json} is replaced by the options the file holds, so
 * that everything the command line can say, a file can say too, and options given after {@code --config}
 * override it. Keys are the long option names without dashes ({@code "batch": 128}, {@code "layers":
 * "784-256:relu-10:softmax"}); {@code true} turns a flag on; arrays become comma-separated lists; an
 * {@code "optimizer"} may be an object, {@code {"name": "adam", "lr": 0.001}}.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    static String[] expand(String[] args) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String file = null;
            if (a.equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new UserError("--config needs a file");
                }
                file = args[++i];
            } else if (a.startsWith("--config=")) {
                file = a.substring("--config=".length());
            }
            if (file == null) {
                out.add(a);
            } else {
                out.addAll(options(Path.of(file)));
            }
        }
        return out.toArray(String[]::new);
    }

    private static List<String> options(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such config file");
        }
        Object root;
        try {
            root = Json.parse(Files.readString(file));
        } catch (Json.SyntaxError e) {
            throw new UserError(file + ": not valid JSON, " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new UserError(file + ": a config file is a JSON object of options, like {\"epochs\": 10}");
        }
        List<String> args = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = e.getKey().toString();
            Object v = e.getValue();
            if (key.equals("optimizer") && v instanceof Map<?, ?> opt) {
                for (Map.Entry<?, ?> o : opt.entrySet()) {
                    add(args, o.getKey().toString().equals("name") ? "optimizer" : o.getKey().toString(), o.getValue(), file);
                }
            } else {
                add(args, key, v, file);
            }
        }
        return args;
    }

    private static void add(List<String> args, String key, Object v, Path file) {
        String option = "--" + key.replace('_', '-');
        switch (v) {
            case Boolean b -> {
                if (b) {
                    args.add(option);
                }
            }
            case Json.Num n -> {
                args.add(option);
                args.add(n.literal());
            }
            case String s -> {
                args.add(option);
                args.add(s);
            }
            case List<?> list -> {
                args.add(option);
                args.add(String.join(",", list.stream().map(x -> x instanceof Json.Num n ? n.literal() : String.valueOf(x)).toList()));
            }
            case null, default -> throw new UserError(file + ": option \"" + key + "\" has a value this file format cannot express");
        }
    }
}
