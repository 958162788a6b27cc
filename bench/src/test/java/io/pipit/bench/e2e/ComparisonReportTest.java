package io.pipit.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The results files: the Markdown tables carry every figure, and the chart is well-formed SVG with a bar each. */
final class ComparisonReportTest {
    @Test
    void shouldWriteMediansRangesDeliveryAndLatencyAsMarkdown() {
        ScenarioResult raw = result("raw", 0, 100_000, 120_000, 110_000);
        ScenarioResult pipit = result("pipit", 0, 80_000, 70_000, 90_000);
        pipit.latency(new long[] {50_000, 60_000, 70_000, 900_000}, 5);

        String md = ComparisonReport.markdown(List.of("Command: `x`"), List.of(raw, pipit), Map.of("pipit", 1234L));

        assertTrue(md.contains("- Command: `x`"), md);
        assertTrue(md.contains("![throughput](throughput.svg)"), md);
        assertTrue(md.contains("| 0 | 64 B | raw | 110,000 | 100,000 | 120,000 | 3 | 100 % | 0 | 0 | 0 | 0 | — | 2 |"),
                md);
        assertTrue(md.contains("| 0 | 64 B | pipit | 80,000 | 70,000 | 90,000 | 3 | 73 % |"), md);
        assertTrue(md.contains("| 0 | 64 B | pipit | 60 | 900 | 1 of 5 lost |"), md);
        assertTrue(md.contains("| pipit | 1,234 |"), md);
    }

    @Test
    void shouldCompareEachQosWithTheRawRunOfTheSameQos() {
        List<ScenarioResult> results = List.of(result("raw", 0, 100_000), result("pipit", 0, 90_000),
                result("raw", 1, 40_000), result("pipit", 1, 30_000), result("paho", 1, 10_000));

        String md = ComparisonReport.markdown(List.of(), results, Map.of());

        assertTrue(md.contains("| 0 | 64 B | pipit | 90,000 | 90,000 | 90,000 | 1 | 90 % |"), md);
        assertTrue(md.contains("| 1 | 64 B | raw | 40,000 | 40,000 | 40,000 | 1 | 100 % |"), md);
        assertTrue(md.contains("| 1 | 64 B | pipit | 30,000 | 30,000 | 30,000 | 1 | 75 % |"), md);
        assertTrue(md.contains("| 1 | 64 B | paho | 10,000 | 10,000 | 10,000 | 1 | 25 % |"), md);
    }

    @Test
    void shouldDrawOneBarPerClientAndScenarioAsWellFormedSvg() throws Exception {
        List<ScenarioResult> results = List.of(result("raw", 0, 1, 2, 3), result("pipit", 0, 4, 5, 6),
                result("pipit", 1, 7, 8, 9));

        String svg = ComparisonReport.chart("t & <title>", Comparison.CLIENTS, results);

        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        // background + 3 bars + 4 legend swatches
        assertEquals(1 + 3 + 4, doc.getElementsByTagName("rect").getLength());
        assertTrue(svg.contains("t &amp; &lt;title&gt;"), svg);
        assertTrue(svg.contains("QoS 1 · 64 B"), svg);
    }

    @Test
    void shouldRefuseABarOfAnUnknownClient() {
        List<SvgChart.Group> groups = List.of(new SvgChart.Group("g", List.of(new SvgChart.Bar("x", 1, 1, 1))));

        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> SvgChart.render("t", "u", List.of("pipit"), groups));
        assertTrue(thrown.getMessage().contains("unknown series 'x'"), thrown.getMessage());
    }

    @Test
    void shouldRoundTheAxisToANiceValueAndPrintCompactNumbers() {
        assertEquals(200_000, SvgChart.niceCeiling(123_456));
        assertEquals(50, SvgChart.niceCeiling(41));
        assertEquals(1, SvgChart.niceCeiling(0));
        assertEquals("12.3k", SvgChart.compact(12_345));
        assertEquals("1.5M", SvgChart.compact(1_500_000));
        assertEquals("987", SvgChart.compact(987));
    }

    @Test
    void shouldTakeTheMedianOfOddAndEvenCounts() {
        assertEquals(2.0, ScenarioResult.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, ScenarioResult.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals(0.0, ScenarioResult.median(List.of()));
        assertEquals(900, LatencyRun.percentile(new long[] {1, 2, 3, 900}, 0.99));
        assertEquals(2, LatencyRun.percentile(new long[] {1, 2, 3, 900}, 0.50));
    }

    private static ScenarioResult result(String client, int qos, double... rates) {
        ScenarioResult result = new ScenarioResult(client, qos, 64);
        for (double rate : rates) {
            result.add(run(client, qos, rate), 1.0);
        }
        return result;
    }

    /** A run of 1,000 messages, all received, that took as long as {@code rate} says. */
    private static RunResult run(String client, int qos, double rate) {
        ThreadMeter meter = new ThreadMeter(new String[] {"main"}, new long[] {Thread.currentThread().getId()});
        return new RunResult(client, qos, 64, 1_000, 0, 1_000, 0, 0, 0, 0, (long) (1_000 * 1e9 / rate), 1, 0, 0,
                meter, -1, List.of("t1", "t2"), 10, false);
    }
}
