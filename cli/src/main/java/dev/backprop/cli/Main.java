package dev.backprop.cli;

import dev.backprop.Backprop;
import dev.backprop.data.DataFormatException;
import dev.backprop.io.ModelFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code backprop} command. Exit codes: 0 success, 2 a user error (bad input, options or files; one line on
 * stderr), 1 an internal error (a bug: one line, and the stack trace with {@code --debug}).
 */
@Command(name = "backprop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Train feedforward neural networks by backpropagation, and see the math.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, CheckCommand.class, ExplainCommand.class,
                GradientCommand.class, InfoCommand.class, ExportCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'backprop COMMAND --help' for the options of a command. Model files: docs/model-format.md."})
public final class Main implements Runnable {

    /** Exit code of a user error. */
    static final int USER_ERROR = 2;
    /** Exit code of an internal error. */
    static final int INTERNAL_ERROR = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: train, evaluate, predict, check, explain, "
                + "gradient, info, export or demo");
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%n");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (for tests and {@link #main}). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("backprop " + commandName(c) + ": " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("Try 'backprop " + commandName(c) + " --help'.");
            }
            return USER_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            String message = userMessage(ex);
            if (message != null) {
                c.getErr().println("backprop " + commandName(c) + ": " + message);
                if (debug) {
                    ex.printStackTrace(c.getErr());
                }
                return USER_ERROR;
            }
            c.getErr().println("backprop " + commandName(c) + ": internal error: " + ex
                    + (debug ? "" : " (this is a bug in backprop; run again with --debug for the stack trace and report it)"));
            if (debug) {
                ex.printStackTrace(c.getErr());
            }
            return INTERNAL_ERROR;
        });
        String[] filtered = Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        try {
            filtered = ConfigFile.expand(filtered);
        } catch (UserError | IOException e) {
            err.println("backprop: " + userMessage(e));
            return USER_ERROR;
        }
        try {
            return cl.execute(filtered);
        } catch (OutOfMemoryError e) {
            err.println("backprop: out of memory (the Java heap is limited to " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MB); allow more with JAVA_TOOL_OPTIONS=-Xmx8g, or use less data or a smaller network");
            return INTERNAL_ERROR;
        } catch (Throwable t) { // errors picocli does not hand to the exception handler (Error subclasses)
            err.println("backprop: internal error: " + t + (debug ? "" : " (this is a bug in backprop; run again with --debug for the"
                    + " stack trace and report it)"));
            if (debug) {
                t.printStackTrace(err);
            }
            return INTERNAL_ERROR;
        }
    }

    private static String commandName(CommandLine c) {
        return c.getCommandName().equals("backprop") ? "" : c.getCommandName();
    }

    /** The one-line message for an exception caused by the user's input, or null for a bug. */
    static String userMessage(Throwable ex) {
        return switch (ex) {
            case UserError u -> u.getMessage();
            case NoSuchFileException e -> e.getFile() + ": " + (e.getReason() == null ? "no such file" : e.getReason());
            case AccessDeniedException e -> e.getFile() + ": permission denied";
            case DataFormatException e -> e.getMessage();
            case ModelFormatException e -> e.getMessage();
            case java.nio.file.FileSystemException e -> e.getFile() + ": " + (e.getReason() == null ? "cannot be used" : e.getReason());
            case IOException e -> e.getMessage();
            case IllegalArgumentException e -> e.getMessage();
            default -> null;
        };
    }

    /** Prints the library version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"backprop " + Backprop.VERSION, "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                "kernels: " + dev.backprop.kernel.Kernels.selection()};
        }
    }

    /** Subcommand names, for the help of the root command. */
    static List<String> commands() {
        return List.of("train", "evaluate", "predict", "check", "explain", "gradient", "info", "export", "demo");
    }
}
