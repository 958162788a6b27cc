package io.pipit.mqtt;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pipit.mqtt.client.MqttClient;
import io.pipit.mqtt.testing.PublicApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * sdk-core's public API is pinned in {@code api/sdk-core.api}: every public type and member, generated from the
 * compiled classes. A change of the API fails this test and rewrites the file, so the change shows in review as a
 * diff of that file; commit it when the change is meant. Deterministic: sorted signatures and nothing else.
 */
class PublicApiTest {
    /** The module's working directory under Surefire is sdk-core/; the API files live at the repository root. */
    private static final Path COMMITTED = Paths.get("..", "api", "sdk-core.api");

    @Test
    void shouldMatchTheCommittedApiFile() throws Exception {
        final Path classes = Paths.get(MqttClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "expected the compiled classes in a directory, found " + classes);
        final String current = PublicApi.of(classes, MqttClient.class.getClassLoader());
        assertTrue(current.contains("public final class io.pipit.mqtt.client.MqttClient"), "the dump found MqttClient");

        final String committed = Files.exists(COMMITTED)
                ? new String(Files.readAllBytes(COMMITTED), StandardCharsets.UTF_8) : "";
        if (!current.equals(committed)) {
            Files.createDirectories(COMMITTED.toAbsolutePath().getParent());
            Files.write(COMMITTED, current.getBytes(StandardCharsets.UTF_8));
            fail("the public API of sdk-core differs from api/sdk-core.api, which was rewritten: review the diff and "
                    + "commit it if the change is meant. First difference: " + firstDifference(committed, current));
        }
    }

    private static String firstDifference(String committed, String current) {
        final String[] before = committed.split("\n", -1);
        final String[] after = current.split("\n", -1);
        for (int i = 0; i < Math.max(before.length, after.length); i++) {
            final String a = i < before.length ? before[i] : "(end of file)";
            final String b = i < after.length ? after[i] : "(end of file)";
            if (!a.equals(b)) {
                return "line " + (i + 1) + ": was '" + a + "', now '" + b + "'";
            }
        }
        return "(none found)";
    }
}
