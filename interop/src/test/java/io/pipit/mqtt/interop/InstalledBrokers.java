package io.pipit.mqtt.interop;

import io.pipit.mqtt.testing.MosquittoBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names, with versions, of the brokers that come from the machine's package manager (mosquitto and RabbitMQ
 * from Debian), as the matrix's rows name them. They are read from what is installed, not written into the suite:
 * another distribution release brings another version, whose verdicts (RabbitMQ 3.13 and later speak MQTT 5, for
 * one) belong in a row of their own rather than in a changed verdict of the old one. The embedded brokers' versions
 * are fixed by the build and named as they are.
 *
 * <p>Stateless; safe from any thread.
 */
final class InstalledBrokers {
    private static final Pattern MOSQUITTO_VERSION = Pattern.compile("mosquitto version (\\S+)");
    private static final Pattern RABBITMQ_DIRECTORY = Pattern.compile("rabbitmq_server-(\\d+\\.\\d+)[.\\d]*");
    /** Where Debian's package keeps the node's code, one directory per installed version. */
    private static final Path RABBITMQ_LIB = Paths.get("/usr/lib/rabbitmq/lib");
    private static final String NOT_INSTALLED = "(not installed)";

    private InstalledBrokers() {
    }

    /** @return e.g. "mosquitto 2.0.11", from what {@code mosquitto -h} says; "mosquitto (not installed)" without it */
    static String mosquitto() {
        final Path binary = MosquittoBroker.findExecutable();
        if (binary == null) {
            return "mosquitto " + NOT_INSTALLED;
        }
        final Matcher version = MOSQUITTO_VERSION.matcher(firstLineOf(binary.toString(), "-h"));
        if (!version.find()) {
            throw new IllegalStateException(binary + " -h did not say which version it is");
        }
        return "mosquitto " + version.group(1);
    }

    /** @return e.g. "RabbitMQ 3.10" (major and minor: the MQTT plugin changed by minor release) */
    static String rabbitMq() {
        if (!Files.isDirectory(RABBITMQ_LIB)) {
            return "RabbitMQ " + NOT_INSTALLED;
        }
        try (DirectoryStream<Path> versions = Files.newDirectoryStream(RABBITMQ_LIB)) {
            for (Path directory : versions) {
                final Matcher version = RABBITMQ_DIRECTORY.matcher(directory.getFileName().toString());
                if (version.matches()) {
                    return "RabbitMQ " + version.group(1);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + RABBITMQ_LIB, e);
        }
        throw new IllegalStateException(RABBITMQ_LIB + " holds no rabbitmq_server-VERSION directory");
    }

    private static String firstLineOf(String... command) {
        try {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output;
            try {
                output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } finally {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            final int end = output.indexOf('\n');
            return end < 0 ? output : output.substring(0, end);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
