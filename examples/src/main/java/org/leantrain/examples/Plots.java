package org.leantrain.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line and bar charts written as PNG (XChart, headless). */
public final class Plots {
    private Plots() {}

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** A line chart of named series sharing one x axis label; written to {@code file} (".png" added by XChart). */
    public static Path lines(Path file, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                             boolean logY) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendVisible(series.size() > 1);
        for (Map.Entry<String, double[][]> s : series.entrySet()) {
            chart.addSeries(s.getKey(), s.getValue()[0], s.getValue()[1]).setMarker(SeriesMarkers.NONE);
        }
        String base = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4)
                : file.toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }

    public static Path line(Path file, String title, String xLabel, String yLabel, double[] x, double[] y)
            throws IOException {
        Map<String, double[][]> one = new LinkedHashMap<>();
        one.put(yLabel, new double[][] {x, y});
        return lines(file, title, xLabel, yLabel, one, false);
    }

    /** A grouped bar chart: one bar per category in each named series (e.g. accuracy per strategy, per model). */
    public static Path bars(Path file, String title, String yLabel, List<String> categories,
                            Map<String, double[]> series) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(560).title(title).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendVisible(series.size() > 1);
        if (categories.size() > 6) {
            chart.getStyler().setXAxisLabelRotation(30); // long names side by side would overlap
        }
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            List<Double> values = java.util.Arrays.stream(s.getValue()).boxed().toList();
            chart.addSeries(s.getKey(), categories, values);
        }
        String base = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4)
                : file.toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }

    /**
     * Lines (no markers, no legend entry past the first of a group) plus point series drawn as markers only, e.g.
     * sample paths with the observations they are conditioned on.
     */
    public static Path linesAndPoints(Path file, String title, String xLabel, String yLabel,
                                      Map<String, double[][]> lines, Map<String, double[][]> points) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendVisible(false);
        for (Map.Entry<String, double[][]> s : lines.entrySet()) {
            chart.addSeries(s.getKey(), s.getValue()[0], s.getValue()[1]).setMarker(SeriesMarkers.NONE)
                    .setLineColor(new java.awt.Color(70, 110, 200, 90));
        }
        for (Map.Entry<String, double[][]> s : points.entrySet()) {
            var series = chart.addSeries(s.getKey(), s.getValue()[0], s.getValue()[1]);
            series.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(java.awt.Color.RED);
        }
        String base = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4)
                : file.toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }

    /** Named line series and named point series (markers only) with a legend, in XChart's default colours. */
    public static Path seriesWithPoints(Path file, String title, String xLabel, String yLabel,
                                        Map<String, double[][]> lines, Map<String, double[][]> points)
            throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        for (Map.Entry<String, double[][]> s : points.entrySet()) {
            var series = chart.addSeries(s.getKey(), s.getValue()[0], s.getValue()[1]);
            series.setXYSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        for (Map.Entry<String, double[][]> s : lines.entrySet()) {
            chart.addSeries(s.getKey(), s.getValue()[0], s.getValue()[1]).setMarker(SeriesMarkers.NONE);
        }
        String base = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4)
                : file.toString();
        BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
        return Path.of(base + ".png");
    }
}
