package io.pipit.mqtt.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matrix is judged by its verdicts: a changed number in a detail passes, a changed verdict does not. */
class MatrixVerdictsTest {
    private static final String MATRIX = "# Interoperability matrix\n\nIntro text.\n\n"
            + "| broker | transport | client asks for | negotiated | connect | QoS 2 | large payload |\n"
            + "|---|---|---|---|---|---|---|\n"
            + "| mosquitto 2.0.11 | TCP | MQTT 5 | MQTT 5 | pass | pass | pass (1,048,536-byte payload; no maximum "
            + "announced) |\n"
            + "| RabbitMQ 3.10 | TCP | MQTT 5 | MQTT 3.1.1 | pass (3.1.1 by automatic fallback) | not supported by "
            + "broker (SUBACK granted QoS 1 for a QoS 2 subscription) | pass (1,048,537-byte payload; no maximum "
            + "announced) |\n"
            + "\n## What each broker announced in CONNACK\n\n"
            + "| broker | transport | negotiated | CONNACK properties |\n|---|---|---|---|\n"
            + "| mosquitto 2.0.11 | TCP | MQTT 5 | Receive Maximum=20, Topic Alias Maximum=10 |\n";

    @Test
    void shouldIgnoreChangedNumberInDetail() {
        final String fresh = MATRIX.replace("pass (1,048,537-byte payload; no maximum announced)",
                "pass (524,249-byte payload; no maximum announced; the broker closed the connection on a "
                        + "1,048,576-byte packet)");
        assertNotEquals(MATRIX, fresh, "the fixture really changed a detail");
        assertEquals(List.of(), MatrixVerdicts.changes(MATRIX, fresh));
    }

    @Test
    void shouldIgnoreWhatBrokersAnnouncedInConnack() {
        final String fresh = MATRIX.replace("Receive Maximum=20", "Receive Maximum=100");
        assertEquals(List.of(), MatrixVerdicts.changes(MATRIX, fresh));
    }

    @Test
    void shouldReportChangedVerdict() {
        final String fresh = MATRIX.replace("pass (1,048,537-byte payload; no maximum announced)",
                "FAIL: the broker closed the connection on a 1024-byte PUBLISH");
        assertEquals(List.of("RabbitMQ 3.10 / TCP / MQTT 5, large payload: pass -> fail"),
                MatrixVerdicts.changes(MATRIX, fresh));
    }

    @Test
    void shouldReportFeatureNoLongerSupported() {
        final String fresh = MATRIX.replace("| MQTT 5 | pass | pass | pass (1,048,536",
                "| MQTT 5 | pass | not supported by broker (CONNACK Maximum QoS = 1) | pass (1,048,536");
        assertEquals(List.of("mosquitto 2.0.11 / TCP / MQTT 5, QoS 2: pass -> not supported by broker"),
                MatrixVerdicts.changes(MATRIX, fresh));
    }

    @Test
    void shouldReportChangedNegotiatedVersion() {
        final String fresh = MATRIX.replace("| MQTT 5 | MQTT 3.1.1 | pass (3.1.1", "| MQTT 5 | MQTT 5 | pass (3.1.1");
        assertEquals(List.of("RabbitMQ 3.10 / TCP / MQTT 5, negotiated: MQTT 3.1.1 -> MQTT 5"),
                MatrixVerdicts.changes(MATRIX, fresh));
    }

    /** A new broker version is a new row with nothing to compare: listed, but not a verdict change. */
    @Test
    void shouldListRowsAddedOrRemovedApartFromVerdictChanges() {
        final String upgraded = MATRIX.replace("| RabbitMQ 3.10 | TCP | MQTT 5 | MQTT 3.1.1 |",
                "| RabbitMQ 4.0 | TCP | MQTT 5 | MQTT 5 |");
        assertEquals(List.of(), MatrixVerdicts.changes(MATRIX, upgraded));
        assertEquals(List.of("RabbitMQ 3.10 / TCP / MQTT 5: row no longer in the matrix",
                "RabbitMQ 4.0 / TCP / MQTT 5: new row"), MatrixVerdicts.rowsInOnlyOne(MATRIX, upgraded));
    }

    @Test
    void shouldFindNoVerdictToCompareWhenCommittedFileIsMissing() {
        assertEquals(List.of(), MatrixVerdicts.changes("", MATRIX));
        assertEquals(List.of("mosquitto 2.0.11 / TCP / MQTT 5: new row", "RabbitMQ 3.10 / TCP / MQTT 5: new row"),
                MatrixVerdicts.rowsInOnlyOne("", MATRIX));
    }

    @Test
    void shouldKeepEscapedPipesInsideCell() {
        final String fresh = MATRIX.replace("| pass | pass | pass (1,048,536", "| pass | pass (a \\| b) | pass (1,048,536");
        assertEquals(List.of(), MatrixVerdicts.changes(MATRIX, fresh));
    }

    /** The committed matrix itself: its every cell is read, and a detail edit there changes no verdict. */
    @Test
    void shouldReadCommittedMatrix() throws IOException {
        final String committed = new String(Files.readAllBytes(Paths.get("..", "docs", "interop.md")),
                StandardCharsets.UTF_8);
        final Map<String, Map<String, String>> rows = MatrixVerdicts.read(committed);
        assertEquals(12, rows.size(), "one entry per broker row: " + rows.keySet());
        for (Map.Entry<String, Map<String, String>> row : rows.entrySet()) {
            assertEquals(Feature.values().length + 1, row.getValue().size(), row.getKey());
            for (Feature feature : Feature.values()) {
                final String verdict = row.getValue().get(feature.title());
                assertTrue(List.of(MatrixVerdicts.PASS, MatrixVerdicts.NOT_SUPPORTED).contains(verdict),
                        row.getKey() + ", " + feature.title() + ": " + verdict);
            }
        }
        final String renumbered = committed.replaceAll("[0-9][0-9,]*-byte payload", "1-byte payload");
        assertNotEquals(committed, renumbered);
        assertEquals(List.of(), MatrixVerdicts.changes(committed, renumbered));
    }
}
