package io.pipit.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * How much code each client brings, measured in the benchmark's own uber-jar: the compressed size of every entry
 * under the client's packages and those of its runtime dependencies (the same bytes its jars would hold, minus
 * their manifests). Stateless, so thread-safe.
 */
final class Footprint {
    /** Per client, the package paths of the client and its runtime dependencies as they sit in the jar. */
    static final Map<String, List<String>> PACKAGES = Map.of(
            "pipit", List.of("io/pipit/mqtt/", "org/slf4j/"),
            "paho", List.of("org/eclipse/paho/mqttv5/"),
            "hivemq", List.of("com/hivemq/client/", "io/reactivex/", "org/reactivestreams/", "io/netty/",
                    "META-INF/native/libnetty", "org/jctools/", "dagger/", "javax/inject/",
                    "org/jetbrains/annotations/",
                    "org/intellij/lang/annotations/"));

    private Footprint() {
    }

    /**
     * @param clients the clients to size, in the order of the result
     * @return per client, compressed bytes; empty when the classes do not come from a jar (e.g. an IDE run)
     */
    static Map<String, Long> measure(List<String> clients) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        Path jar;
        try {
            jar = Path.of(Footprint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the benchmark jar", e);
        }
        if (!jar.toString().endsWith(".jar")) {
            return sizes;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            for (String client : clients) {
                List<String> prefixes = PACKAGES.get(client);
                if (prefixes != null) {
                    sizes.put(client, file.stream().filter(e -> !e.isDirectory() && matches(e, prefixes)
                            && !e.getName().startsWith("org/slf4j/simple/")).mapToLong(JarEntry::getCompressedSize)
                            .sum());
                }
            }
        }
        return sizes;
    }

    private static boolean matches(JarEntry entry, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (entry.getName().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
