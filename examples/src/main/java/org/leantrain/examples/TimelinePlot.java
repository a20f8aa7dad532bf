package org.leantrain.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.leantrain.pipeline.Op;
import org.leantrain.pipeline.Trace;

/** A PNG Gantt chart of a pipeline step: one row per stage, one box per op (F blue, R orange, B green) with its m. */
public final class TimelinePlot {
    private static final int WIDTH = 1200;
    private static final int ROW = 48;
    private static final int LEFT = 90;
    private static final int TOP = 40;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private TimelinePlot() {}

    public static Path write(Path file, String title, Trace trace) throws IOException {
        int height = TOP + trace.stages() * ROW + 50;
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        long t0 = trace.startNanos();
        double span = Math.max(1, trace.makespanNanos());
        double scale = (WIDTH - LEFT - 20) / span;
        for (int s = 0; s < trace.stages(); s++) {
            g.setColor(Color.BLACK);
            g.drawString(String.format("stage %d (%.0f%%)", s, 100 * trace.busyFraction(s)), 8, TOP + s * ROW + ROW / 2 + 4);
        }
        for (Trace.Event e : trace.events()) {
            int x = LEFT + (int) ((e.startNanos() - t0) * scale);
            int w = Math.max(1, (int) (e.nanos() * scale));
            int y = TOP + e.op().stage() * ROW + 6;
            g.setColor(color(e.op().kind()));
            g.fillRect(x, y, w, ROW - 12);
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawRect(x, y, w, ROW - 12);
            if (w > 14) {
                g.setColor(Color.BLACK);
                g.drawString(e.op().toString(), x + 3, y + ROW / 2);
            }
        }
        g.setColor(Color.BLACK);
        g.drawString(String.format("0 … %.1f ms;  F forward (blue), R recompute (orange), B backward (green);"
                + "  bubble %.1f%%", span / 1e6, 100 * trace.bubbleFraction()), LEFT, height - 18);
        g.dispose();
        Path png = file.toString().endsWith(".png") ? file : Path.of(file + ".png");
        ImageIO.write(image, "png", png.toFile());
        return png;
    }

    private static Color color(Op.Kind kind) {
        return switch (kind) {
            case FORWARD -> new Color(120, 160, 230);
            case RECOMPUTE -> new Color(240, 170, 90);
            case BACKWARD -> new Color(120, 200, 130);
        };
    }
}
