package dev.backprop.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The few drawing operations the charts need, so that one layout renders both to SVG (text) and to PNG
 * (Java2D, headless).
 */
interface Canvas {
    int width();

    int height();

    void rect(double x, double y, double w, double h, String fill, String stroke);

    void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed);

    void polyline(double[] xs, double[] ys, String color, double width, boolean dashed);

    /** Text with its anchor at x: "start", "middle" or "end". */
    void text(double x, double y, String text, double size, String color, String anchor, boolean bold);

    /** An SVG canvas. */
    final class Svg implements Canvas {
        private final int w;
        private final int h;
        private final StringBuilder s = new StringBuilder();

        Svg(int w, int h) {
            this.w = w;
            this.h = h;
            s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                    + " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">%n", w, h, w, h));
        }

        public int width() {
            return w;
        }

        public int height() {
            return h;
        }

        public void rect(double x, double y, double rw, double rh, String fill, String stroke) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"%s/>%n", x, y, rw, rh,
                    fill == null ? "none" : fill, stroke == null ? "" : " stroke=\"" + stroke + "\""));
        }

        public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>%n",
                    x1, y1, x2, y2, color, width, dashed ? " stroke-dasharray=\"6 4\"" : ""));
        }

        public void polyline(double[] xs, double[] ys, String color, double width, boolean dashed) {
            s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"").append(width).append('"')
                    .append(dashed ? " stroke-dasharray=\"6 4\"" : "").append(" points=\"");
            for (int i = 0; i < xs.length; i++) {
                s.append(String.format(Locale.ROOT, "%.1f,%.1f ", xs[i], ys[i]));
            }
            s.append("\"/>\n");
        }

        public void text(double x, double y, String text, double size, String color, String anchor, boolean bold) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" fill=\"%s\" text-anchor=\"%s\"%s>%s</text>%n",
                    x, y, size, color, anchor, bold ? " font-weight=\"bold\"" : "", escape(text)));
        }

        String finish() {
            return s + "</svg>\n";
        }

        /** Text safe inside XML or HTML elements and attributes; control characters (illegal in XML) become spaces. */
        static String escape(String t) {
            StringBuilder b = new StringBuilder(t.length());
            for (char c : t.toCharArray()) {
                switch (c) {
                    case '&' -> b.append("&amp;");
                    case '<' -> b.append("&lt;");
                    case '>' -> b.append("&gt;");
                    case '"' -> b.append("&quot;");
                    default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
                }
            }
            return b.toString();
        }
    }

    /** A PNG canvas (Java2D, antialiased). */
    final class Png implements Canvas {
        private final BufferedImage img;
        private final Graphics2D g;

        Png(int w, int h) {
            img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
        }

        public int width() {
            return img.getWidth();
        }

        public int height() {
            return img.getHeight();
        }

        public void rect(double x, double y, double w, double h, String fill, String stroke) {
            if (fill != null) {
                g.setColor(Color.decode(fill));
                g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
            }
            if (stroke != null) {
                g.setColor(Color.decode(stroke));
                g.setStroke(new BasicStroke(1f));
                g.draw(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
            }
        }

        public void line(double x1, double y1, double x2, double y2, String color, double width, boolean dashed) {
            polyline(new double[] {x1, x2}, new double[] {y1, y2}, color, width, dashed);
        }

        public void polyline(double[] xs, double[] ys, String color, double width, boolean dashed) {
            if (xs.length == 0) {
                return;
            }
            g.setColor(Color.decode(color));
            g.setStroke(dashed ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f)
                    : new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D.Double p = new Path2D.Double();
            p.moveTo(xs[0], ys[0]);
            for (int i = 1; i < xs.length; i++) {
                p.lineTo(xs[i], ys[i]);
            }
            g.draw(p);
        }

        public void text(double x, double y, String text, double size, String color, String anchor, boolean bold) {
            g.setColor(Color.decode(color));
            g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, (int) Math.round(size)));
            int tw = g.getFontMetrics().stringWidth(text);
            double dx = switch (anchor) {
                case "middle" -> -tw / 2.0;
                case "end" -> -tw;
                default -> 0;
            };
            g.drawString(text, (float) (x + dx), (float) y);
        }

        byte[] finish() throws IOException {
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        }
    }
}
