package dev.backprop.cli;

import dev.backprop.train.EpochRecord;
import dev.backprop.util.Numbers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One self-contained HTML page about a run: configuration, curves, metrics, history. No external resources. */
final class Report {
    private final String title;
    private final List<String> sections = new ArrayList<>();

    Report(String title) {
        this.title = title;
    }

    Report paragraph(String text) {
        sections.add("<p>" + esc(text) + "</p>");
        return this;
    }

    Report table(String heading, Map<String, String> rows) {
        StringBuilder s = new StringBuilder("<h2>").append(esc(heading)).append("</h2>\n<table class=\"kv\">\n");
        rows.forEach((k, v) -> s.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
        sections.add(s.append("</table>").toString());
        return this;
    }

    Report grid(String heading, List<String> header, List<List<String>> rows) {
        StringBuilder s = new StringBuilder("<h2>").append(esc(heading)).append("</h2>\n<table class=\"grid\">\n<tr>");
        for (String h : header) {
            s.append("<th>").append(esc(h)).append("</th>");
        }
        s.append("</tr>\n");
        for (List<String> r : rows) {
            s.append("<tr>");
            for (String c : r) {
                s.append("<td>").append(esc(c)).append("</td>");
            }
            s.append("</tr>\n");
        }
        sections.add(s.append("</table>").toString());
        return this;
    }

    Report figure(String heading, String svg) {
        sections.add("<h2>" + esc(heading) + "</h2>\n<div class=\"fig\">" + svg + "</div>");
        return this;
    }

    /** The per-epoch history as a table. */
    Report history(List<EpochRecord> history, boolean classification) {
        List<String> header = new ArrayList<>(List.of("epoch", "loss", classification ? "accuracy" : "R²", "validation loss",
                classification ? "validation accuracy" : "validation R²", "|g|", "learning rate", "seconds"));
        List<List<String>> rows = new ArrayList<>();
        for (EpochRecord r : history) {
            rows.add(List.of(Integer.toString(r.epoch()), Numbers.format(r.loss()), metric(classification ? r.accuracy() : r.r2()),
                    Numbers.format(r.validationLoss()), metric(classification ? r.validationAccuracy() : r.validationR2()),
                    Numbers.format(r.gradientNorm()), Numbers.format(r.learningRate()), String.format(Locale.ROOT, "%.1f", r.seconds())));
        }
        return grid("History", header, rows);
    }

    static String metric(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    String html() {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n");
        s.append("""
                <style>
                body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
                h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #ddd; }
                table { border-collapse: collapse; font-size: 0.9em; }
                table.kv th { text-align: left; padding: 2px 16px 2px 0; font-weight: normal; color: #555; vertical-align: top; }
                table.kv td { padding: 2px 0; font-family: "DejaVu Sans Mono", monospace; }
                table.grid th, table.grid td { border: 1px solid #ddd; padding: 2px 8px; text-align: right; }
                table.grid th { background: #f4f4f4; }
                .fig svg { max-width: 100%; height: auto; }
                footer { margin-top: 3em; color: #777; font-size: 0.8em; }
                </style>
                </head>
                <body>
                """);
        s.append("<h1>").append(esc(title)).append("</h1>\n");
        for (String section : sections) {
            s.append(section).append('\n');
        }
        s.append("<footer>Written by backprop ").append(esc(dev.backprop.Backprop.VERSION)).append(".</footer>\n</body>\n</html>\n");
        return s.toString();
    }

    static Map<String, String> map() {
        return new LinkedHashMap<>();
    }

    static String esc(String t) {
        return t == null ? "" : Canvas.Svg.escape(t);
    }
}
