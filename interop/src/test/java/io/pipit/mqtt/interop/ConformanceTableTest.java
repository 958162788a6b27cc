package io.pipit.mqtt.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/conformance.md honest: every test it names exists, the counts at its top are the rows below them,
 * and no tag appears twice in one version. Whether a named test proves its statement stays a matter for review.
 */
class ConformanceTableTest {
    /** The module runs with interop/ as its working directory. */
    private static final Path ROOT = Paths.get("..");
    private static final Path TABLE = ROOT.resolve("docs/conformance.md");
    private static final List<String> VERSIONS = List.of("5.0", "3.1.1");
    private static final List<String> STATUSES = List.of("covered", "not applicable", "not covered");
    /** {@code module:fully.qualified.ClassName#methodName}, as every reference in the table is written. */
    private static final Pattern REFERENCE =
            Pattern.compile("([a-z][a-z0-9-]*):((?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_]*)#([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern TAG = Pattern.compile("MQTT-\\d+(?:\\.\\d+)+-\\d+");

    /** A statement row: | tag | statement | status | tests, or why not |. */
    private record Row(int line, String version, String tag, String status, String cell) {
    }

    /** A tag listed in a server-only section, or a 3.1.1 tag said to be the same as 5.0 rows. */
    private record Listed(int line, String version, String tag, String kind) {
    }

    private static final List<String> LINES = new ArrayList<>();
    private static final List<Row> ROWS = new ArrayList<>();
    private static final List<Listed> LISTED = new ArrayList<>();
    /** 3.1.1 tag to the 5.0 tags it is the same as. */
    private static final Map<Listed, List<String>> SAME_AS = new LinkedHashMap<>();
    /** Version to the counts at the top: covered, not applicable, not covered, server-only, same as 5.0, statements. */
    private static final Map<String, int[]> COUNTS = new HashMap<>();

    @BeforeAll
    static void readTable() throws IOException {
        LINES.addAll(Files.readAllLines(TABLE, StandardCharsets.UTF_8));
        String version = null;
        boolean serverOnly = false;
        for (int i = 0; i < LINES.size(); i++) {
            String line = LINES.get(i).trim();
            int number = i + 1;
            if (line.startsWith("## ")) {
                version = VERSIONS.stream().filter(v -> line.equals("## MQTT " + v)).findFirst().orElse(null);
                serverOnly = false;
            } else if (line.startsWith("### ")) {
                serverOnly = line.contains("Server-only");
            } else if (line.startsWith("|")) {
                readTableRow(number, version, cells(line));
            } else if (serverOnly && line.startsWith("MQTT-")) {
                Matcher tags = TAG.matcher(line);
                while (tags.find()) {
                    LISTED.add(new Listed(number, version, tags.group(), "server-only"));
                }
            }
        }
    }

    private static void readTableRow(int number, String version, List<String> cells) {
        if (version == null) {
            for (String v : VERSIONS) {
                if (cells.get(0).equals("MQTT " + v)) {
                    int[] counts = new int[cells.size() - 1];
                    for (int c = 1; c < cells.size(); c++) {
                        counts[c - 1] = cells.get(c).equals("-") ? 0 : Integer.parseInt(cells.get(c));
                    }
                    COUNTS.put(v, counts);
                }
            }
        } else if (TAG.matcher(cells.get(0)).matches()) {
            if (cells.size() == 4) {
                ROWS.add(new Row(number, version, cells.get(0), cells.get(2), cells.get(3)));
            } else if (cells.size() == 2) {
                Listed same = new Listed(number, version, cells.get(0), "same as 5.0");
                LISTED.add(same);
                List<String> targets = new ArrayList<>();
                Matcher tags = TAG.matcher(cells.get(1));
                while (tags.find()) {
                    targets.add(tags.group());
                }
                SAME_AS.put(same, targets);
            }
        }
    }

    private static List<String> cells(String line) {
        String inner = line.substring(1, line.endsWith("|") ? line.length() - 1 : line.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.trim());
        }
        return cells;
    }

