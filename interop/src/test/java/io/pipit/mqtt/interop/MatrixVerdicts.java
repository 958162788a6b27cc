package io.pipit.mqtt.interop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The verdicts an interoperability matrix states, read back from its Markdown, so that two matrices can be
 * compared by what they decide rather than by how they word it.
 *
 * <p>Why: a cell's detail carries what a live broker did on one run (the payload size that went through, the
 * settings it announced). Those are information, not the test's judgement; a committed {@code docs/interop.md}
 * compared byte for byte would make the build depend on the machine it runs on. The verdict of a cell is one of
 * {@code pass}, {@code fail}, {@code not supported by broker}, {@code not run} or {@code skipped}; a row's
 * negotiated protocol version counts as a verdict too, since a broker that stops speaking MQTT 5 is a real
 * change. The CONNACK table below the matrix is not compared: it only reports what brokers announced.
 *
 * <p>Stateless; safe from any thread.
 */
final class MatrixVerdicts {
    static final String PASS = "pass";
    static final String FAIL = "fail";
    static final String NOT_SUPPORTED = "not supported by broker";
    static final String NOT_RUN = "not run";
    static final String SKIPPED = "skipped";

    /** The first header cell of the matrix table (the CONNACK table starts with the same cell, later). */
    private static final String MATRIX_HEADER = "| broker | transport | client asks for | negotiated |";
    /** Cells are separated by pipes that are not escaped ({@code \|} inside a cell is text). */
    private static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");
    /** The columns that name a row; the rest are judged. */
    private static final int KEY_COLUMNS = 3;

    private MatrixVerdicts() {
    }

    /**
     * Differences in verdict between two matrices, one line each, e.g.
     * {@code "RabbitMQ 3.10 / TCP / MQTT 5, large payload: pass -> fail"}, for the rows both have. A column present
     * in only one of them is a difference too. Details inside parentheses never are.
     *
     * <p>A row in only one of them ({@link #rowsInOnlyOne}) is not a verdict change: a row's key names the broker's
     * version, so a machine with another mosquitto or RabbitMQ from its package manager makes a new row, which has
     * nothing to be compared with.
     *
     * @return the differences; empty when every verdict of every common row agrees
     */
    static List<String> changes(String committed, String fresh) {
        final Map<String, Map<String, String>> before = read(committed);
        final Map<String, Map<String, String>> after = read(fresh);
        final List<String> changes = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> row : before.entrySet()) {
            final Map<String, String> was = row.getValue();
            final Map<String, String> now = after.get(row.getKey());
            if (now == null) {
                continue;
            }
            final Set<String> columns = new LinkedHashSet<>(was.keySet());
            columns.addAll(now.keySet());
            for (String column : columns) {
                final String a = was.getOrDefault(column, "(no such column)");
                final String b = now.getOrDefault(column, "(no such column)");
                if (!a.equals(b)) {
                    changes.add(row.getKey() + ", " + column + ": " + a + " -> " + b);
                }
            }
        }
        return changes;
    }

    /** @return the rows only one of the two matrices has, e.g. {@code "mosquitto 2.0.21 / TCP / MQTT 5: new row"} */
    static List<String> rowsInOnlyOne(String committed, String fresh) {
        final Set<String> before = read(committed).keySet();
        final Set<String> after = read(fresh).keySet();
        final List<String> rows = new ArrayList<>();
        for (String row : before) {
            if (!after.contains(row)) {
                rows.add(row + ": row no longer in the matrix");
            }
        }
        for (String row : after) {
            if (!before.contains(row)) {
                rows.add(row + ": new row");
            }
        }
        return rows;
    }

    /**
     * Reads the matrix table of a document written by {@link InteropMatrix}.
     *
     * @return row key ("broker / transport / version asked for") → column title → verdict, in document order
     */
    static Map<String, Map<String, String>> read(String markdown) {
        final Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        final String[] lines = markdown.split("\n", -1);
        int index = 0;
        while (index < lines.length && !lines[index].startsWith(MATRIX_HEADER)) {
            index++;
        }
        if (index == lines.length) {
            return rows;  // no matrix at all: every row of the other side shows as a difference
        }
        final List<String> header = cells(lines[index]);
        for (index += 2; index < lines.length && lines[index].startsWith("|"); index++) {
            final List<String> cells = cells(lines[index]);
            final String key = String.join(" / ", cells.subList(0, Math.min(KEY_COLUMNS, cells.size())));
            final Map<String, String> verdicts = new LinkedHashMap<>();
            for (int column = KEY_COLUMNS; column < header.size(); column++) {
                final String cell = column < cells.size() ? cells.get(column) : "(missing cell)";
                // the first judged column is the negotiated version: compared as written
                verdicts.put(header.get(column), column == KEY_COLUMNS ? cell : verdict(cell));
            }
            rows.put(key, verdicts);
        }
        return rows;
    }

    /** @return the verdict a cell states, without its detail; an unknown wording is returned as it is */
    static String verdict(String cell) {
        if (cell.startsWith(PASS)) {
            return PASS;
        }
        if (cell.startsWith("FAIL")) {
            return FAIL;
        }
        if (cell.startsWith(NOT_SUPPORTED)) {
            return NOT_SUPPORTED;
        }
        if (cell.equals(NOT_RUN)) {
            return NOT_RUN;
        }
        if (cell.equals("—")) {
            return SKIPPED;
        }
        return cell;
    }

    private static List<String> cells(String line) {
        final String[] parts = CELL_SEPARATOR.split(line, -1);
        final List<String> cells = new ArrayList<>();
        // a table line starts and ends with a pipe: the first and last parts are empty
        for (int i = 1; i < parts.length - 1; i++) {
            cells.add(parts[i].trim());
        }
        return cells;
    }
}
