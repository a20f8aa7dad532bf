package org.leantrain.ebm.metrics;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.leantrain.ebm.EnergyModel;
import org.leantrain.ebm.LogWeights;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Quadrature on an n×n grid over [−L, L]² for 2-D energies: log Z, normalized log densities, KL, quadrant masses,
 * and PNG heat maps with weighted walkers overlaid.
 */
public final class GridDensity2D {
    private final double half;
    private final int n;
    private final double cellArea;
    private final INDArray points;

    public GridDensity2D(double half, int n) {
        if (!(half > 0) || n < 2) {
            throw new IllegalArgumentException("grid needs half-width > 0 and n >= 2, got " + half + ", " + n);
        }
        this.half = half;
        this.n = n;
        double step = 2 * half / (n - 1);
        this.cellArea = step * step;
        double[] xy = new double[2 * n * n];
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                int i = row * n + col;
                xy[2 * i] = coordinate(col);
                xy[2 * i + 1] = coordinate(row);
            }
        }
        this.points = Nd4j.create(xy, new long[] {(long) n * n, 2}, 'c');
    }

    private double coordinate(int index) {
        return -half + 2 * half * index / (n - 1);
    }

    /** log Z = log Σ_cells exp(−U/T) · cell area. */
    public double logPartition(EnergyModel model, double temperature) {
        return LogWeights.logSumExp(negEnergy(model, temperature)) + Math.log(cellArea);
    }

    /** Grid log densities normalized by quadrature (so they sum to 1 over the grid, times the cell area). */
    public double[] logDensity(EnergyModel model, double temperature) {
        double[] v = negEnergy(model, temperature);
        double logZ = LogWeights.logSumExp(v) + Math.log(cellArea);
        for (int i = 0; i < v.length; i++) {
            v[i] -= logZ;
        }
        return v;
    }

    private double[] negEnergy(EnergyModel model, double temperature) {
        double[] u = model.energies(points.castTo(model.dataType()));
        for (int i = 0; i < u.length; i++) {
            u[i] = -u[i] / temperature;
        }
        return u;
    }

    /** KL(P‖Q) = Σ P (log P − log Q) · cell area. */
    public double kl(double[] logP, double[] logQ) {
        double s = 0;
        for (int i = 0; i < logP.length; i++) {
            double p = Math.exp(logP[i]);
            if (p > 0) {
                s += p * (logP[i] - logQ[i]);
            }
        }
        return s * cellArea;
    }

    /** Masses of the quadrants (x<0,y<0), (x>0,y<0), (x<0,y>0), (x>0,y>0); points on an axis split evenly. */
    public double[] quadrantMasses(double[] logP) {
        double[] mass = new double[4];
        for (int row = 0; row < n; row++) {
            for (int col = 0; col < n; col++) {
                double p = Math.exp(logP[row * n + col]) * cellArea;
                double x = coordinate(col);
                double y = coordinate(row);
                double[] wx = x < 0 ? new double[] {1, 0} : x > 0 ? new double[] {0, 1} : new double[] {0.5, 0.5};
                double[] wy = y < 0 ? new double[] {1, 0} : y > 0 ? new double[] {0, 1} : new double[] {0.5, 0.5};
                for (int q = 0; q < 4; q++) {
                    mass[q] += p * wx[q % 2] * wy[q / 2];
                }
            }
        }
        return mass;
    }

    /** One heat-map panel: a density, optionally walkers with weights (dot area ∝ weight). */
    public record Panel(String title, double[] logDensity, INDArray walkers, double[] weights) {}

    /** Writes the panels side by side as one PNG. */
    public void writePanels(List<Panel> panels, Path file) throws IOException {
        int size = Math.min(n, 360);
        int header = 22;
        BufferedImage img = new BufferedImage(size * panels.size(), size + header, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int k = 0; k < panels.size(); k++) {
            Panel panel = panels.get(k);
            int x0 = k * size;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : panel.logDensity()) {
                max = Math.max(max, v);
            }
            for (int py = 0; py < size; py++) {
                for (int px = 0; px < size; px++) {
                    int col = px * (n - 1) / (size - 1);
                    int row = (size - 1 - py) * (n - 1) / (size - 1); // y up
                    double level = Math.exp(panel.logDensity()[row * n + col] - max);
                    img.setRGB(x0 + px, header + py, heat(Math.sqrt(level)).getRGB());
                }
            }
            if (panel.walkers() != null) {
                double[][] w = panel.walkers().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
                double[] p = panel.weights();
                g.setColor(new Color(255, 255, 255, 170));
                for (int i = 0; i < w.length; i++) {
                    double radius = Math.min(6, 1.2 * Math.sqrt(p[i] * w.length));
                    if (radius < 0.3) {
                        continue;
                    }
                    double px = (w[i][0] + half) / (2 * half) * (size - 1);
                    double py = (half - w[i][1]) / (2 * half) * (size - 1);
                    g.fill(new java.awt.geom.Ellipse2D.Double(x0 + px - radius, header + py - radius, 2 * radius,
                            2 * radius));
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(panel.title(), x0 + 4, 16);
        }
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }

    /** Black → purple → orange → yellow. */
    private static Color heat(double t) {
        double[][] stops = {{0, 0, 0}, {0.35, 0.05, 0.5}, {0.9, 0.35, 0.1}, {1, 0.95, 0.4}};
        double s = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min((int) s, stops.length - 2);
        double f = s - i;
        float[] c = new float[3];
        for (int k = 0; k < 3; k++) {
            c[k] = (float) (stops[i][k] * (1 - f) + stops[i + 1][k] * f);
        }
        return new Color(c[0], c[1], c[2]);
    }
}