    private static void assertNoProblems(List<String> problems, String what) {
        assertTrue(problems.isEmpty(), () -> problems.size() + " " + what + " in " + TABLE.normalize() + ":\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void shouldNameOnlyTestsThatExist() throws IOException {
        List<String> problems = new ArrayList<>();
        Map<Path, String> sources = new HashMap<>();
        int references = 0;
        for (int i = 0; i < LINES.size(); i++) {
            Matcher m = REFERENCE.matcher(LINES.get(i));
            while (m.find()) {
                references++;
                String module = m.group(1);
                String type = m.group(2);
                String method = m.group(3);
                Path source = ROOT.resolve(module).resolve("src/test/java").resolve(type.replace('.', '/') + ".java");
                String where = "line " + (i + 1) + ": " + m.group();
                if (!Files.isRegularFile(source)) {
                    problems.add(where + ": no " + source.normalize());
                    continue;
                }
                String text = sources.get(source);
                if (text == null) {
                    text = Files.readString(source, StandardCharsets.UTF_8);
                    sources.put(source, text);
                }
                if (!Pattern.compile("\\bvoid\\s+" + Pattern.quote(method) + "\\s*\\(").matcher(text).find()) {
                    problems.add(where + ": " + source.normalize() + " declares no method " + method);
                }
            }
        }
        assertTrue(references > 0, "no test reference found in " + TABLE.normalize());
        assertNoProblems(problems, "references to missing tests");
    }

    @Test
    void shouldGiveEveryRowAKnownStatusAndATestOrAReason() {
        List<String> problems = new ArrayList<>();
        for (Row row : ROWS) {
            String where = "line " + row.line() + " (" + row.tag() + ")";
            if (!STATUSES.contains(row.status())) {
                problems.add(where + ": status \"" + row.status() + "\" is none of " + STATUSES);
            } else if (row.status().equals("covered") && !REFERENCE.matcher(row.cell()).find()) {
                problems.add(where + ": covered, but names no test");
            } else if (row.cell().isEmpty()) {
                problems.add(where + ": " + row.status() + ", but gives no reason");
            }
        }
        assertNoProblems(problems, "rows without a proper status");
    }

    @Test
    void shouldCountWhatTheRowsSay() {
        List<String> problems = new ArrayList<>();
        for (String version : VERSIONS) {
            int[] stated = COUNTS.get(version);
            if (stated == null || stated.length != 6) {
                problems.add("no count row \"MQTT " + version + "\" of six numbers at the top");
                continue;
            }
            int[] found = new int[6];
            for (Row row : ROWS) {
                int status = STATUSES.indexOf(row.status());
                if (row.version().equals(version) && status >= 0) {
                    found[status]++;
                }
            }
            for (Listed listed : LISTED) {
                if (listed.version().equals(version)) {
                    found[listed.kind().equals("server-only") ? 3 : 4]++;
                }
            }
            found[5] = found[0] + found[1] + found[2] + found[3] + found[4];
            String[] names = {"covered", "not applicable", "not covered", "server-only", "same as 5.0", "statements"};
            for (int i = 0; i < names.length; i++) {
                if (stated[i] != found[i]) {
                    problems.add("MQTT " + version + " " + names[i] + ": the top says " + stated[i] + ", the table has "
                            + found[i]);
                }
            }
            if (stated[5] != stated[0] + stated[1] + stated[2] + stated[3] + stated[4]) {
                problems.add("MQTT " + version + ": the numbers at the top do not add up to its statements");
            }
        }
        assertNoProblems(problems, "counts that do not match the rows");
    }

    @Test
    void shouldListEachTagOnceInEachVersion() {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Row row : ROWS) {
            Integer earlier = seen.putIfAbsent(row.version() + " " + row.tag(), row.line());
            if (earlier != null) {
                problems.add(row.tag() + " (MQTT " + row.version() + ") on lines " + earlier + " and " + row.line());
            }
        }
        for (Listed listed : LISTED) {
            Integer earlier = seen.putIfAbsent(listed.version() + " " + listed.tag(), listed.line());
            if (earlier != null) {
                problems.add(listed.tag() + " (MQTT " + listed.version() + ") on lines " + earlier + " and "
                        + listed.line());
            }
        }
        assertFalse(ROWS.isEmpty(), "no statement rows found in " + TABLE.normalize());
        assertNoProblems(problems, "tags listed twice");
    }

    @Test
    void shouldMapTheSameStatementsOntoMqtt5Rows() {
        Set<String> rows5 = new HashSet<>();
        for (Row row : ROWS) {
            if (row.version().equals("5.0")) {
                rows5.add(row.tag());
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Listed, List<String>> same : SAME_AS.entrySet()) {
            String where = "line " + same.getKey().line() + " (" + same.getKey().tag() + ")";
            if (same.getValue().isEmpty()) {
                problems.add(where + ": names no MQTT 5.0 statement");
            }
            for (String target : same.getValue()) {
                if (!rows5.contains(target)) {
                    problems.add(where + ": " + target + " is no MQTT 5.0 row");
                }
            }
        }
        assertNoProblems(problems, "3.1.1 statements mapped onto no 5.0 row");
    }
}
