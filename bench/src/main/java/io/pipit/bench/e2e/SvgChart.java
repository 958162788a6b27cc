package io.pipit.bench.e2e;

import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as a standalone SVG document, written by hand so the results need no plotting library or
 * service: one group of bars per scenario, one bar per client (its median), a whisker from the minimum to the
 * maximum, the value above each bar. Stateless, so thread-safe.
 */
public final class SvgChart {
    /**
     * One bar: a client's median with its range.
     *
     * @param series the client
     * @param median the bar's height
     * @param min the whisker's lower end
     * @param max the whisker's upper end
     */
    public record Bar(String series, double median, double min, double max) {
    }

    /**
     * One group of bars under a label.
     *
     * @param label what the group is, printed under it
     * @param bars its bars, in any order
     */
    public record Group(String label, List<Bar> bars) {
    }

    private static final String[] COLORS = {"#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#718096"};
    private static final int BAR = 26;
    private static final int GAP = 30;
    private static final int LEFT = 70;
    private static final int TOP = 50;
    private static final int PLOT_HEIGHT = 300;

    private SvgChart() {
    }

    /**
     * @param title printed above the chart
     * @param unit the value axis' label
     * @param series the clients in the order of their colours and of each group's bars
     * @param groups the groups, left to right
     * @return the SVG document
     * @throws IllegalArgumentException when a group has a bar for a series not listed
     */
    public static String render(String title, String unit, List<String> series, List<Group> groups) {
        double top = 0;
        for (Group group : groups) {
            for (Bar bar : group.bars()) {
                top = Math.max(top, Math.max(bar.max(), bar.median()));
            }
        }
        double scale = niceCeiling(top);
        int groupWidth = series.size() * BAR + GAP;
        int width = LEFT + groups.size() * groupWidth + 20;
        int height = TOP + PLOT_HEIGHT + 80;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"11\">%n", width, height, width,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s"
                + "</text>%n", LEFT, escape(title)));
        axis(svg, scale, unit, width);
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            int x0 = LEFT + g * groupWidth + GAP / 2;
            for (Bar bar : group.bars()) {
                int index = series.indexOf(bar.series());
                if (index < 0) {
                    throw new IllegalArgumentException("bar of unknown series '" + bar.series() + "' in "
                            + group.label());
                }
                bar(svg, x0 + index * BAR, bar, scale, COLORS[index % COLORS.length]);
            }
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x0 + series.size() * BAR / 2, TOP + PLOT_HEIGHT + 16, escape(group.label())));
        }
        legend(svg, series, TOP + PLOT_HEIGHT + 40);
        return svg.append("</svg>\n").toString();
    }

    private static void axis(StringBuilder svg, double scale, String unit, int width) {
        for (int tick = 0; tick <= 4; tick++) {
            double value = scale * tick / 4;
            int y = TOP + PLOT_HEIGHT - (int) Math.round(PLOT_HEIGHT * tick / 4.0);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    LEFT, y, width - 20, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, y + 4, compact(value)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\""
                + " text-anchor=\"middle\">%s</text>%n", TOP + PLOT_HEIGHT / 2, TOP + PLOT_HEIGHT / 2, escape(unit)));
    }

    private static void bar(StringBuilder svg, int x, Bar bar, double scale, String color) {
        int base = TOP + PLOT_HEIGHT;
        int h = (int) Math.round(PLOT_HEIGHT * bar.median() / scale);
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
                + "<title>%s: %s</title></rect>%n", x, base - h, BAR - 4, h, color, escape(bar.series()),
                compact(bar.median())));
        int yMin = base - (int) Math.round(PLOT_HEIGHT * bar.min() / scale);
        int yMax = base - (int) Math.round(PLOT_HEIGHT * bar.max() / scale);
        int mid = x + (BAR - 4) / 2;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                mid, yMin, mid, yMax));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\">%s"
                + "</text>%n", mid, Math.min(yMax, base - h) - 4, compact(bar.median())));
    }

    private static void legend(StringBuilder svg, List<String> series, int y) {
        for (int i = 0; i < series.size(); i++) {
            int x = LEFT + i * 110;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, y, COLORS[i % COLORS.length], x + 16, y + 10,
                    escape(series.get(i))));
        }
    }

    /** @return the smallest 1, 2 or 5 × 10^n at or above {@code value} (1 for nothing to show) */
    static double niceCeiling(double value) {
        if (!(value > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    /** @return 123, 12.3k or 1.2M */
    static String compact(double value) {
        if (value >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fM", value / 1_000_000);
        }
        if (value >= 1_000) {
            return String.format(Locale.ROOT, "%.1fk", value / 1_000);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
